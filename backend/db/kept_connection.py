"""One database connection kept for small, frequent reads outside any transaction.

The connection is taken from the engine's pool once and detached from it, put in
autocommit, and kept: a read is then one indexed `SELECT`, tens of microseconds,
where a `Session` costs a pool checkout, a transaction and the ORM's compile, about
a millisecond (more on a busy 2-core machine). Used for what is asked many times a
second and almost always answers "unchanged": the data generation in front of the
read cache, and a watched submission's change mark. Any error drops the connection
and answers None (the caller then reads the slow way); the next read opens anew.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine


class KeptConnection:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._conn: Any = None
        # The driver's own placeholder: `?` for sqlite3, `%s` for psycopg.
        self.placeholder = "?" if engine.dialect.paramstyle == "qmark" else "%s"

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

    def fetchone(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        """The first row of `sql` (placeholders: `self.placeholder`), or None when there
        is none or the read failed."""
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._open()
                cursor = self._conn.cursor()
                try:
                    cursor.execute(sql, params)
                    row = cursor.fetchone()
                finally:
                    cursor.close()
            except Exception:  # noqa: BLE001 - any failure: the caller reads the slow way
                self._close_locked()
                return None
            return None if row is None else tuple(row)

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
