"""What the GPU grader does on a host where no GPU answers (not `gpu`-marked: these
run everywhere, and are skipped where a GPU exists, since they assert its absence)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.kernel import device
from graders.kernel.timing_run import NEEDS_GPU, time_submission
from graders.validate import is_gpu_only
from sandbox import SandboxUnavailable, get_sandbox
from sandbox import gpu as passthrough

no_gpu = pytest.mark.skipif(device.present(), reason="a GPU answers on this host")
PACKAGE = Path(__file__).resolve().parents[2] / "problems" / "fused-layernorm-triton"


@no_gpu
def test_a_gpu_session_is_refused_loudly_where_there_is_none() -> None:
    box = get_sandbox("bwrap")
    assert not box.supports_gpu
    assert passthrough.device_nodes() == [] and passthrough.bwrap_args() == []
    with pytest.raises(SandboxUnavailable):
        box.session({}, gpu=True)


@no_gpu
def test_timing_waits_for_a_gpu(tmp_path: Path) -> None:
    from graders import load_package

    package = load_package(PACKAGE, generate=False)
    outcome = time_submission(package, source="", language=None, sandbox=get_sandbox("bwrap"))
    assert outcome.status == "needs_gpu" and outcome.message == NEEDS_GPU
    assert outcome.tests == []


def test_gpu_only_solutions_are_recognised_by_path() -> None:
    assert is_gpu_only("submissions/gpu/wrong_answer/side_stream.py")
    assert not is_gpu_only("submissions/wrong_answer/side_stream.py")
    assert not is_gpu_only("submissions/gpu/not_a_verdict/x.py")
