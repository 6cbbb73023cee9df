"""Judgehost processes against a live server: crash recovery and no double judging."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from backend.app import create_app
from backend.db.models import Judgehost, JudgeJob
from backend.db.session import make_engine, make_sessionmaker
from tests.backend.live import LiveServer, kill, start_judgehost, stop, wait_for
from tests.backend.problems import ACCEPTED, SLOW

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


def _jobs(settings):
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            jobs = list(session.scalars(select(JudgeJob).order_by(JudgeJob.id)))
            hosts = list(session.scalars(select(Judgehost)))
            return jobs, hosts
    finally:
        engine.dispose()


def _token(actors):
    return actors.judge.headers["Authorization"].removeprefix("Bearer ")


def test_killed_judgehost_loses_nothing(settings, actors, tmp_path):
    crashy = settings.model_copy(update={"lease_s": 2.0})
    with LiveServer(create_app(crashy)) as live, httpx.Client(base_url=live.url) as http:
        sub = http.post(
            "/api/v1/submissions",
            json={"problem": "add-two", "language": "python", "source": SLOW},
            headers=actors.learner.headers,
        ).json()
        url = f"/api/v1/submissions/{sub['id']}"

        def get():
            return http.get(url, headers=actors.learner.headers).json()

        first = start_judgehost(
            live.url, _token(actors), "doomed", tmp_path / "cache1", tmp_path / "j1.log"
        )
        try:
            wait_for(lambda: get()["tests"], 60, "the first test result")
        finally:
            kill(first)
        assert get()["status"] == "running"
        second = start_judgehost(
            live.url, _token(actors), "rescuer", tmp_path / "cache2", tmp_path / "j2.log"
        )
        try:
            done = wait_for(
                lambda: (s := get())["status"] == "judged" and s, 90, "the re-judged verdict"
            )
        finally:
            stop(second)
    assert done["verdict"] == "AC", (tmp_path / "j2.log").read_text()[-3000:]
    assert [t["name"] for t in done["tests"]] == ["sample/01", "sample/02", "main/01", "main/02"]
    jobs, _ = _jobs(settings)
    assert jobs[0].attempts == 2 and jobs[0].judgehost == "rescuer"


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_judgehosts_never_judge_the_same_submission_twice(settings, actors, tmp_path):
    with LiveServer(create_app(settings)) as live, httpx.Client(base_url=live.url) as http:
        ids = []
        for i in range(10):
            who = actors.learner if i % 2 else actors.other
            response = http.post(
                "/api/v1/submissions",
                json={"problem": "add-two", "language": "python", "source": ACCEPTED},
                headers=who.headers,
            )
            ids.append((response.json()["id"], who))
        hosts = [
            start_judgehost(
                live.url, _token(actors), f"j{i}", tmp_path / "cache", tmp_path / f"j{i}.log"
            )
            for i in range(2)
        ]
        try:

            def all_judged():
                return all(
                    http.get(f"/api/v1/submissions/{sid}", headers=who.headers).json()["status"]
                    == "judged"
                    for sid, who in ids
                )

            wait_for(all_judged, 150, "all submissions judged")
        finally:
            for proc in hosts:
                stop(proc)
        verdicts = {
            http.get(f"/api/v1/submissions/{sid}", headers=who.headers).json()["verdict"]
            for sid, who in ids
        }
    assert verdicts == {"AC"}
    jobs, judgehosts = _jobs(settings)
    assert len(jobs) == 10
    assert all(job.attempts == 1 for job in jobs), [(j.id, j.attempts) for j in jobs]
    claims = {host.name: host.jobs_claimed for host in judgehosts}
    assert sum(claims.values()) == 10, claims
    assert set(claims) == {"j0", "j1"}


def test_judgehost_with_a_wrong_token_stops_with_a_message(client, actors, tmp_path):
    with LiveServer(create_app(client.app.state.settings)) as live:
        learner_token = actors.learner.headers["Authorization"].removeprefix("Bearer ")
        proc = start_judgehost(live.url, learner_token, "wrong", tmp_path / "c", tmp_path / "j.log")
        try:
            assert proc.wait(timeout=60) == 2
        finally:
            kill(proc)
    assert "refused the token (403)" in (tmp_path / "j.log").read_text()
