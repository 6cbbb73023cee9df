"""The judge queue over REST: claims, leases, retries, idempotency."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from backend.app import create_app
from backend.db.types import utcnow
from backend.services import judge as judge_service
from graders.results import GradeResult, TestResult
from graders.verdict import Verdict
from tests.backend.conftest import TestClient, submit
from tests.backend.problems import ACCEPTED

CLAIM = "/api/v1/judge/claim"


def _result(verdict=Verdict.AC, names=("sample/01", "sample/02")):
    return GradeResult(
        verdict=verdict,
        score=100 if verdict is Verdict.AC else 0,
        max_score=100,
        tests=[
            TestResult(name=n, group=n.split("/")[0], verdict=verdict, time_ms=5) for n in names
        ],
    ).model_dump(mode="json")


LEASE_S = 30.0


class Clock:
    """The judge service's clock, moved by the test: leases expire when the test
    says, not when a loaded machine happens to be slow."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(judge_service, "utcnow", fake)
    return fake


@pytest.fixture
def short_lease(settings, clock):
    return settings.model_copy(update={"lease_s": LEASE_S})


@pytest.fixture
def lease_client(short_lease, actors):
    with TestClient(create_app(short_lease)) as c:
        yield c


def _claim(client, actors, host="h1", capabilities=("cpu",)):
    response = client.post(
        CLAIM,
        json={"judgehost": host, "capabilities": list(capabilities)},
        headers=actors.judge.headers,
    )
    assert response.status_code in (200, 204), response.text
    return response.json() if response.status_code == 200 else None


def _post(client, actors, job, action, **body):
    return client.post(
        f"/api/v1/judge/{job['job_id']}/{action}",
        json={"lease_id": job["lease_id"], **body},
        headers=actors.judge.headers,
    )


def test_claims_oldest_first_and_only_matching_capability(client, actors):
    first = submit(client, actors.learner, ACCEPTED).json()
    second = submit(client, actors.other, ACCEPTED).json()
    assert _claim(client, actors, capabilities=["gpu:H100"]) is None  # only cpu jobs queued
    job = _claim(client, actors)
    assert job["submission_id"] == first["id"] and job["attempt"] == 1
    assert job["source"] == ACCEPTED and job["language"] == "python" and job["problem"] == "add-two"
    assert _claim(client, actors)["submission_id"] == second["id"]
    assert _claim(client, actors) is None
    got = client.get(f"/api/v1/submissions/{first['id']}", headers=actors.learner.headers).json()
    assert got["status"] == "running"


