"""The read path's two speed-ups keep their promises: SQLite readers do not queue
behind the writer, and a cached version view follows a version refreshed in place."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import select, text

from backend.db.models import Problem, ProblemVersion
from backend.db.session import make_engine, make_sessionmaker, read_only
from backend.services import problems as problem_service


def test_sqlite_reader_runs_beside_an_open_write_transaction(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    sessions = make_sessionmaker(engine)
    with sessions() as setup:
        setup.execute(text("CREATE TABLE t (x INTEGER)"))
        setup.execute(text("INSERT INTO t VALUES (1)"))
        setup.commit()
    with sessions() as writer, sessions() as reader:
        writer.execute(text("INSERT INTO t VALUES (2)"))  # holds the write lock, uncommitted
        seen: list[int] = []

        def read() -> None:
            read_only(reader)
            seen.extend(reader.scalars(text("SELECT x FROM t")).all())

        thread = threading.Thread(target=read)
        thread.start()
        # A reader that took the write lock (BEGIN IMMEDIATE) would wait for the writer
        # (up to the 30 s busy timeout); a deferred reader answers at once.
        thread.join(timeout=20)
        finished = not thread.is_alive()
        writer.commit()
        thread.join()
    engine.dispose()
    assert finished, "the reader waited for the writer's lock"
    assert seen == [1]  # its snapshot: not the uncommitted row


def test_detail_follows_samples_refreshed_in_place(client, actors, settings) -> None:
    sessions = make_sessionmaker(make_engine(settings.database_url))
    with sessions() as session:
        problem = session.scalar(select(Problem).where(Problem.slug == "add-two"))
        assert problem is not None and problem.current_version_id is not None
        version = session.get(ProblemVersion, problem.current_version_id)
        assert version is not None
        # Samples as a server before the sample viewer stored them (no `format`).
        version.samples = [{"name": "sample/01", "input": "legacy\n", "output": "0\n"}]
        session.commit()
        version_id = version.id
    first = client.get("/api/v1/problems/add-two", headers=actors.learner.headers).json()
    assert [s["input"] for s in first["samples"]] == ["legacy\n"]  # the view, now cached

    # Through the app's own engine, as an upload in this server process would.
    with client.app.state.sessionmaker() as session:
        _, current, created = problem_service.import_package(
            session=session, root=settings.problems_dir / "add-two", owner_id=None
        )
        assert not created and current.id == version_id  # refreshed in place
    again = client.get("/api/v1/problems/add-two", headers=actors.learner.headers).json()
    assert "legacy\n" not in [s["input"] for s in again["samples"]]
    assert again["version"] == first["version"]
    listed = client.get("/api/v1/problems", headers=actors.learner.headers).json()
    assert "add-two" in [p["slug"] for p in listed["data"]]
    sessions.kw["bind"].dispose()
