"""Watching a submission until it is judged: one service for `?wait=` and the SSE stream.

`watch()` reads the submission's progress once, then again each time it may have
changed, and stops after the read that finds it settled. Two things wake it:

- the `Notifier` of this process, which the judge calls (REST routes and the embedded
  judgehost's in-process transport alike) after each claim, stored result and finish;
  it wakes the waiters of that submission at once, from any thread;
- a database poll every `poll_s`, for changes made by another process (the API runs
  several workers, and any of them may take a judgehost's results).

A waiter clears its wake-up flag before it reads, so a change that lands during the
read wakes the next wait instead of being lost. Reads run in a worker thread, one
short database session each; waiting itself holds no thread. Each read first asks
for the submission's change mark (its status and newest test row: one small query
on a kept connection, `backend.db.kept_connection`) and reads the whole submission
only when that moved: a CI job's `?wait=` polls four times a second for as long as
the grading takes, and the whole read (the submission, its problem and version,
every test) cost 5-6 ms of the server's CPU each time. `?wait=` watches without
tests (`with_tests=False`): only the end counts.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from collections.abc import AsyncGenerator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import anyio
from sqlalchemy.orm import Session, sessionmaker

from backend.db.kept_connection import KeptConnection
from backend.services import submissions as submission_service

POLL_S = 0.25
"""How often a watcher reads the database when no notification comes (other processes)."""

Mark = tuple[str, int] | None  # `submission_service.change_mark`


class Notifier:
    """Wakes this process's watchers of a submission; `notify` is safe from any thread.
    Also this process's judgehost (`work`), when a submission was queued here, so
    the embedded judge claims it at once instead of at its next poll."""

    def __init__(self) -> None:
        self.work = threading.Event()
        self._lock = threading.Lock()
        self._waiters: defaultdict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]]
        self._waiters = defaultdict(set)

    def notify(self, submission_id: int) -> None:
        with self._lock:
            waiters = list(self._waiters.get(submission_id, ()))
        for loop, event in waiters:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that loop has closed; its waiter is gone with it
                pass

    def job_queued(self) -> None:
        self.work.set()

    @contextmanager
    def subscribe(self, submission_id: int) -> Iterator[asyncio.Event]:
        """An event set whenever `submission_id` is notified, until the block exits."""
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiters[submission_id].add(entry)
        try:
            yield entry[1]
        finally:
            with self._lock:
                waiters = self._waiters[submission_id]
                waiters.discard(entry)
                if not waiters:
                    del self._waiters[submission_id]

    def watched(self) -> int:
        """How many submissions have a waiter now (a leak shows as a growing number)."""
        with self._lock:
            return len(self._waiters)


@dataclass(frozen=True)
class Progress:
    """One read: the status, the tests stored since the last read, the end once settled."""

    status: str
    tests: list[tuple[int, str]]  # (test row id, TestResult JSON)
    final: str | None  # SubmissionPublic JSON once judged


async def watch(
    *,
    sessions: sessionmaker[Session],
    notifier: Notifier,
    submission_id: int,
    after_id: int = 0,
    poll_s: float = POLL_S,
    with_tests: bool = True,
    marks: KeptConnection | None = None,
) -> AsyncGenerator[Progress, None]:
    """Progress of `submission_id` (tests after `after_id`; none without `with_tests`),
    read now and on each change, ending with the read whose `final` is set. `marks`:
    where the change mark is read (None: every read is a whole one)."""

    def read(after: int, seen: Mark) -> tuple[Progress | None, Mark]:
        mark = None
        if marks is not None:
            mark = submission_service.change_mark(
                kept=marks, submission_id=submission_id, with_tests=with_tests
            )
            if mark is not None and mark == seen:
                return None, seen  # nothing new since the last read
        with sessions() as session:
            state, tests, final = submission_service.progress(
                session=session, submission_id=submission_id, after_id=after, with_tests=with_tests
            )
        return Progress(state, tests, final), mark

    seen: Mark = None
    with notifier.subscribe(submission_id) as changed:
        while True:
            changed.clear()
            progress, seen = await anyio.to_thread.run_sync(read, after_id, seen)
            if progress is not None:
                yield progress
                if progress.final is not None:
                    return
                if progress.tests:
                    after_id = progress.tests[-1][0]
            with anyio.move_on_after(poll_s):
                await changed.wait()
