"""Kernel submissions in the queue: correctness on a CPU judgehost, then a visible
`awaiting_gpu` state until a `gpu` judgehost claims the job; the leaderboard ranks
GPU results per GPU model. Judgehost GPU detection: `gpu` only when a GPU answers."""

from __future__ import annotations

from backend.judgehost import advertised_capabilities
from graders.kernel.device import DeviceInfo
from graders.results import GradeResult, TestResult
from graders.verdict import Verdict
from tests.backend.conftest import submit
from tests.backend.problems import ACCEPTED
from tests.backend.test_judge_queue import _claim, _post


def _timed(speedup: float, gpu: str) -> GradeResult:
    rows = [
        TestResult(name="sample/01", group="sample", verdict=Verdict.AC),
        TestResult(
            name="timing/4096x8192-float16",
            group="timing",
            verdict=Verdict.AC,
            feedback={"shape_speedup": speedup * 3, "shape_gbps": 3000.0, "gpu": gpu},
        ),
        TestResult(
            name="timing/score",
            group="timing",
            verdict=Verdict.AC,
            feedback={"speedup": speedup, "gbps": 3000.0, "gpu": gpu},
        ),
    ]
    return GradeResult(verdict=Verdict.AC, score=100, max_score=100, tests=rows, timing="timed")


def _correct_on_cpu() -> GradeResult:
    return GradeResult(
        verdict=Verdict.AC,
        score=100,
        max_score=100,
        tests=[TestResult(name="sample/01", group="sample", verdict=Verdict.AC)],
        timing="needs_gpu",
        message="timing needs a GPU",
    )


def test_cpu_correctness_then_awaiting_gpu_then_timed_on_a_gpu_judgehost(client, actors):
    created = submit(client, actors.learner, ACCEPTED).json()
    job = _claim(client, actors, capabilities=["cpu"])
    done = _post(client, actors, job, "finish", result=_correct_on_cpu().model_dump(mode="json"))
    assert done.json()["state"] == "queued"
    seen = client.get(f"/api/v1/submissions/{created['id']}", headers=actors.learner.headers)
    body = seen.json()
    assert body["status"] == "awaiting_gpu" and body["verdict"] == "AC"
    assert "GPU" in body["message"]
    assert [t["name"] for t in body["tests"]] == ["sample/01"]  # the CPU results stay visible
    assert _claim(client, actors, host="cpu-only", capabilities=["cpu"]) is None
    gpu_job = _claim(client, actors, host="gpu-1", capabilities=["gpu:NVIDIA-H200"])
    assert gpu_job is not None and gpu_job["submission_id"] == created["id"]
    _post(
        client, actors, gpu_job, "finish", result=_timed(1.8, "NVIDIA H200").model_dump(mode="json")
    )
    final = client.get(f"/api/v1/submissions/{created['id']}", headers=actors.learner.headers)
    assert final.json()["status"] == "judged"
    assert "timing/score" in [t["name"] for t in final.json()["tests"]]


def test_a_gpu_job_that_still_cannot_be_timed_is_final(client, actors):
    created = submit(client, actors.learner, ACCEPTED).json()
    job = _claim(client, actors, capabilities=["cpu"])
    _post(client, actors, job, "finish", result=_correct_on_cpu().model_dump(mode="json"))
    gpu_job = _claim(client, actors, host="gpu-1", capabilities=["gpu"])
    _post(client, actors, gpu_job, "finish", result=_correct_on_cpu().model_dump(mode="json"))
    seen = client.get(f"/api/v1/submissions/{created['id']}", headers=actors.learner.headers)
    assert seen.json()["status"] == "judged"
    assert _claim(client, actors, host="gpu-2", capabilities=["gpu"]) is None


def test_leaderboard_ranks_within_each_gpu_model(client, actors):
    def judged(actor, speedup, gpu):
        submit(client, actor, ACCEPTED)
        job = _claim(client, actors, capabilities=["cpu"])
        _post(client, actors, job, "finish", result=_timed(speedup, gpu).model_dump(mode="json"))
        return job["submission_id"]

    judged(actors.learner, 1.2, "NVIDIA H200")
    a_best = judged(actors.learner, 1.9, "NVIDIA H200")
    b_h200 = judged(actors.other, 1.5, "NVIDIA H200")
    b_h100 = judged(actors.other, 2.4, "NVIDIA H100 80GB HBM3")
    board = client.get("/api/v1/problems/add-two/leaderboard").json()
    assert [(r["gpu"], r["user"], r["speedup"], r["submission_id"]) for r in board["data"]] == [
        ("NVIDIA H100 80GB HBM3", "bob", 2.4, b_h100),
        ("NVIDIA H200", "alice", 1.9, a_best),
        ("NVIDIA H200", "bob", 1.5, b_h200),
    ]
    only = client.get("/api/v1/problems/add-two/leaderboard", params={"gpu": "NVIDIA H200"})
    assert [r["submission_id"] for r in only.json()["data"]] == [a_best, b_h200]


def test_judgehost_claims_gpu_only_when_a_gpu_answers():
    none = advertised_capabilities(["cpu", "gpu"], describe=lambda: None)
    assert none == ["cpu"]
    h200 = advertised_capabilities(["cpu", "gpu"], describe=lambda: DeviceInfo("NVIDIA H200"))
    assert h200 == ["cpu", "gpu:NVIDIA-H200"]
    assert advertised_capabilities(["cpu"], describe=lambda: None) == ["cpu"]
    kept = advertised_capabilities(["gpu:H100"], describe=lambda: DeviceInfo("NVIDIA H100"))
    assert kept == ["gpu:H100"]
