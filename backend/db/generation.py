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

from typing import Any

from sqlalchemy import Engine, Result, event, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from backend.db.kept_connection import KeptConnection
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
    """Reads the counter on a connection of its own (`KeptConnection`), outside any
    transaction: one indexed `SELECT`, tens of microseconds. None when the read
    failed (the caller then does not trust a cache)."""

    _QUERY = "SELECT value FROM data_generation WHERE id = 1"

    def __init__(self, engine: Engine) -> None:
        self._kept = KeptConnection(engine)

    def read(self) -> int | None:
        row = self._kept.fetchone(self._QUERY)
        return None if row is None else int(row[0])

    def close(self) -> None:
        self._kept.close()
