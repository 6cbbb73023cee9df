"""A learner's history on a kernel problem: each verified timed submission per shape,
against their previous best on the same GPU model (results seeded as a GPU judgehost
would post them)."""

from __future__ import annotations

from graders.results import GradeResult, TestResult
from graders.verdict import Verdict
from tests.backend.conftest import submit
from tests.backend.problems import ACCEPTED, mark_kernel
from tests.backend.test_judge_queue import _claim, _post

SHAPES = ("1024x1000-float32", "4096x8192-float16")


def _timed(speedups: dict[str, float | None], gpu: str) -> GradeResult:
    """`None` for a shape whose timing the judge refused."""
    rows = [TestResult(name="sample/01", group="sample", verdict=Verdict.AC)]
    for shape, speedup in speedups.items():
        refused = speedup is None
        rows.append(
            TestResult(
                name=f"timing/{shape}",
                group="timing",
                verdict=Verdict.RE if refused else Verdict.AC,
                message="hidden work" if refused else "",
                feedback={
                    "shape_speedup": 9.9 if refused else speedup,
                    "combined_ms": 1.0 / (speedup or 1.0),
                    "gpu": gpu,
                },
            )  # fmt: skip
        )
    score = [s for s in speedups.values() if s is not None]
    rows.append(
        TestResult(
            name="timing/score",
            group="timing",
            verdict=Verdict.AC,
            feedback={"speedup": min(score), "gpu": gpu},
        )
    )
    return GradeResult(verdict=Verdict.AC, score=100, max_score=100, tests=rows, timing="timed")


def _judged(client, actors, actor, result: GradeResult) -> int:
    submit(client, actor, ACCEPTED)
    job = _claim(client, actors, capabilities=["cpu"])
    _post(client, actors, job, "finish", result=result.model_dump(mode="json"))
    return int(job["submission_id"])


def test_each_shape_against_the_previous_best_on_the_same_gpu(client, actors, settings):
    mark_kernel(settings)
    h200, h100 = "NVIDIA H200", "NVIDIA H100 80GB HBM3"
    first = _judged(client, actors, actors.learner, _timed({SHAPES[0]: 1.5, SHAPES[1]: 2.0}, h200))
    second = _judged(client, actors, actors.learner, _timed({SHAPES[0]: 1.2, SHAPES[1]: 2.5}, h200))
    # A refused shape is no best to beat, and another GPU starts its own history.
    third = _judged(client, actors, actors.learner, _timed({SHAPES[0]: 1.8, SHAPES[1]: None}, h200))
    other_gpu = _judged(client, actors, actors.learner, _timed({SHAPES[0]: 0.9}, h100))
    _judged(client, actors, actors.other, _timed({SHAPES[0]: 5.0, SHAPES[1]: 5.0}, h200))

    response = client.get("/api/v1/problems/add-two/history", headers=actors.learner.headers)
    assert response.status_code == 200, response.text
    entries = response.json()["data"]
    assert [e["submission_id"] for e in entries] == [first, second, third, other_gpu]
    by_id = {e["submission_id"]: {s["shape"]: s for s in e["shapes"]} for e in entries}

    assert all(s["previous_best_speedup"] is None for s in by_id[first].values())
    assert by_id[first][SHAPES[0]]["change"] is None
    worse, better = by_id[second][SHAPES[0]], by_id[second][SHAPES[1]]
    assert (worse["previous_best_speedup"], worse["previous_best_submission_id"]) == (1.5, first)
    assert worse["change"] < 0 < better["change"]
    assert abs(better["change"] - (2.5 / 2.0 - 1)) < 1e-9
    assert list(by_id[third]) == [SHAPES[0]]  # the refused shape is left out
    assert by_id[third][SHAPES[0]]["previous_best_speedup"] == 1.5  # not 1.2: the best
    assert by_id[other_gpu][SHAPES[0]]["previous_best_speedup"] is None
    assert entries[0]["gpu"] == h200 and entries[3]["gpu"] == h100
    assert entries[0]["score"] == 1.5

    others = client.get("/api/v1/problems/add-two/history", headers=actors.other.headers)
    assert [s["speedup"] for s in others.json()["data"][0]["shapes"]] == [5.0, 5.0]


def test_history_is_for_kernel_problems_and_signed_in_users(client, actors):
    refused = client.get("/api/v1/problems/add-two/history", headers=actors.learner.headers)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_a_kernel_problem"
    assert client.get("/api/v1/problems/add-two/history").status_code == 401
    missing = client.get("/api/v1/problems/no-such/history", headers=actors.learner.headers)
    assert missing.status_code == 404