def test_concurrent_claims_never_share_a_job(client, actors, settings):
    ids = {
        submit(client, a, ACCEPTED).json()["id"]
        for a in (actors.learner, actors.other)
        for _ in range(6)
    }
    claimed: list[int] = []
    lock = threading.Lock()

    def worker(name):
        while (job := _claim(client, actors, host=name)) is not None:
            with lock:
                claimed.append(job["submission_id"])

    threads = [threading.Thread(target=worker, args=(f"h{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(ids)


def test_results_and_finish_are_idempotent(client, actors):
    sub = submit(client, actors.learner, ACCEPTED).json()
    job = _claim(client, actors)
    one = TestResult(
        name="sample/01", group="sample", verdict=Verdict.AC, visible=True, input="1 2\n"
    )
    body = [one.model_dump(mode="json")]
    assert _post(client, actors, job, "results", results=body).json() == {"stored": 1}
    assert _post(client, actors, job, "results", results=body).json() == {"stored": 0}
    first = _post(client, actors, job, "finish", result=_result())
    again = _post(client, actors, job, "finish", result=_result())
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"state": "done", "verdict": "AC"}
    got = client.get(f"/api/v1/submissions/{sub['id']}", headers=actors.learner.headers).json()
    assert [t["name"] for t in got["tests"]] == ["sample/01", "sample/02"]
    assert got["verdict"] == "AC" and got["status"] == "judged"
    # The lease is gone once finished: no more results or heartbeats.
    assert _post(client, actors, job, "heartbeat").status_code == 409


def test_expired_lease_goes_back_to_the_queue(lease_client, actors, clock):
    client = lease_client
    sub = submit(client, actors.learner, ACCEPTED).json()
    stale = _claim(client, actors, host="dies")
    _post(client, actors, stale, "results", results=[_result()["tests"][0]])
    assert _claim(client, actors, host="other") is None  # lease still held
    clock.advance(LEASE_S + 1)
    fresh = _claim(client, actors, host="other")
    assert fresh["submission_id"] == sub["id"] and fresh["attempt"] == 2
    # The first judgehost's lease is dead: it can't report or finish any more.
    assert _post(client, actors, stale, "results", results=[]).status_code == 409
    assert _post(client, actors, stale, "finish", result=_result(Verdict.WA)).status_code == 409
    got = client.get(f"/api/v1/submissions/{sub['id']}", headers=actors.learner.headers).json()
    assert got["tests"] == []  # the abandoned attempt's results were dropped
    assert _post(client, actors, fresh, "finish", result=_result()).json()["verdict"] == "AC"


def test_heartbeat_keeps_the_lease(lease_client, actors, clock):
    client = lease_client
    submit(client, actors.learner, ACCEPTED)
    job = _claim(client, actors)
    for _ in range(5):  # 3 leases' time in all, never one without a heartbeat
        clock.advance(LEASE_S * 0.6)
        assert _post(client, actors, job, "heartbeat").status_code == 200
    assert _claim(client, actors, host="thief") is None


def test_three_expired_leases_make_an_internal_error(lease_client, actors, clock):
    client = lease_client
    sub = submit(client, actors.learner, ACCEPTED).json()
    for attempt in (1, 2, 3):
        job = _claim(client, actors, host=f"crashy-{attempt}")
        assert job["attempt"] == attempt
        clock.advance(LEASE_S + 1)
    assert _claim(client, actors) is None  # reaped, not handed out a 4th time
    got = client.get(f"/api/v1/submissions/{sub['id']}", headers=actors.learner.headers).json()
    assert got["status"] == "judged" and got["verdict"] == "IE"
    assert "3 times" in got["message"] and "lease expired" in got["message"]


def test_reported_errors_retry_then_internal_error(client, actors):
    sub = submit(client, actors.learner, ACCEPTED).json()
    for attempt in (1, 2):
        job = _claim(client, actors)
        assert job["attempt"] == attempt
        answer = _post(client, actors, job, "finish", error="sandbox exploded")
        assert answer.json() == {"state": "queued", "verdict": None}
    job = _claim(client, actors)
    assert _post(client, actors, job, "finish", error="sandbox exploded").json()["verdict"] == "IE"
    got = client.get(f"/api/v1/submissions/{sub['id']}", headers=actors.learner.headers).json()
    assert got["verdict"] == "IE" and "sandbox exploded" in got["message"]


def test_package_download_matches_the_version(client, actors, tmp_path):
    import io
    import zipfile

    from graders import load_package

    submit(client, actors.learner, ACCEPTED)
    job = _claim(client, actors)
    data = client.get(f"/api/v1/judge/packages/{job['package_hash']}", headers=actors.judge.headers)
    assert data.headers["content-type"] == "application/zip"
    zipfile.ZipFile(io.BytesIO(data.content)).extractall(tmp_path)
    package = load_package(tmp_path / "add-two", generate=False)
    assert package.content_hash == job["package_hash"]


def test_leaderboard_ranks_best_speedup_per_user(client, actors):
    def judged(actor, speedup):
        submit(client, actor, ACCEPTED)
        job = _claim(client, actors)
        timing = TestResult(
            name="timing/01",
            group="timing",
            verdict=Verdict.AC,
            feedback={"speedup": speedup, "gbps": 1200.5, "gpu": "NVIDIA H100"},
        )
        result = GradeResult(verdict=Verdict.AC, score=100, max_score=100, tests=[timing])
        _post(client, actors, job, "finish", result=result.model_dump(mode="json"))
        return job["submission_id"]

    judged(actors.learner, 1.5)
    best = judged(actors.learner, 2.5)
    other = judged(actors.other, 2.0)
    submit(client, actors.other, ACCEPTED)  # still queued: not on the board
    board = client.get("/api/v1/problems/add-two/leaderboard").json()
    assert board["count"] == 2
    assert [(r["user"], r["speedup"], r["submission_id"]) for r in board["data"]] == [
        ("alice", 2.5, best),
        ("bob", 2.0, other),
    ]
    assert board["data"][0]["gpu"] == "NVIDIA H100" and board["data"][0]["gbps"] == 1200.5
