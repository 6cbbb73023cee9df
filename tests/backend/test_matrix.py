"""The authorization matrix: every endpoint x every kind of caller -> expected status.

Callers: anonymous, a learner (alice, who owns the submission under test), another
learner (bob), an instructor, an admin, and a judge token. Credentials here are API
tokens; browser sessions (which alone may mint tokens) are covered by
`test_session_matrix_for_token_routes` and test_auth.py.
"""

from __future__ import annotations

import pytest

from backend.auth.principal import Principal
from backend.db.models import ApiToken
from backend.db.session import make_engine, make_sessionmaker
from backend.errors import Forbidden
from backend.schemas.tokens import Scope
from backend.schemas.users import Role
from backend.services import problems, tokens, uploads, users
from graders.results import GradeResult, TestResult
from graders.verdict import Verdict
from tests.backend.conftest import (
    DATABASES,
    TestClient,
    create_app,
    fresh_database_url,
    make_settings,
    seed,
)
from tests.backend.problems import ACCEPTED, write_problem

WHO = ("anonymous", "learner", "other", "instructor", "admin", "judge")


@pytest.fixture(scope="module", params=DATABASES)
def world(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("matrix")
    settings = make_settings(tmp, fresh_database_url(request, request.param, tmp))
    write_problem(settings.problems_dir)
    write_problem(settings.problems_dir, "draft-problem", visibility="hidden", name="A draft")
    actors = seed(settings)
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        bob = users.get_by_username(session=session, username="bob")
        spare, _ = tokens.create(
            session=session, settings=settings, user=bob, name="spare", scopes=[Scope.READ]
        )
        spare_id = spare.id
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        sub = client.post(
            "/api/v1/submissions",
            json={"problem": "add-two", "language": "python", "source": ACCEPTED},
            headers=actors.learner.headers,
        ).json()
        # Judge it through the judge API so events/junit have a finished submission.
        job = client.post(
            "/api/v1/judge/claim", json={"judgehost": "matrix"}, headers=actors.judge.headers
        ).json()
        result = GradeResult(
            verdict=Verdict.AC,
            score=100,
            max_score=100,
            tests=[TestResult(name="sample/01", group="sample", verdict=Verdict.AC, visible=True)],
        )
        finished = client.post(
            f"/api/v1/judge/{job['job_id']}/finish",
            json={"lease_id": job["lease_id"], "result": result.model_dump(mode="json")},
            headers=actors.judge.headers,
        )
        assert finished.status_code == 200, finished.text
        job["spare_token"] = spare_id
        yield client, actors, sub, job


def _cases(sub, job):
    s, j = sub["id"], job["job_id"]
    body = {"problem": "add-two", "language": "python", "source": "print(1)\n"}
    lease = {"lease_id": "not-the-lease"}
    zip_file = {"files": {"file": ("p.zip", b"not a zip", "application/zip")}}
    #  method, path, kwargs, (anonymous, learner, other, instructor, admin, judge)
    return [
        ("GET", "/api/v1/auth/me", {}, (401, 200, 200, 200, 200, 403)),
        ("POST", "/api/v1/auth/logout", {}, (401, 204, 204, 204, 204, 403)),
        ("GET", "/api/v1/tokens", {}, (401, 200, 200, 200, 200, 403)),
        ("POST", "/api/v1/tokens", {"json": {"name": "x"}}, (401, 403, 403, 403, 403, 403)),
        ("DELETE", "/api/v1/tokens/999", {}, (401, 404, 404, 404, 404, 403)),
        # bob's spare token: only bob may revoke it
        ("DELETE", f"/api/v1/tokens/{job['spare_token']}", {}, (401, 404, 204, 404, 404, 403)),
        ("GET", "/api/v1/problems", {}, (200, 200, 200, 200, 200, 403)),
        ("GET", "/api/v1/problems/add-two", {}, (200, 200, 200, 200, 200, 403)),
        # Bundled problems belong to the admins: the instructor manages add-two through
        # a grant (seed) and has no rights on the ungranted, hidden draft-problem.
        ("GET", "/api/v1/problems/draft-problem", {}, (404, 404, 404, 404, 200, 403)),
        ("GET", "/api/v1/problems/no-such", {}, (404, 404, 404, 404, 404, 403)),
        ("GET", "/api/v1/problems/add-two/leaderboard", {}, (200, 200, 200, 200, 200, 403)),
        ("GET", "/api/v1/problems/draft-problem/leaderboard", {}, (404, 404, 404, 404, 200, 403)),
        ("POST", "/api/v1/problems", zip_file, (401, 403, 403, 422, 422, 403)),
        (
            "PATCH",
            "/api/v1/problems/add-two",
            {"json": {"visibility": "public"}},
            (401, 403, 403, 200, 200, 403),
        ),
        (
            "PATCH",
            "/api/v1/problems/draft-problem",
            {"json": {"visibility": "hidden"}},
            (401, 403, 403, 404, 200, 403),
        ),
        ("POST", "/api/v1/submissions", {"json": body}, (401, 201, 201, 201, 201, 403)),
        ("GET", "/api/v1/submissions", {}, (401, 200, 200, 200, 200, 403)),
        ("GET", f"/api/v1/submissions/{s}", {}, (401, 200, 404, 200, 200, 403)),
        ("GET", f"/api/v1/submissions/{s}/events", {}, (401, 200, 404, 200, 200, 403)),
        ("GET", f"/api/v1/submissions/{s}/junit", {}, (401, 200, 404, 200, 200, 403)),
        ("GET", "/api/v1/submissions/999999", {}, (401, 404, 404, 404, 404, 403)),
        (
            "POST",
            "/api/v1/judge/claim",
            {"json": {"judgehost": "m", "capabilities": ["gpu"]}},
            (401, 403, 403, 403, 403, 204),
        ),
        ("POST", f"/api/v1/judge/{j}/heartbeat", {"json": lease}, (401, 403, 403, 403, 403, 409)),
        (
            "POST",
            f"/api/v1/judge/{j}/results",
            {"json": {**lease, "results": []}},
            (401, 403, 403, 403, 403, 409),
        ),
        ("POST", f"/api/v1/judge/{j}/finish", {"json": lease}, (401, 403, 403, 403, 403, 409)),
        ("POST", "/api/v1/judge/999999/finish", {"json": lease}, (401, 403, 403, 403, 403, 404)),
        (
            "GET",
            f"/api/v1/judge/packages/{job['package_hash']}",
            {},
            (401, 403, 403, 403, 403, 200),
        ),
        ("GET", "/api/v1/judge/packages/" + "0" * 64, {}, (401, 403, 403, 403, 403, 404)),
        ("GET", "/api/v1/problems/add-two/samples/01/input", {}, (200, 200, 200, 200, 200, 403)),
        (
            "GET",
            "/api/v1/problems/draft-problem/samples/01/output",
            {},
            (404, 404, 404, 404, 200, 403),
        ),
        ("GET", "/api/v1/tracks", {}, (200, 200, 200, 200, 200, 403)),
        ("GET", "/api/v1/tracks/no-such", {}, (404, 404, 404, 404, 404, 403)),
        # samples=False and no custom input: authorised callers reach the 422
        (
            "POST",
            "/api/v1/runs",
            {"json": {**body, "samples": False}},
            (401, 422, 422, 422, 422, 403),
        ),
        ("GET", "/api/v1/analytics/problems", {}, (401, 403, 403, 200, 200, 403)),
        ("GET", "/api/v1/analytics/problems/add-two", {}, (401, 403, 403, 200, 200, 403)),
        (
            "GET",
            "/api/v1/analytics/problems/draft-problem",
            {},
            (401, 403, 403, 404, 200, 403),
        ),
        ("GET", "/healthz", {}, (200, 200, 200, 200, 200, 200)),
        ("GET", "/readyz", {}, (200, 200, 200, 200, 200, 200)),
        ("GET", "/metrics", {}, (200, 200, 200, 200, 200, 200)),
    ]


def test_matrix_covers_every_route(world):
    client, _, sub, job = world
    covered = {(m, _template(p)) for m, p, _, _ in _cases(sub, job)}
    for route in client.app.routes:
        for method in getattr(route, "methods", None) or ():
            if method in ("HEAD", "OPTIONS") or not getattr(route, "include_in_schema", True):
                continue
            assert (method, route.path) in covered, f"no matrix row for {method} {route.path}"


def _template(path: str) -> str:
    import re

    replacements = [
        (r"^/api/v1/tokens/\d+$", "/api/v1/tokens/{token_id}"),
        (r"^/api/v1/problems/[a-z0-9-]+$", "/api/v1/problems/{slug}"),
        (r"^/api/v1/problems/[a-z0-9-]+/leaderboard$", "/api/v1/problems/{slug}/leaderboard"),
        (
            r"^/api/v1/problems/[a-z0-9-]+/samples/\w+/\w+$",
            "/api/v1/problems/{slug}/samples/{sample}/{side}",
        ),
        (r"^/api/v1/tracks/[a-z0-9-]+$", "/api/v1/tracks/{track_id}"),
        (r"^/api/v1/analytics/problems/[a-z0-9-]+$", "/api/v1/analytics/problems/{slug}"),
        (r"^/api/v1/submissions/\d+$", "/api/v1/submissions/{submission_id}"),
        (r"^/api/v1/submissions/\d+/(events|junit)$", r"/api/v1/submissions/{submission_id}/\1"),
        (r"^/api/v1/judge/\d+/(\w+)$", r"/api/v1/judge/{job_id}/\1"),
        (r"^/api/v1/judge/packages/\w+$", "/api/v1/judge/packages/{content_hash}"),
    ]
    for pattern, repl in replacements:
        if re.match(pattern, path):
            return re.sub(pattern, repl, path)
    return path


def test_authorization_matrix(world):
    client, actors, sub, job = world
    failures = []
    for method, path, kwargs, expected in _cases(sub, job):
        for who, status in zip(WHO, expected, strict=True):
            response = client.request(method, path, headers=actors[who].headers, **kwargs)
            if response.status_code != status:
                failures.append(f"{who:<10} {method} {path}: {response.status_code} != {status}")
            elif status >= 400:
                assert response.json()["error"]["code"], response.text
    assert not failures, "\n".join(failures)


def test_session_matrix_for_token_routes(world):
    """Token management wants a browser session: any signed-in role may manage its own."""
    client, _, _, _ = world
    for username in ("alice", "ines", "ada"):
        client.cookies.clear()
        client.post(
            "/api/v1/auth/login", json={"username": username, "password": f"{username}-password"}
        )
        csrf = {"X-CSRF-Token": client.cookies.get("gradebox_csrf")}
        assert client.get("/api/v1/tokens").status_code == 200
        made = client.post("/api/v1/tokens", json={"name": "n", "scopes": ["read"]}, headers=csrf)
        assert made.status_code == 201
        # Someone else's token (bob's, id 2) is not found; one's own is revoked.
        assert client.delete("/api/v1/tokens/2", headers=csrf).status_code == 404
        assert client.delete(f"/api/v1/tokens/{made.json()['id']}", headers=csrf).status_code == 204
    client.cookies.clear()


# --- role changes and the upload race ---------------------------------------------------


def _instructor_with_token(settings, username, scopes):
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        user = users.create_user(
            session=session, username=username, password="x", role=Role.INSTRUCTOR
        )
        token, secret = tokens.create(
            session=session, settings=settings, user=user, name="t", scopes=scopes
        )
        token_id = token.id
    engine.dispose()
    return {"Authorization": f"Bearer {secret}"}, token_id


def _token_for(settings, username, scopes):
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        user = users.get_by_username(session=session, username=username)
        token, secret = tokens.create(
            session=session, settings=settings, user=user, name="w", scopes=scopes
        )
        token_id = token.id
    engine.dispose()
    return {"Authorization": f"Bearer {secret}"}, token_id


def _token_row(settings, token_id):
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        row = session.get(ApiToken, token_id)
        scopes, revoked = list(row.scopes), row.revoked_at is not None
    engine.dispose()
    return scopes, revoked


def _set_role_in_database(settings, username, role):
    """Change the role behind the service's back (as a manual SQL fix would)."""
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        users.get_by_username(session=session, username=username).role = role.value
        session.commit()
    engine.dispose()


def test_demotion_takes_away_what_the_new_role_does_not_allow(world, tmp_path_factory):
    client, actors, _, _ = world
    settings = client.app.state.settings
    full, full_id = _instructor_with_token(
        settings, "ivan", [Scope.READ, Scope.SUBMIT, Scope.PROBLEMS_WRITE]
    )
    writer, writer_id = _token_for(settings, "ivan", [Scope.PROBLEMS_WRITE])
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        problems.grant_maintainer(session=session, slug="add-two", username="ivan")
    engine.dispose()
    patch = {"json": {"visibility": "public"}}
    assert client.patch("/api/v1/problems/add-two", headers=full, **patch).status_code == 200

    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        users.set_role(session=session, username="ivan", role=Role.LEARNER)
    engine.dispose()
    # The same tokens, minted as an instructor: problems:write is gone at once.
    assert client.patch("/api/v1/problems/add-two", headers=full, **patch).status_code == 403
    assert client.get("/api/v1/auth/me", headers=full).status_code == 200  # read stays
    assert _token_row(settings, full_id) == (["read", "submit"], False)
    # A token left with no scope is revoked outright.
    assert _token_row(settings, writer_id) == (["problems:write"], True)
    assert client.get("/api/v1/problems", headers=writer).status_code == 401
    # A grant does not outlive the role either: can_manage asks for an instructor.
    sub = client.post(
        "/api/v1/submissions",
        json={"problem": "add-two", "language": "python", "source": ACCEPTED},
        headers=actors.learner.headers,
    ).json()
    assert client.get(f"/api/v1/submissions/{sub['id']}", headers=full).status_code == 404


def test_token_scopes_are_intersected_with_the_current_role_at_each_use(world):
    client, _, _, _ = world
    settings = client.app.state.settings
    headers, token_id = _instructor_with_token(settings, "iris", [Scope.READ, Scope.PROBLEMS_WRITE])
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as session:
        problems.grant_maintainer(session=session, slug="add-two", username="iris")
    engine.dispose()
    patch = {"json": {"visibility": "public"}}
    assert client.patch("/api/v1/problems/add-two", headers=headers, **patch).status_code == 200
    _set_role_in_database(settings, "iris", Role.LEARNER)  # stored scopes untouched
    assert _token_row(settings, token_id) == (["problems:write", "read"], False)
    assert client.patch("/api/v1/problems/add-two", headers=headers, **patch).status_code == 403
    zip_file = {"files": {"file": ("p.zip", b"not a zip", "application/zip")}}
    assert client.post("/api/v1/problems", headers=headers, **zip_file).status_code == 403
    _set_role_in_database(settings, "iris", Role.INSTRUCTOR)  # and back: allowed again
    assert client.patch("/api/v1/problems/add-two", headers=headers, **patch).status_code == 200


def _package(tmp, slug, statement):
    write_problem(tmp, slug, statement=statement)
    return tmp / slug


def test_upload_race_cannot_attach_a_version_to_someone_elses_problem(world, tmp_path):
    """Two instructors upload the same new slug; the second's validation is still
    running (minutes in real life) when the first's version is written. The second
    upload passed the early ownership check (the slug was free) and must be refused
    in the transaction that writes its version."""
    client, _, _, _ = world
    settings = client.app.state.settings
    _instructor_with_token(settings, "first", [Scope.PROBLEMS_WRITE])
    _instructor_with_token(settings, "second", [Scope.PROBLEMS_WRITE])
    engine = make_engine(settings.database_url)
    factory = make_sessionmaker(engine)
    real_sandbox = client.app.state.sandbox

    def principal(session, username):
        user = users.get_by_username(session=session, username=username)
        return Principal(user=user, scopes=frozenset({Scope.PROBLEMS_WRITE}), via="token")

    def upload(username, statement, sandbox):
        root = _package(tmp_path / username, "raced", statement)
        with factory() as session:
            return uploads.upload(
                session=session,
                settings=settings,
                principal=principal(session, username),
                data=_zip_dir(root),
                filename="raced.zip",
                sandbox=sandbox,
            )

    def first_wins_meanwhile():
        # Called by the second upload just before its validation: the first upload
        # starts and finishes in that window.
        upload("first", "The first instructor's statement.\n", real_sandbox)
        return real_sandbox()

    with pytest.raises(Forbidden, match="belongs to another instructor"):
        upload("second", "The second instructor's statement.\n", first_wins_meanwhile)
    with factory() as session:
        problem = problems.find(session=session, slug="raced")
        assert problem.owner_id == users.get_by_username(session=session, username="first").id
        assert problem.current_version.version == 1
        assert "first instructor" in problem.current_version.statement_md
    engine.dispose()


def test_upload_refused_when_the_role_changes_during_validation(world, tmp_path):
    client, _, _, _ = world
    settings = client.app.state.settings
    _instructor_with_token(settings, "fleeting", [Scope.PROBLEMS_WRITE])
    engine = make_engine(settings.database_url)
    factory = make_sessionmaker(engine)
    real_sandbox = client.app.state.sandbox
    with factory() as session:
        problems.grant_maintainer(session=session, slug="add-two", username="fleeting")
        user = users.get_by_username(session=session, username="fleeting")
        who = Principal(user=user, scopes=frozenset({Scope.PROBLEMS_WRITE}), via="token")

        def demoted_meanwhile():
            with factory() as other:
                users.set_role(session=other, username="fleeting", role=Role.LEARNER)
            return real_sandbox()

        root = _package(tmp_path, "add-two", "Replaced by a demoted instructor.\n")
        with pytest.raises(Forbidden):
            uploads.upload(
                session=session,
                settings=settings,
                principal=who,
                data=_zip_dir(root),
                filename="add-two.zip",
                sandbox=demoted_meanwhile,
            )
    with factory() as session:
        current = problems.find(session=session, slug="add-two").current_version
        assert "demoted" not in current.statement_md
    engine.dispose()


def _zip_dir(root):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, f"{root.name}/{path.relative_to(root)}")
    return buffer.getvalue()
