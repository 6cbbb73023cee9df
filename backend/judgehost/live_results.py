"""A job's test results on their way to the server while it is graded.

Each result used to be posted from the grading itself, one request and one commit per
test: the tests waited for the server between them, and the server paid a commit
(and a retired read cache) per test. The poster's thread sends what has arrived since
its last post in one call, so the grading never waits, and a busy server gets one
commit for all the tests that finished while it was busy.

Even so a post per test was the commonest case (a test takes longer than a post), and
each cost the server a request, a commit and a retired read cache: a third of its CPU
for a submission of short tests. A post therefore follows the previous one by at
least `POST_INTERVAL_S`, and takes everything that arrived meanwhile: a watcher sees
a result at most that much later, and the server pays a few posts a submission.

The posts are for watchers only: `finish` stores every result of the grading anyway
(idempotently, by test name), so the poster drops what is still queued when it is
closed, and a failed post is logged, not fatal.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from backend.judgehost.errors import LeaseLost
from graders import TestResult

log = logging.getLogger(__name__)

POST_INTERVAL_S = 0.25


class LiveResults:
    """Posts with `send` in order, from a thread of its own, until `lost` is set (by
    the job's heartbeat, or here when the server says the lease is gone)."""

    def __init__(
        self,
        name: str,
        send: Callable[[list[TestResult]], None],
        lost: threading.Event,
        interval_s: float = POST_INTERVAL_S,
    ) -> None:
        self.lost = lost
        self._send = send
        self._interval_s = interval_s
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
        next_post = 0.0  # monotonic time before which nothing is posted
        while True:
            with self._ready:
                while not self._closed:
                    if not self._queued:
                        self._ready.wait()
                        continue
                    wait = next_post - time.monotonic()
                    if wait <= 0:
                        break
                    self._ready.wait(wait)
                if self._closed or self.lost.is_set():
                    return
                batch, self._queued = self._queued, []
            next_post = time.monotonic() + self._interval_s
            try:
                self._send(batch)
            except LeaseLost:
                self.lost.set()
                return
            except Exception as exc:  # the finish stores them: a watcher sees them late
                log.warning("posting %d test result(s) failed: %s", len(batch), exc)
