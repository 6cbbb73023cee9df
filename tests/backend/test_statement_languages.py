"""Statements in several languages through the API: the list, ?lang=, an unknown one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.db.models import Problem
from backend.db.session import make_engine, make_sessionmaker
from backend.services import problems as problem_service
from backend.settings import Settings
from tests.backend.conftest import Actors, TestClient, make_settings
from tests.backend.problems import write_problem

GERMAN = "# Zwei Zahlen addieren\n\nLies $a$ und $b$; gib $a + b$ aus.\n"


@pytest.fixture
def settings(tmp_path, database_url: str) -> Settings:
    """The bundled add-two problem, with a German statement next to the English one."""
    s = make_settings(tmp_path, database_url)
    root = write_problem(s.problems_dir)
    (root / "statement.de.md").write_text(GERMAN)
    return s


def test_statement_languages_and_lang(client: TestClient, actors: Actors) -> None:
    headers = actors.learner.headers
    default = client.get("/api/v1/problems/add-two", headers=headers)
    assert default.status_code == 200, default.text
    body = default.json()
    assert body["statement_languages"] == ["de", "en"]
    assert body["statement_language"] == "en"
    assert "print $a + b$" in body["statement_md"]

    german = client.get("/api/v1/problems/add-two", params={"lang": "de"}, headers=headers)
    assert german.status_code == 200, german.text
    assert german.json()["statement_md"] == GERMAN
    assert german.json()["statement_language"] == "de"

    english = client.get("/api/v1/problems/add-two", params={"lang": "en"}, headers=headers)
    assert english.json()["statement_md"] == body["statement_md"]


def test_unknown_language_is_refused_with_the_available_ones(
    client: TestClient, actors: Actors
) -> None:
    response = client.get(
        "/api/v1/problems/add-two", params={"lang": "xx"}, headers=actors.learner.headers
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unknown_statement_language"
    assert error["details"] == {"available": ["de", "en"]}


def test_version_stored_before_0009_gets_its_statements_on_the_next_sync(
    settings: Settings, actors: Actors
) -> None:
    """The same package (same content hash) makes no new version, so the translations
    of one stored before the column existed are filled in place."""
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            problem = session.scalar(select(Problem).where(Problem.slug == "add-two"))
            assert problem is not None and problem.current_version is not None
            problem.current_version.statements = None
            session.commit()
            problem_service.sync_bundled(session=session, problems_dir=settings.problems_dir)
            session.refresh(problem.current_version)
            assert problem.current_version.version == 1
            assert problem.current_version.statements == {"de": GERMAN}
    finally:
        engine.dispose()
