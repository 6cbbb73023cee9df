"""Several sandbox sessions of one submission, so that its tests run side by side
on a judge with idle cores (`GRADEBOX_TEST_PARALLELISM`, default: the CPUs this
process may use).

Each lane is a `Program` of its own: its own session, compiled once, every test a
fresh process with its own limits and CPU accounting, exactly as in the single
lane. Only the runs go in parallel: the caller (`graders.grade`) takes their
results in test order and judges each in its own thread, so checkers, hints,
scores and the live per-test events see the same sequence as a serial run, and a
test that a stop-on-first-failure group would never have run is cancelled, or its
result dropped unseen.
"""

from __future__ import annotations

import logging
import queue
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

    @property
    def width(self) -> int:
        return 1 + len(self._extra)

    def __enter__(self) -> Self:
        self._idle.put(self._first)
        # Opened one after another in this thread: opening bwrap sessions from
        # several threads at once broke one here (its agent's channel closed).
        for _ in range(self._width - 1):
            program = self._open()
            if program is not None:
                self._extra.append(program)
                self._idle.put(program)
        self._pool = ThreadPoolExecutor(max_workers=self.width, thread_name_prefix="lane")
        return self

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
        for program in self._extra:
            program.__exit__(None, None, None)
        self._extra = []
