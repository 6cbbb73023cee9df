"""The data generation: a counter that moves with every commit that writes.

Listeners on the `Session` class (every session of every process: the API, the
judgehost, the CLI) note a flush that changed rows or an ORM `insert`/`update`/
`delete` statement, and add one to `data_generation.value` as the transaction
commits, in the same transaction. So a reader that reads the counter, then the data,
and finds the counter unchanged later, knows that nothing it read has changed since.

The update is the last statement before `COMMIT`: a transaction holds the counter's
row lock only while it commits and waits for nothing else meanwhile, so the counter
adds no lock cycle (PostgreSQL), and SQLite has one writer anyway.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, Result, event, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from backend.db.models import DataGeneration

_WROTE = "gradebox_wrote"
_BUMPING = "gradebox_bumping"
_UNREAD = "gradebox_unread"


def _has_changes(session: Session) -> bool:
    """Pending rows to write; a dirty object may have no net change."""
    return bool(
        session.new or session.deleted or any(session.is_modified(o) for o in session.dirty)
    )


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: UOWTransaction) -> None:
    if _has_changes(session):  # still the flush's lists here
        session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> Result[Any] | None:
    """A statement counts only if it changed rows: the judge's poll runs an `UPDATE`
    of expired leases that nearly always matches none."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    if state.session.info.get(_BUMPING):
        return None
    result = state.invoke_statement()
    if getattr(result, "returns_rows", True):
        # `RETURNING`: the rows say it (SQLite's rowcount is -1 until they are read).
        frozen = result.freeze()
        wrote = bool(frozen.data)
        result = frozen()
    else:
        wrote = getattr(result, "rowcount", -1) != 0
    if wrote:
        state.session.info[_WROTE] = True
    return result


@event.listens_for(Session, "before_commit")
def _bump(session: Session) -> None:
    if _has_changes(session):
        session.flush()  # so that the flush's own rows are counted by `_flushed`
    if not session.info.get(_WROTE) or session.info.get(_UNREAD):
        session.info.pop(_WROTE, None)
        return
    session.info[_BUMPING] = True
    try:
        session.execute(
            update(DataGeneration)
            .where(DataGeneration.id == 1)
            .values(value=DataGeneration.value + 1)
        )
    finally:
        session.info.pop(_BUMPING, None)
        session.info.pop(_WROTE, None)


def commit_unread(session: Session) -> None:
    """Commit a write that no cacheable answer shows (a token's `last_used_at`),
    without retiring every kept answer. Only for such bookkeeping: anything a cached
    route could read must go through a plain `commit`."""
    session.info[_UNREAD] = True
    try:
        session.commit()
    finally:
        session.info.pop(_UNREAD, None)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous: Any) -> None:
    session.info.pop(_WROTE, None)


class GenerationReader:
    """Reads the counter on one connection of its own, outside any transaction.

    The connection is taken from the engine's pool once and detached from it, put in
    autocommit, and kept: a read is then one indexed `SELECT`, tens of microseconds.
    Any error drops the connection and answers None (the caller then does not trust
    a cache); the next read opens a new one.
    """

    _QUERY = "SELECT value FROM data_generation WHERE id = 1"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._conn: Any = None

    def _open(self) -> Any:
        fairy = self._engine.raw_connection()
        driver: Any = fairy.driver_connection
        fairy.detach()  # ours until closed; the pool never hands it to anyone else
        if self._engine.dialect.name == "sqlite":
            driver.isolation_level = None  # already so (backend.db.session); say it here
        else:
            driver.rollback()  # a pre-ping may have begun one
            driver.autocommit = True  # each SELECT sees the latest commit, no open txn
        return fairy

    def read(self) -> int | None:
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._open()
                cursor = self._conn.cursor()
                try:
                    cursor.execute(self._QUERY)
                    row = cursor.fetchone()
                finally:
                    cursor.close()
            except Exception:  # noqa: BLE001 - any failure: no cache for this request
                self._close_locked()
                return None
            return None if row is None else int(row[0])

    def _close_locked(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001, S110 - a broken connection may not close
                pass

    def close(self) -> None:
        with self._lock:
            self._close_locked()
