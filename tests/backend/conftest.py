"""Fixtures: a real database made by the real migrations, the real app, real users.

Every test gets its own SQLite file. `Actors` holds one credential per role (plus a
second learner and a judge token), so tests read like the authorization matrix.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

# Starlette 1.x prefers httpx2 for its TestClient and warns at import when it finds
# httpx; the client works the same, and httpx is what the project depends on.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from backend.app import create_app
from backend.db.migrate import upgrade
from backend.db.session import make_engine, make_sessionmaker
from backend.schemas.tokens import Scope
from backend.schemas.users import Role
from backend.services import problems as problem_service
from backend.services import tokens as token_service
from backend.services import users as user_service
from backend.settings import Settings
from sandbox.settings import get_settings as sandbox_settings
from tests.backend.pg import PostgresServer
from tests.backend.problems import write_problem

SECRET = "test-secret-key-0123456789"


@pytest.fixture(autouse=True, scope="module")
def bwrap_sandbox() -> Iterator[None]:
    """The app's sandbox is bwrap in every test (never Docker found by "auto"): set
    where its one owner reads it, the sandbox layer's GRADEBOX_SANDBOX, for one module
    at a time (module-scoped apps are built under it; other folders never see it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADEBOX_SANDBOX", "bwrap")
        sandbox_settings.cache_clear()
        yield
    sandbox_settings.cache_clear()


def make_settings(tmp: Path, database_url: str | None = None, **overrides: Any) -> Settings:
    problems = tmp / "problems"
    problems.mkdir(exist_ok=True)
    values: dict[str, Any] = {
        "environment": "test",
        "secret_key": SECRET,
        "database_url": database_url or f"sqlite:///{tmp / 'gradebox.db'}",
        "data_dir": tmp / "data",
        "problems_dir": problems,
        "frontend_dist": tmp / "no-frontend",
        "embedded_judgehost": False,
        "judge_poll_s": 0.1,
        "log_format": "text",
    }
    values.update(overrides)
    return Settings(**values)


@dataclass
class Actor:
    name: str
    headers: dict[str, str]


@dataclass
class Actors:
    anonymous: Actor
    learner: Actor
    other: Actor
    instructor: Actor
    admin: Actor
    judge: Actor

    def __getitem__(self, key: str) -> Actor:
        actor: Actor = getattr(self, key)
        return actor


def seed(settings: Settings, *, problems: bool = True) -> Actors:
    """Users alice (learner), bob (learner), ines (instructor), ada (admin), tokens."""
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            if problems:
                problem_service.sync_bundled(session=session, problems_dir=settings.problems_dir)
            headers: dict[str, dict[str, str]] = {}
            for username, role in (
                ("alice", Role.LEARNER),
                ("bob", Role.LEARNER),
                ("ines", Role.INSTRUCTOR),
                ("ada", Role.ADMIN),
            ):
                user = user_service.create_user(
                    session=session, username=username, password=f"{username}-password", role=role
                )
                scopes = [Scope.SUBMIT, Scope.READ]
                if role is not Role.LEARNER:
                    scopes.append(Scope.PROBLEMS_WRITE)
                _, secret = token_service.create(
                    session=session, settings=settings, user=user, name="all", scopes=scopes
                )
                headers[username] = {"Authorization": f"Bearer {secret}"}
                if role is Role.ADMIN:
                    _, judge = token_service.create(
                        session=session,
                        settings=settings,
                        user=user,
                        name="judge",
                        scopes=[Scope.JUDGE],
                    )
                    headers["judge"] = {"Authorization": f"Bearer {judge}"}
            # Bundled problems belong to the admins; the instructor manages add-two
            # (when present) through a grant, and no other bundled problem.
            if problems and problem_service.find(session=session, slug="add-two") is not None:
                problem_service.grant_maintainer(session=session, slug="add-two", username="ines")
    finally:
        engine.dispose()
    return Actors(
        anonymous=Actor("anonymous", {}),
        learner=Actor("learner", headers["alice"]),
        other=Actor("other", headers["bob"]),
        instructor=Actor("instructor", headers["ines"]),
        admin=Actor("admin", headers["ada"]),
        judge=Actor("judge", headers["judge"]),
    )


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """argon2id with the library's defaults costs ~0.5 s here; tests use cheap
    parameters (same algorithm and code path, smaller memory and time cost)."""
    from argon2 import PasswordHasher

    from backend.auth import passwords

    real = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = real


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file made by the real migrations; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session, started here (never skipped)."""
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres: PostgresServer) -> str:
    """A database made by the real migrations; each test gets a copy (CREATE ... TEMPLATE)."""
    name = postgres.create_database()
    upgrade(postgres.url(name))
    return name


DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def fresh_database_url(request: pytest.FixtureRequest, kind: str, tmp: Path) -> str:
    if kind == "postgres":
        server: PostgresServer = request.getfixturevalue("postgres")
        return server.url(
            server.create_database(template=request.getfixturevalue("postgres_template"))
        )
    shutil.copyfile(request.getfixturevalue("migrated_template"), tmp / "gradebox.db")
    return f"sqlite:///{tmp / 'gradebox.db'}"


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database_url(request, request.param, tmp_path)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    s = make_settings(tmp_path, database_url)
    write_problem(s.problems_dir)
    write_problem(s.problems_dir, "draft-problem", visibility="hidden", name="A draft")
    return s


@pytest.fixture
def actors(settings: Settings) -> Actors:
    return seed(settings)


@pytest.fixture
def client(settings: Settings, actors: Actors) -> Iterator[TestClient]:
    """The app without a judgehost: jobs stay queued unless a test judges them."""
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def judged_client(settings: Settings, actors: Actors) -> Iterator[TestClient]:
    """The app with its embedded judgehost grading in the real sandbox."""
    with TestClient(create_app(settings.model_copy(update={"embedded_judgehost": True}))) as c:
        yield c


def submit(
    client: TestClient,
    actor: Actor,
    source: str,
    *,
    problem: str = "add-two",
    wait: float = 0,
    key: str | None = None,
    language: str = "python",
) -> Any:
    headers = dict(actor.headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(
        "/api/v1/submissions",
        params={"wait": wait},
        headers=headers,
        json={"problem": problem, "language": language, "source": source},
    )
