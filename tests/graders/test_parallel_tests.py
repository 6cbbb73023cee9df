"""Tests of one submission side by side (`graders.lanes`): the outcome, the order of
results and live events, and the stop-on-first-failure semantics are a serial run's."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from graders import TestResult, Verdict, grade_submission, load_package
from graders.lanes import Lanes
from graders.package.types import Package
from graders.runner import Program, resolve_language
from sandbox import Sandbox

# The earliest tests (n <= 1) finish last; wrong on n == 2 (basic/2, a sum group:
# grading goes on) and on n == 4 (big/1, a min group: big's later tests never count).
SOURCE = """import sys, time
data = sys.stdin.read().split()
n = int(data[0])
time.sleep(0.4 if n <= 1 else 0)
total = sum(int(x) for x in data[1 : 1 + n])
print(total + (1 if n in (2, 4) else 0))
"""


@pytest.fixture
def package(copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path) -> Package:
    """The sum fixture with a roomy limit: only the order and the verdicts matter
    here, and a machine loaded many jobs deep must not turn a sleep into TLE."""
    root = copy_fixture("sum")
    spec = yaml.safe_load((root / "problem.yaml").read_text())
    spec["limits"] = {"time_s": 10, "memory_mb": 256}
    (root / "problem.yaml").write_text(yaml.safe_dump(spec))
    return load_package(root, sandbox=sandbox, cache_dir=tmp_path / "cache")


def _grade(package: Package, sandbox: Sandbox, parallelism: int, **kwargs: bool) -> tuple:
    events: list[TestResult] = []
    result = grade_submission(
        package,
        source=SOURCE,
        language="python",
        sandbox=sandbox,
        on_test=events.append,
        parallelism=parallelism,
        **kwargs,
    )
    return result, events


def _names(results: list[TestResult]) -> list[tuple[str, Verdict]]:
    return [(test.name, test.verdict) for test in results]


def test_results_and_events_come_in_test_order(package: Package, sandbox: Sandbox) -> None:
    serial, serial_events = _grade(package, sandbox, 1)
    parallel, parallel_events = _grade(package, sandbox, 4)
    expected = [
        ("sample/1", Verdict.AC),
        ("basic/1", Verdict.AC),
        ("basic/2", Verdict.WA),
        ("basic/3", Verdict.AC),
        ("big/1", Verdict.WA),  # big is a min group: gen-1 and gen-2 are not reported
    ]
    assert _names(serial.tests) == expected
    assert _names(parallel.tests) == expected
    assert _names(parallel_events) == _names(serial_events) == expected
    assert parallel.score == serial.score == 20  # 2 of basic's 3 tests; none of big
    assert [g.model_dump() for g in parallel.groups] == [g.model_dump() for g in serial.groups]


def test_stop_on_first_failure_reports_nothing_after_it(package: Package, sandbox: Sandbox) -> None:
    result, events = _grade(package, sandbox, 4, stop_on_failure=True)
    expected = [("sample/1", Verdict.AC), ("basic/1", Verdict.AC), ("basic/2", Verdict.WA)]
    assert _names(result.tests) == _names(events) == expected
    assert result.verdict is Verdict.WA


def test_lanes_are_sessions_of_their_own(package: Package, sandbox: Sandbox) -> None:
    # Each lane's runs see its own workdir: a file one lane's test writes is not there
    # for a run in another lane, and every lane ran the program (compiled once each).
    lang = resolve_language(package, "python")
    source = (
        "import os, time\nseen = os.path.exists('mark')\nopen('mark', 'w').close()\n"
        "time.sleep(0.3)\nprint(int(seen))\n"
    )
    with Program(package, source, lang, sandbox) as first:
        assert first.compile().ok
        with Lanes(first, lambda: Program(package, source, lang, sandbox), 3) as lanes:
            # The extra lanes open in the background; wait for them (no timing asserted).
            deadline = time.monotonic() + 300
            while lanes.opened() < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert lanes.opened() == 3
            outputs = [lanes.submit(b"").result().stdout for _ in range(1)]
            outputs += [f.result().stdout for f in [lanes.submit(b"") for _ in range(3)]]
    # The first run of each lane finds no mark: at least two lanes' first runs.
    assert outputs.count(b"0\n") >= 2
