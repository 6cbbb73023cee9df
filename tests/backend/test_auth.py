"""Accounts, browser sessions with CSRF, and API tokens."""

from __future__ import annotations

from sqlalchemy import select

from backend.db.models import ApiToken, User
from backend.db.session import make_engine, make_sessionmaker
from tests.backend.conftest import TestClient, create_app


def _login(client, username="alice", password="alice-password"):
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return client.cookies.get("gradebox_csrf")


def _rows(settings, model):
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            return list(session.scalars(select(model)))
    finally:
        engine.dispose()


def test_register_login_me_logout(client, settings):
    created = client.post(
        "/api/v1/auth/register", json={"username": "carol", "password": "pw-123456"}
    )
    assert created.status_code == 201
    assert created.json()["role"] == "learner"
    session_cookie = created.headers.get_list("set-cookie")
    assert any(
        "gradebox_session=" in c and "HttpOnly" in c and "SameSite=lax" in c for c in session_cookie
    )
    assert any("gradebox_csrf=" in c and "HttpOnly" not in c for c in session_cookie)
    assert client.get("/api/v1/auth/me").json()["username"] == "carol"
    stored = [u for u in _rows(settings, User) if u.username == "carol"][0]
    assert stored.password_hash.startswith("$argon2id$") and "pw-123456" not in stored.password_hash

    csrf = client.cookies.get("gradebox_csrf")
    assert client.post("/api/v1/auth/logout").status_code == 403  # no CSRF header
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    client.cookies.clear()
    assert client.get("/api/v1/auth/me").status_code == 401


def test_logout_ends_the_session_server_side(client):
    csrf = _login(client)
    stolen = client.cookies.get("gradebox_session")
    client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    client.cookies.clear()
    client.cookies.set("gradebox_session", stolen)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_bad_credentials_and_duplicate_username(client):
    wrong = client.post("/api/v1/auth/login", json={"username": "alice", "password": "nope"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "bad_credentials"
    unknown = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "nope"})
    assert unknown.status_code == 401
    taken = client.post("/api/v1/auth/register", json={"username": "alice", "password": "12345678"})
    assert taken.status_code == 409
    short = client.post("/api/v1/auth/register", json={"username": "zed", "password": "short"})
    assert short.status_code == 422
    assert short.json()["error"]["code"] == "validation_error"


def test_registration_can_be_switched_off(settings, actors):
    app = create_app(settings.model_copy(update={"registration_enabled": False}))
    with TestClient(app) as client:
        response = client.post(
            "/api/v1/auth/register", json={"username": "eve", "password": "12345678"}
        )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "registration_closed"


