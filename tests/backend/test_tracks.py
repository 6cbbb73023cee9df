"""Tracks (ordered problems with progress) and instructor analytics, through the API.

Verdicts arrive through the real judge protocol (claim, results, finish with a judge
token), as a judgehost would post them, so progress and analytics read what the
queue stored.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from tests.backend.conftest import Actors, make_settings, seed, submit
from tests.backend.problems import ACCEPTED, WRONG, write_problem

HINT = "you subtract; the problem asks for the sum"


@pytest.fixture
def app_client(tmp_path):
    settings = make_settings(tmp_path)
    track = "track: {{id: {id}, position: {pos}}}\n"
    write_problem(settings.problems_dir, "add-two", extra_yaml=track.format(id="warm-up", pos=1))
    write_problem(
        settings.problems_dir,
        "add-three",
        name="Add, again",
        extra_yaml=track.format(id="warm-up", pos=0),
    )
    write_problem(
        settings.problems_dir,
        "hidden-step",
        visibility="hidden",
        extra_yaml=track.format(id="warm-up", pos=2),
    )
    write_problem(settings.problems_dir, "loose", name="No track")
    actors = seed(settings)
    with TestClient(create_app(settings)) as client:
        yield client, actors


def judge_next(client: TestClient, actors: Actors, verdict: str, tests: list[dict[str, Any]]):
    job = client.post(
        "/api/v1/judge/claim",
        headers=actors.judge.headers,
        json={"judgehost": "test", "capabilities": ["cpu"]},
    ).json()
    lease = job["lease_id"]
    stored = client.post(
        f"/api/v1/judge/{job['job_id']}/results",
        headers=actors.judge.headers,
        json={"lease_id": lease, "results": tests},
    )
    assert stored.status_code == 200, stored.text
    done = client.post(
        f"/api/v1/judge/{job['job_id']}/finish",
        headers=actors.judge.headers,
        json={
            "lease_id": lease,
            "result": {"verdict": verdict, "score": 0, "max_score": 100, "tests": tests},
        },
    )
    assert done.status_code == 200, done.text
    return job["submission_id"]


def row(name: str, verdict: str, hint: str | None = None) -> dict[str, Any]:
    group = name.split("/")[0]
    return {"name": name, "group": group, "verdict": verdict, "hint": hint}


def test_tracks_list_order_progress_and_next(app_client):
    client, actors = app_client
    anonymous = client.get("/api/v1/tracks").json()
    assert anonymous["data"] == [
        {"id": "warm-up", "title": "Warm up", "total": 2, "solved": 0, "next": "add-three"}
    ]
    # An admin also sees the hidden step; an instructor only once granted it (bundled
    # problems belong to the admins).
    staff = client.get("/api/v1/tracks/warm-up", headers=actors.admin.headers).json()
    assert [p["slug"] for p in staff["problems"]] == ["add-three", "add-two", "hidden-step"]
    ungranted = client.get("/api/v1/tracks/warm-up", headers=actors.instructor.headers).json()
    assert [p["slug"] for p in ungranted["problems"]] == ["add-three", "add-two"]

    submit(client, actors.learner, ACCEPTED, problem="add-three")
    judge_next(client, actors, "AC", [row("sample/01", "AC")])
    mine = client.get("/api/v1/tracks/warm-up", headers=actors.learner.headers).json()
    assert [p["slug"] for p in mine["problems"]] == ["add-three", "add-two"]
    assert [p["solved"] for p in mine["problems"]] == [True, False]
    assert mine["solved"] == 1 and mine["total"] == 2 and mine["next"] == "add-two"
    assert mine["problems"][0]["track"] == {"id": "warm-up", "position": 0}
    theirs = client.get("/api/v1/tracks/warm-up", headers=actors.other.headers).json()
    assert theirs["solved"] == 0 and theirs["next"] == "add-three"

    filtered = client.get("/api/v1/problems", params={"track": "warm-up"}).json()
    assert {p["slug"] for p in filtered["data"]} == {"add-two", "add-three"}
    assert client.get("/api/v1/tracks/nope").status_code == 404
    assert client.get("/api/v1/tracks/bad%20id").status_code == 422


def test_analytics_for_instructors_only(app_client):
    client, actors = app_client
    # alice: WA with a hint, then AC; bob: WA with the same hint twice.
    submit(client, actors.learner, WRONG)
    judge_next(
        client,
        actors,
        "WA",
        [row("sample/01", "AC"), row("sample/02", "WA", HINT), row("main/01", "WA")],
    )
    submit(client, actors.learner, ACCEPTED)
    judge_next(client, actors, "AC", [row("sample/01", "AC"), row("sample/02", "AC")])
    for _ in range(2):
        submit(client, actors.other, WRONG)
        judge_next(client, actors, "WA", [row("sample/01", "AC"), row("sample/02", "WA", HINT)])

    for who in (actors.learner, actors.anonymous):
        refused = client.get("/api/v1/analytics/problems/add-two", headers=who.headers)
        assert refused.status_code in (401, 403)
    body = client.get("/api/v1/analytics/problems/add-two", headers=actors.instructor.headers)
    assert body.status_code == 200, body.text
    stats = body.json()
    assert stats["attempts"] == 4 and stats["learners"] == 2 and stats["solvers"] == 1
    assert stats["solve_rate"] == 0.5
    assert stats["median_attempts_to_ac"] == 2
    assert stats["median_time_to_ac_s"] >= 0
    worst = stats["failing_tests"][0]
    assert worst["name"] == "sample/02" and worst["failures"] == 3 and worst["learners"] == 2
    assert worst["verdicts"] == {"WA": 3}
    assert stats["hints"] == [{"hint": HINT, "fired": 3, "learners": 2}]

    listing = client.get("/api/v1/analytics/problems", headers=actors.admin.headers).json()
    assert {row["slug"] for row in listing["data"]} >= {"add-two", "hidden-step"}
    untouched = [row for row in listing["data"] if row["slug"] == "loose"][0]
    assert untouched["attempts"] == 0 and untouched["solve_rate"] is None

    # The learner sees the hint on their own result, stored with the test.
    mine = client.get("/api/v1/submissions", headers=actors.learner.headers).json()["data"]
    first = client.get(f"/api/v1/submissions/{mine[-1]['id']}", headers=actors.learner.headers)
    hints = {t["name"]: t["hint"] for t in first.json()["tests"]}
    assert hints["sample/02"] == HINT and hints["sample/01"] is None
