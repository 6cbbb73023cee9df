"""The kernel grader on a real GPU: the sandbox passes it through, accepted solutions
are timed and verified, every GPU-only cheat is caught, and the timer is honest.
`scripts/gpu-check` runs these (`pytest -m gpu`) on a host with a GPU."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

from graders import grade_submission, load_package
from graders.verdict import Verdict
from sandbox import RunSpec, get_sandbox

pytestmark = pytest.mark.gpu

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "problems" / "fused-layernorm-triton"
GPU_ONLY = sorted((PACKAGE / "submissions" / "gpu").glob("*/*.py"))


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory):
    return load_package(
        PACKAGE, sandbox=get_sandbox("bwrap"), cache_dir=tmp_path_factory.mktemp("cache")
    )


def test_bwrap_session_passes_the_gpu_through() -> None:
    code = "import torch; assert torch.cuda.is_available(); print(torch.cuda.get_device_name())"
    with get_sandbox("bwrap").session({}, gpu=True) as session:
        result = session.run(RunSpec(argv=("python3", "-c", code), gpu=True))
    assert result.exit_code == 0, result.stderr.decode()[-500:]


@pytest.mark.parametrize("name", ["one_block_per_row", "blocked_loop", "tutorial_lock"])
def test_accepted_solutions_are_timed_and_verified(package, name: str) -> None:
    source = (PACKAGE / "submissions" / "accepted" / f"{name}.py").read_text()
    result = grade_submission(
        package, source=source, language="python", sandbox=get_sandbox("bwrap")
    )
    assert result.verdict is Verdict.AC, [(t.name, t.message) for t in result.tests]
    assert result.timing == "timed"
    score = next(t for t in result.tests if t.name == "timing/score")
    assert score.feedback["speedup"] > 0 and score.feedback["gpu"]
    for row in result.tests:
        if row.group == "timing" and row.name != "timing/score":
            assert 0 < row.feedback.get("pct_peak", 1) <= 100
            low, high = row.feedback["speedup_ci"]
            assert low <= row.feedback["shape_speedup"] <= high


@pytest.mark.parametrize("path", GPU_ONLY, ids=lambda p: p.stem)
def test_gpu_only_cheats_are_caught(package, path: Path) -> None:
    expected = Verdict.WA if path.parent.name == "wrong_answer" else Verdict.RE
    result = grade_submission(
        package, source=path.read_text(), language="python", sandbox=get_sandbox("bwrap")
    )
    assert result.verdict is expected, [(t.name, t.message) for t in result.tests]


def test_timer_check_reaches_85_percent_of_peak_on_a_copy(monkeypatch) -> None:
    monkeypatch.setattr(sys, "argv", ["gpu_timer_check.py"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_path(str(ROOT / "benchmarks" / "gpu_timer_check.py"), run_name="__main__")
    assert exit_info.value.code == 0
