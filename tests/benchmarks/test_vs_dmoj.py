"""The pure parts of `benchmarks/vs_dmoj.py`: DMOJ's replies read in Gradebox's
verdicts, and the problem's tests (the benchmark itself needs DMOJ and is not a test)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "vs_dmoj.py"


@pytest.fixture(scope="module")
def vs_dmoj() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vs_dmoj", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_dmoj_codes_read_as_gradebox_verdicts(vs_dmoj: ModuleType) -> None:
    reply = {"verdicts": ["AC", "WA", "RTE", "TLE", "IR"], "compile_error": None}
    assert vs_dmoj.parse_dmoj_reply(reply) == ["AC", "WA", "RE", "TLE", "DMOJ:IR"]


def test_a_compile_error_or_a_judge_failure_is_one_verdict(vs_dmoj: ModuleType) -> None:
    assert vs_dmoj.parse_dmoj_reply({"verdicts": [], "compile_error": "x.cpp:1: error"}) == ["CE"]
    assert vs_dmoj.parse_dmoj_reply({"verdicts": ["AC"], "internal_error": "boom"}) == ["IE"]
    # An empty compile log is still a compile error, not an empty grading.
    assert vs_dmoj.parse_dmoj_reply({"verdicts": [], "compile_error": ""}) == ["CE"]


def test_tests_are_twenty_sums_some_past_32_bits(vs_dmoj: ModuleType) -> None:
    tests = vs_dmoj.make_tests()
    assert len(tests) == vs_dmoj.TESTS == 20
    for given, answer in tests:
        a, b = map(int, given.split())
        assert int(answer) == a + b
    assert any(abs(int(answer)) >= 2**31 for _, answer in tests)
    assert vs_dmoj.make_tests() == tests  # the same tests for every grader, every run
