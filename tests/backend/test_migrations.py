"""The migrations are the schema: they match the models, and go down and up again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from backend.db.migrate import alembic_config, upgrade
from backend.db.session import make_engine


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_models_match_migrations_and_downgrade_works(database_url):
    config = alembic_config(database_url)
    command.check(config)  # raises if the models need a migration the code lacks
    assert {"users", "problems", "submissions", "judge_jobs", "test_results"} <= _tables(
        database_url
    )
    command.downgrade(config, "base")
    assert _tables(database_url) == {"alembic_version"}
    upgrade(database_url)
    command.check(config)
