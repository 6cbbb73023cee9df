"""Webhooks end to end: a judged submission's callback arrives at a real receiver on
127.0.0.1 (allowed by the admin setting), signed with the token's webhook secret,
retried after a failure, recorded for its owner only; internal targets are refused
when the submission is created and again on every redirect when it is sent."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from backend.app import create_app
from backend.services.webhooks_signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from backend.settings import Settings
from tests.backend.conftest import Actors
from tests.backend.live import wait_for
from tests.backend.problems import ACCEPTED
from tests.webhook_receiver import receiver

pytestmark = pytest.mark.slow


def _app(settings: Settings, **overrides: Any) -> TestClient:
    values: dict[str, Any] = {
        "embedded_judgehost": True,
        "webhook_allowed_hosts": ["127.0.0.1"],
        "webhook_backoff_s": 0.2,
        "webhook_poll_s": 0.05,
    }
    values.update(overrides)
    return TestClient(create_app(settings.model_copy(update=values)))


def _mint(client: TestClient, username: str) -> dict[str, Any]:
    """A token minted the only way there is: from a signed-in session."""
    login = client.post(
        "/api/v1/auth/login", json={"username": username, "password": f"{username}-password"}
    )
    assert login.status_code == 200, login.text
    csrf = {"X-CSRF-Token": client.cookies["gradebox_csrf"]}
    made = client.post(
        "/api/v1/tokens", headers=csrf, json={"name": "ci", "scopes": ["submit", "read"]}
    )
    assert made.status_code == 201, made.text
    client.cookies.clear()
    body: dict[str, Any] = made.json()
    return body


def _submit(client: TestClient, token: str, callback: str) -> Any:
    return client.post(
        "/api/v1/submissions",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "problem": "add-two",
            "language": "python",
            "source": ACCEPTED,
            "callback_url": callback,
        },
    )


def _deliveries(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get("/api/v1/webhooks/deliveries", headers=headers)
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


@pytest.fixture
def app_client(settings: Settings, actors: Actors) -> Iterator[TestClient]:
    with _app(settings) as client:
        yield client


def test_signed_callback_arrives_after_a_retry_and_is_recorded(
    app_client: TestClient, actors: Actors
) -> None:
    minted = _mint(app_client, "alice")
    auth = {"Authorization": f"Bearer {minted['token']}"}
    with receiver(answers=[500]) as hook:
        created = _submit(app_client, minted["token"], hook.url)
        assert created.status_code == 201, created.text
        assert created.json()["callback_url"] == hook.url
        wait_for(lambda: len(hook.requests) >= 2, 120, "the retried callback")
    first, second = hook.requests[:2]
    assert first.body == second.body  # the same delivery, sent again
    payload = json.loads(second.body)
    assert payload["event"] == "submission.judged"
    assert payload["submission"]["id"] == created.json()["id"]
    assert payload["submission"]["verdict"] == "AC"
    assert "source" not in payload["submission"]
    assert verify(
        minted["webhook_secret"],
        timestamp=second.headers[TIMESTAMP_HEADER],
        signature_header=second.headers[SIGNATURE_HEADER],
        body=second.body,
    )
    # Any other secret, or a changed body, does not verify: the check can fail.
    assert not verify(
        "whsec_wrong",
        timestamp=second.headers[TIMESTAMP_HEADER],
        signature_header=second.headers[SIGNATURE_HEADER],
        body=second.body,
    )
    assert not verify(
        minted["webhook_secret"],
        timestamp=second.headers[TIMESTAMP_HEADER],
        signature_header=second.headers[SIGNATURE_HEADER],
        body=second.body.replace(b'"AC"', b'"WA"'),
    )

    def delivered() -> list[dict[str, Any]]:
        rows = _deliveries(app_client, auth)
        return rows if rows and rows[0]["state"] == "delivered" else []

    (row,) = wait_for(delivered, 30, "the delivery to be recorded")
    assert row["attempts"] == 2
    assert [h["status"] for h in row["history"]] == [500, 200]
    # Only the owner sees it.
    assert _deliveries(app_client, actors.other.headers) == []
    other = app_client.get(f"/api/v1/webhooks/deliveries/{row['id']}", headers=actors.other.headers)
    assert other.status_code == 404


def test_internal_callback_is_refused_when_submitting(settings: Settings, actors: Actors) -> None:
    with _app(settings, webhook_allowed_hosts=[], embedded_judgehost=False) as client:
        minted = _mint(client, "alice")
        for url in ("http://127.0.0.1:9/hook", "http://localhost:9/", "http://169.254.169.254/"):
            refused = _submit(client, minted["token"], url)
            assert refused.status_code == 422, refused.text
            assert refused.json()["error"]["code"] == "callback_refused"
        assert (
            client.get("/api/v1/submissions", headers=actors.learner.headers).json()["count"] == 0
        )


def test_a_callback_needs_a_token(app_client: TestClient, actors: Actors) -> None:
    login = app_client.post(
        "/api/v1/auth/login", json={"username": "alice", "password": "alice-password"}
    )
    assert login.status_code == 200
    refused = app_client.post(
        "/api/v1/submissions",
        headers={"X-CSRF-Token": app_client.cookies["gradebox_csrf"]},
        json={
            "problem": "add-two",
            "language": "python",
            "source": ACCEPTED,
            "callback_url": "http://127.0.0.1:9/",
        },
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "callback_needs_token"


def test_a_redirect_to_an_internal_address_is_refused_when_sending(
    app_client: TestClient, actors: Actors
) -> None:
    minted = _mint(app_client, "alice")
    auth = {"Authorization": f"Bearer {minted['token']}"}
    with receiver() as inner:
        # 127.0.0.1 is allowed; `localhost` is the same machine under a name that is not.
        with receiver(redirect_to=f"http://localhost:{inner.port}/hook") as outer:
            assert _submit(app_client, minted["token"], outer.url).status_code == 201

            def failed() -> list[dict[str, Any]]:
                rows = _deliveries(app_client, auth)
                return rows if rows and rows[0]["state"] == "failed" else []

            (row,) = wait_for(failed, 120, "the refused delivery")
        assert len(outer.requests) == 1
        assert inner.requests == []
    assert row["attempts"] == 1  # refused is final: no retry
    assert "refused" in row["last_error"] and "localhost" in row["last_error"]
