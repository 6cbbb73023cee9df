"""Several sandbox sessions of one submission, so that its tests run side by side
on a judge with idle cores (`GRADEBOX_TEST_PARALLELISM`, default: the CPUs this
process may use).

Each lane is a `Program` of its own: its own session, compiled once (the first
lane starts on the tests at once; the others join when they have opened), every
test a fresh process with its own limits and CPU accounting, exactly as in the single
lane. Only the runs go in parallel: the caller (`graders.grade`) takes their
results in test order and judges each in its own thread, so checkers, hints,
scores and the live per-test events see the same sequence as a serial run, and a
test that a stop-on-first-failure group would never have run is cancelled, or its
result dropped unseen.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Self

from graders.runner import Program
from sandbox import RunResult, SandboxError

log = logging.getLogger(__name__)


class Lanes:
    """`first` (already compiled) plus up to `width - 1` more lanes from `make`."""

    def __init__(self, first: Program, make: Callable[[], Program], width: int) -> None:
        self._first = first
        self._make = make
        self._width = max(1, width)
        self._extra: list[Program] = []
        self._idle: queue.SimpleQueue[Program] = queue.SimpleQueue()
        self._pool: ThreadPoolExecutor | None = None
        self._opener: threading.Thread | None = None
        self._closing = threading.Event()
        self._lock = threading.Lock()

    @property
    def width(self) -> int:
        """How many lanes may run at once (the extra ones may still be opening)."""
        return self._width

    def opened(self) -> int:
        """How many lanes are open now."""
        with self._lock:
            return 1 + len(self._extra)

    def __enter__(self) -> Self:
        self._idle.put(self._first)
        self._pool = ThreadPoolExecutor(max_workers=self._width, thread_name_prefix="lane")
        if self._width > 1:
            # The first lane starts on the tests at once; the others join as they
            # are ready (a C++ lane compiles first). One thread opens them, one after
            # another, and stays alive until they are closed: a session's bwrap runs
            # with --die-with-parent, whose death signal fires when the *thread* that
            # started it ends, so a short-lived opener thread would kill its lanes.
            self._opener = threading.Thread(target=self._keep_lanes, name="lane-opener")
            self._opener.start()
        return self

    def _keep_lanes(self) -> None:
        """Open the extra lanes, hold them until `__exit__`, then close them."""
        try:
            for _ in range(self._width - 1):
                if self._closing.is_set():
                    break
                program = self._open()
                if program is not None:
                    with self._lock:
                        self._extra.append(program)
                    self._idle.put(program)
            self._closing.wait()
        finally:
            with self._lock:
                extra, self._extra = self._extra, []
            for program in extra:
                program.__exit__(None, None, None)

    def _open(self) -> Program | None:
        """One more compiled lane, or None: a lane that fails to open or compile is
        simply not used (the first lane's compile already decided CE)."""
        program = self._make()
        try:
            program.__enter__()
            if program.compile().ok:
                return program
        except SandboxError as exc:
            log.info("an extra test lane did not open: %s", exc)
        program.__exit__(None, None, None)
        return None

    def submit(self, stdin: bytes) -> Future[RunResult]:
        """Run one test's input on the next free lane."""
        if self._pool is None:
            raise RuntimeError("Lanes used outside its `with` block")
        return self._pool.submit(self._run, stdin)

    def _run(self, stdin: bytes) -> RunResult:
        program = self._idle.get()
        try:
            return program.run(stdin)
        finally:
            self._idle.put(program)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._closing.set()  # no run is in flight now: the opener closes its lanes
        if self._opener is not None:
            self._opener.join()
            self._opener = None
