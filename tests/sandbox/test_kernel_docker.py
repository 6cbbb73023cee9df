"""Kernel problems under the docker backend: the image carries Triton (pinned in
`scripts/pins.env`), so an accepted kernel is checked on CPU by Triton's interpreter
there as under bwrap, and a CPU-detectable bad one is still refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders import grade_submission, load_package
from graders.verdict import Verdict
from tests.sandbox.conftest import make_sandbox

PACKAGE = Path(__file__).resolve().parents[2] / "problems" / "fused-layernorm-triton"
SUBMISSIONS = PACKAGE / "submissions"

pytestmark = pytest.mark.docker


@pytest.mark.parametrize(
    ("solution", "verdict"),
    [
        ("accepted/one_block_per_row.py", Verdict.AC),
        ("wrong_answer/eps_outside_sqrt.py", Verdict.WA),
    ],
)
def test_kernel_solutions_grade_under_docker(
    request: pytest.FixtureRequest, tmp_path: Path, solution: str, verdict: Verdict
) -> None:
    box = make_sandbox("docker", request)
    try:
        package = load_package(PACKAGE, sandbox=box, cache_dir=tmp_path)
        source = (SUBMISSIONS / solution).read_text()
        result = grade_submission(package, source=source, language="python", sandbox=box)
    finally:
        close = getattr(box, "close", None)
        if close is not None:
            close()
    failed = [(t.name, t.verdict, t.message) for t in result.tests if t.verdict is not Verdict.AC]
    assert result.verdict is verdict, (result.message, failed[:3])
    if verdict is Verdict.AC:
        assert result.timing == "needs_gpu" and "GPU" in result.message
