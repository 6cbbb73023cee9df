"""The embedded judgehost claims a submission queued in its own process at once,
instead of at its next poll of the queue, and grades several at once with
`judge_workers`."""

from __future__ import annotations

import time

from backend.app import create_app
from backend.db.models import JudgeJob
from backend.db.session import make_engine, make_sessionmaker
from tests.backend.conftest import TestClient, make_settings, seed, submit
from tests.backend.problems import ACCEPTED, write_problem


def test_a_queued_submission_wakes_the_embedded_judge(tmp_path):
    # A poll far longer than the wait: only the wake-up gets a verdict in time. The
    # second submission comes after the judge finished the first and went back to
    # waiting (so a first claim that merely came late proves nothing here).
    settings = make_settings(tmp_path, embedded_judgehost=True, judge_poll_s=3600)
    write_problem(settings.problems_dir, "woken")
    actors = seed(settings)
    with TestClient(create_app(settings)) as client:
        first = submit(client, actors.learner, ACCEPTED, problem="woken", wait=120).json()
        second = submit(client, actors.learner, ACCEPTED, problem="woken", wait=120).json()
    assert first["verdict"] == "AC", first
    assert second["verdict"] == "AC", second


SLEEPY = "import time\ntime.sleep(1.5)\na, b = map(int, input().split())\nprint(a + b)\n"


def test_judge_workers_grade_submissions_at_once(tmp_path):
    # Two workers: the second job is claimed before the first is finished (one
    # worker claims a job only after finishing the one before). No clock compared
    # but the queue's own timestamps.
    settings = make_settings(tmp_path, embedded_judgehost=True, judge_workers=2)
    write_problem(settings.problems_dir, "sleepy", time_s=10)
    actors = seed(settings)
    with TestClient(create_app(settings)) as client:
        submit(client, actors.learner, SLEEPY, problem="sleepy")
        second = submit(client, actors.learner, SLEEPY, problem="sleepy", wait=240).json()
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            listed = client.get("/api/v1/submissions", headers=actors.learner.headers).json()
            if all(s["status"] == "judged" for s in listed["data"]):
                break
            time.sleep(0.2)
    assert second["verdict"] == "AC", second
    assert [s["verdict"] for s in listed["data"]] == ["AC", "AC"], listed
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        jobs = session.query(JudgeJob).order_by(JudgeJob.id).all()
        assert len(jobs) == 2
        assert jobs[1].claimed_at < jobs[0].finished_at
    engine.dispose()
