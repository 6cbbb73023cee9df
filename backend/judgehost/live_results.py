"""A job's test results on their way to the server while it is graded.

Each result used to be posted from the grading itself, one request and one commit per
test: the tests waited for the server between them, and the server paid a commit
(and a retired read cache) per test. The poster's thread sends what has arrived since
its last post in one call, so the grading never waits, and a busy server gets one
commit for all the tests that finished while it was busy.

The posts are for watchers only: `finish` stores every result of the grading anyway
(idempotently, by test name), so the poster drops what is still queued when it is
closed, and a failed post is logged, not fatal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from backend.judgehost.errors import LeaseLost
from graders import TestResult

log = logging.getLogger(__name__)


class LiveResults:
    """Posts with `send` in order, from a thread of its own, until `lost` is set (by
    the job's heartbeat, or here when the server says the lease is gone)."""

    def __init__(
        self, name: str, send: Callable[[list[TestResult]], None], lost: threading.Event
    ) -> None:
        self.lost = lost
        self._send = send
        self._queued: list[TestResult] = []
        self._closed = False
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._post, name=name, daemon=True)
        self._thread.start()

    def put(self, result: TestResult) -> None:
        with self._ready:
            self._queued.append(result)
            self._ready.notify()

    def close(self) -> None:
        """Stop after the post in flight (so that `finish` never races it)."""
        with self._ready:
            self._closed = True
            self._ready.notify()
        self._thread.join()

    def _post(self) -> None:
        while True:
            with self._ready:
                while not self._queued and not self._closed:
                    self._ready.wait()
                if self._closed or self.lost.is_set():
                    return
                batch, self._queued = self._queued, []
            try:
                self._send(batch)
            except LeaseLost:
                self.lost.set()
                return
            except Exception as exc:  # the finish stores them: a watcher sees them late
                log.warning("posting %d test result(s) failed: %s", len(batch), exc)
