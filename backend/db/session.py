"""Engines and sessions. SQLite gets WAL, a busy timeout and foreign keys on every
connection, so the server, the embedded judgehost and request threads share it.

SQLite transactions start with `BEGIN IMMEDIATE` (the write lock), so that writers
queue on the busy timeout instead of failing when a read lock is upgraded. A session
marked `read_only` starts a plain deferred `BEGIN` instead: under WAL, readers then run
side by side and beside the writer. Taking the write lock for every read serialised
all requests, and SQLite's busy handler polls with sleeps growing to 100 ms, which was
the latency tail of the read endpoints under a few concurrent clients. A read-only
session that must write commits first, so the write starts a transaction of its own
(`BEGIN IMMEDIATE` again: only the first transaction of the session is deferred)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

READ_ONLY = "gradebox_read_only"  # execution option: a deferred BEGIN on SQLite


def read_only(session: Session) -> None:
    """Start the session's transaction as a reader (no effect outside SQLite)."""
    session.connection(execution_options={READ_ONLY: True})


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # The sqlite3 module's own transaction handling is replaced by explicit
            # BEGIN IMMEDIATE below, so writers queue on the busy timeout instead of
            # failing with "database is locked" when upgrading a read lock.
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            deferred = conn.get_execution_options().get(READ_ONLY, False)
            conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


# Registers the commit counter's listeners on every Session (backend.db.generation).
import backend.db.generation  # noqa: E402, F401
