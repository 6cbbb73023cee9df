"""The advisory static scan points at the bundled cheats and stays quiet on the
accepted solutions' kernels."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.kernel.scan import scan

SUBMISSIONS = Path(__file__).resolve().parents[2] / "problems/fused-layernorm-triton/submissions"
ALARMS = {"reference", "streams", "threads", "subclass", "timer", "introspection", "patch"}


def categories(rel: str) -> set[str]:
    return {finding.category for finding in scan((SUBMISSIONS / rel).read_text())}


@pytest.mark.parametrize("name", ["one_block_per_row", "blocked_loop", "tutorial_lock"])
def test_accepted_solutions_raise_no_alarm(name: str) -> None:
    assert not categories(f"accepted/{name}.py") & ALARMS


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("run_time_error/calls_f_layer_norm.py", {"reference", "fallback"}),
        ("run_time_error/calls_aten_native_layer_norm.py", {"reference"}),
        ("wrong_answer/lazy_subclass.py", {"subclass"}),
        ("wrong_answer/defeats_dispatcher_ban.py", {"introspection", "reference"}),
        ("gpu/wrong_answer/side_stream.py", {"streams"}),
        ("gpu/wrong_answer/patched_timer.py", {"timer", "patch"}),
    ],
)
def test_cheats_are_pointed_at(rel: str, expected: set[str]) -> None:
    assert expected <= categories(rel)


def test_findings_name_the_line_and_unparseable_code_gives_none() -> None:
    findings = scan("import torch\n\nx = torch.cuda.Stream()\nimport threading\n")
    assert [str(f) for f in findings] == [
        "line 3: streams: torch.cuda.Stream",
        "line 4: threads: imports threading",
    ]
    assert scan("def broken(:\n") == []