def test_csrf_required_for_cookie_writes_not_for_bearer(client, actors):
    csrf = _login(client)
    body = {"problem": "add-two", "language": "python", "source": "print(3)\n"}
    missing = client.post("/api/v1/submissions", json=body)
    assert missing.status_code == 403
    assert missing.json()["error"]["code"] == "csrf_failed"
    forged = client.post("/api/v1/submissions", json=body, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403
    odd = client.post(
        "/api/v1/submissions", json=body, headers={"X-CSRF-Token": "é".encode("latin-1")}
    )
    assert odd.status_code == 403
    ok = client.post("/api/v1/submissions", json=body, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201
    # Reads need no CSRF token.
    assert client.get("/api/v1/submissions").status_code == 200
    # A bearer token needs none either, even with a stale cookie around.
    client.cookies.clear()
    assert (
        client.post("/api/v1/submissions", json=body, headers=actors.other.headers).status_code
        == 201
    )


def test_csrf_value_must_belong_to_this_session(client):
    first = _login(client)
    client.cookies.clear()
    _login(client, "bob", "bob-password")
    # alice's CSRF value echoed with bob's session: both cookie and header say `first`.
    client.cookies.set("gradebox_csrf", first)
    response = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": first})
    assert response.status_code == 403


def test_token_lifecycle(client, settings):
    csrf = _login(client)
    created = client.post(
        "/api/v1/tokens",
        json={"name": "ci", "scopes": ["submit", "read"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert created.status_code == 201
    token = created.json()["token"]
    assert token.startswith("gbx_")
    listed = client.get("/api/v1/tokens").json()
    assert "token" not in listed["data"][0]  # shown once only
    assert all(token not in row.token_hash for row in _rows(settings, ApiToken))

    bearer = {"Authorization": f"Bearer {token}"}
    client.cookies.clear()
    assert client.get("/api/v1/auth/me", headers=bearer).json()["username"] == "alice"
    used = [t for t in _rows(settings, ApiToken) if t.id == created.json()["id"]][0]
    assert used.last_used_at is not None

    csrf = _login(client)
    revoked = client.delete(
        f"/api/v1/tokens/{created.json()['id']}", headers={"X-CSRF-Token": csrf}
    )
    assert revoked.status_code == 204
    client.cookies.clear()
    refused = client.get("/api/v1/auth/me", headers=bearer)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "bad_token"


def test_token_scopes_are_limited_by_role(client):
    csrf = {"X-CSRF-Token": _login(client)}
    judge = client.post("/api/v1/tokens", json={"name": "j", "scopes": ["judge"]}, headers=csrf)
    assert judge.status_code == 403
    write = client.post(
        "/api/v1/tokens", json={"name": "w", "scopes": ["problems:write"]}, headers=csrf
    )
    assert write.status_code == 403
    client.cookies.clear()
    csrf = {"X-CSRF-Token": _login(client, "ada", "ada-password")}
    mixed = client.post(
        "/api/v1/tokens", json={"name": "j", "scopes": ["judge", "read"]}, headers=csrf
    )
    assert mixed.status_code == 422
    assert (
        client.post(
            "/api/v1/tokens", json={"name": "j", "scopes": ["judge"]}, headers=csrf
        ).status_code
        == 201
    )


def test_scopes_are_enforced(client, settings):
    csrf = {"X-CSRF-Token": _login(client)}
    read_only = client.post(
        "/api/v1/tokens", json={"name": "r", "scopes": ["read"]}, headers=csrf
    ).json()
    submit_only = client.post(
        "/api/v1/tokens", json={"name": "s", "scopes": ["submit"]}, headers=csrf
    ).json()
    client.cookies.clear()
    body = {"problem": "add-two", "language": "python", "source": "print(3)\n"}
    reader = {"Authorization": f"Bearer {read_only['token']}"}
    submitter = {"Authorization": f"Bearer {submit_only['token']}"}
    assert client.post("/api/v1/submissions", json=body, headers=reader).status_code == 403
    assert client.get("/api/v1/submissions", headers=reader).status_code == 200
    assert client.post("/api/v1/submissions", json=body, headers=submitter).status_code == 201
    assert client.get("/api/v1/submissions", headers=submitter).status_code == 403


def test_admin_cli_creates_users_and_tokens(settings, actors, monkeypatch):
    from typer.testing import CliRunner

    from backend.cli.main import app

    monkeypatch.setenv("GRADEBOX_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("GRADEBOX_SECRET_KEY", settings.secret_key)
    runner = CliRunner()
    made = runner.invoke(
        app,
        ["admin", "create-user", "root", "--role", "admin"],
        env={"GRADEBOX_PASSWORD": "pw-admin-1"},
    )
    assert made.exit_code == 0, made.output
    assert "created admin root" in made.output
    token = runner.invoke(app, ["admin", "create-token", "root", "--scope", "judge"])
    assert token.exit_code == 0, token.output
    secret = token.output.strip().splitlines()[-1]
    assert secret.startswith("gbx_")
    again = runner.invoke(app, ["admin", "create-user", "root"], env={"GRADEBOX_PASSWORD": "x"})
    assert again.exit_code == 1
    promoted = runner.invoke(app, ["admin", "set-role", "alice", "instructor"])
    assert promoted.exit_code == 0 and "alice is now instructor" in promoted.output
    assert runner.invoke(app, ["admin", "set-role", "nobody", "admin"]).exit_code == 1
    assert runner.invoke(app, ["admin", "set-role", "alice", "king"]).exit_code == 2
    listed = runner.invoke(app, ["admin", "list-users"]).output
    assert "alice" in listed and "instructor" in listed and "root" in listed
    with TestClient(create_app(settings)) as client:
        claim = client.post(
            "/api/v1/judge/claim",
            json={"judgehost": "t", "capabilities": ["cpu"]},
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert claim.status_code == 204
