"""Submission rules that need no judging: idempotency, limits, listing, errors."""

from __future__ import annotations

from backend.app import create_app
from tests.backend.conftest import TestClient, submit
from tests.backend.problems import ACCEPTED


def test_idempotency_key_returns_the_same_submission(client, actors):
    first = submit(client, actors.learner, ACCEPTED, key="ci-run-42")
    again = submit(client, actors.learner, ACCEPTED, key="ci-run-42")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    # Keys are per user: bob's identical key is a different submission.
    other = submit(client, actors.other, ACCEPTED, key="ci-run-42")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    listed = client.get("/api/v1/submissions", headers=actors.learner.headers).json()
    assert listed["count"] == 1


def test_rate_limit_per_user(settings, actors):
    limited = settings.model_copy(update={"rate_limit_submissions": 2, "rate_limit_window_s": 60})
    with TestClient(create_app(limited)) as client:
        assert submit(client, actors.learner, ACCEPTED).status_code == 201
        assert submit(client, actors.learner, ACCEPTED, key="k2").status_code == 201
        refused = submit(client, actors.learner, ACCEPTED)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.json()["error"]["code"] == "rate_limited"
        # A retry of an accepted request is not a new submission: never rate limited.
        assert submit(client, actors.learner, ACCEPTED, key="k2").status_code == 200
        assert submit(client, actors.other, ACCEPTED).status_code == 201  # per user


def test_source_limits(client, actors):
    empty = submit(client, actors.learner, "  \n")
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "empty_source"
    big = submit(client, actors.learner, "#" * (256 * 1024 + 1))
    assert big.status_code == 413
    assert big.json()["error"]["code"] == "source_too_large"
    assert "262144" in big.json()["error"]["message"]
    assert submit(client, actors.learner, "#" * (256 * 1024 - 10) + "\nprint(1)").status_code == 201


def test_unknown_problem_and_language(client, actors):
    nope = submit(client, actors.learner, ACCEPTED, problem="no-such-problem")
    assert nope.status_code == 404 and nope.json()["error"]["code"] == "problem_not_found"
    hidden = submit(client, actors.learner, ACCEPTED, problem="draft-problem")
    assert hidden.status_code == 404
    cobol = submit(client, actors.learner, ACCEPTED, language="cobol")
    assert cobol.status_code == 422 and cobol.json()["error"]["code"] == "unknown_language"
    assert cobol.json()["error"]["details"]["accepted"] == ["python"]
    malformed = client.post(
        "/api/v1/submissions", json={"problem": "add-two"}, headers=actors.learner.headers
    )
    assert malformed.status_code == 422
    assert malformed.json()["error"]["code"] == "validation_error"
    assert "language" in malformed.json()["error"]["message"]


def test_listing_visibility_and_paging(client, actors):
    for _ in range(3):
        submit(client, actors.learner, ACCEPTED)
    submit(client, actors.other, ACCEPTED)
    mine = client.get("/api/v1/submissions", headers=actors.learner.headers).json()
    assert mine["count"] == 3 and {s["user"] for s in mine["data"]} == {"alice"}
    assert "tests" not in mine["data"][0] and "source" not in mine["data"][0]
    page = client.get(
        "/api/v1/submissions", params={"limit": 2, "offset": 2}, headers=actors.learner.headers
    )
    assert page.json()["count"] == 3 and len(page.json()["data"]) == 1
    # bob asking for alice's still sees only his own
    sneaky = client.get(
        "/api/v1/submissions", params={"user": "alice"}, headers=actors.other.headers
    )
    assert sneaky.json()["count"] == 0
    staff = client.get("/api/v1/submissions", headers=actors.admin.headers).json()
    assert staff["count"] == 4
    by_user = client.get(
        "/api/v1/submissions", params={"user": "bob"}, headers=actors.instructor.headers
    )
    assert by_user.json()["count"] == 1


def test_problem_list_filters_and_progress(client, actors):
    listed = client.get("/api/v1/problems").json()
    assert [p["slug"] for p in listed["data"]] == ["add-two"]  # the draft is hidden
    # The bundled draft belongs to the admins: the instructor (granted add-two only)
    # does not see it, the admin does.
    staff = client.get("/api/v1/problems", headers=actors.instructor.headers).json()
    assert {p["slug"] for p in staff["data"]} == {"add-two"}
    admin = client.get("/api/v1/problems", headers=actors.admin.headers).json()
    assert {p["slug"] for p in admin["data"]} == {"add-two", "draft-problem"}
    assert client.get("/api/v1/problems", params={"tag": "math"}).json()["count"] == 1
    assert client.get("/api/v1/problems", params={"tag": "graphs"}).json()["count"] == 0
    assert client.get("/api/v1/problems", params={"q": "ADD"}).json()["count"] == 1
    submit(client, actors.learner, ACCEPTED)
    row = client.get("/api/v1/problems", headers=actors.learner.headers).json()["data"][0]
    assert row["attempted"] is True and row["solved"] is False


def test_request_bodies_are_capped(settings, actors):
    small = settings.model_copy(update={"max_body_bytes": 4096})
    body = {"problem": "add-two", "language": "python", "source": "#" * 5000}
    with TestClient(create_app(small)) as client:
        declared = client.post("/api/v1/submissions", json=body, headers=actors.learner.headers)
        assert declared.status_code == 413
        assert declared.json()["error"]["code"] == "body_too_large"

        def chunks():
            yield b'{"problem": "add-two", "language": "python", "source": "'
            for _ in range(10):
                yield b"#" * 1000
            yield b'"}'

        streamed = client.post(
            "/api/v1/submissions",
            content=chunks(),
            headers={**actors.learner.headers, "content-type": "application/json"},
        )
        assert streamed.status_code == 413
        assert streamed.json()["error"]["code"] == "body_too_large"
