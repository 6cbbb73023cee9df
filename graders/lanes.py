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

A lane costs a session start and a compile, paid while the first lane already runs
tests (and, on a judge with few cores, taken from it): the extra lanes open only
once the tests still to run look worth it, at least `WORTH` times what the first
lane took to open, judged from the runs seen so far. A submission of twenty
10 ms tests stays in one lane; one of second-long tests spreads after its
first test.

How many lanes may run *now* is asked again as the grading goes on (`allowed`): a
judgehost grading several submissions gives each the cores the others leave, so
the last submission of a batch widens once the others are done, and an extra lane
stops taking tests while another grading needs its core back. With one lane
allowed, a run starts only once the caller has collected the one before, exactly
as in a serial grading: nothing runs ahead that a failure would have made useless.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from types import TracebackType
from typing import Self

from graders.runner import Program
from sandbox import RunResult, SandboxError

log = logging.getLogger(__name__)

# Extra lanes open once the work left is this many times the cost of opening one.
WORTH = 3.0
# How often the opener looks again while it waits (a run in flight grows its own
# estimate as it goes on), and how long it waits at most for a lane's warm
# interpreter before giving that lane up.
LOOK_S = 0.02
WARM_WAIT_S = 120.0
_Job = tuple[Future[RunResult], bytes]

# What opening an extra lane (session, compile, warm interpreter) took the last time,
# per kind of session: a first lane from the judgehost's warm pool costs next to
# nothing, while an extra one started on demand may import torch for seconds.
_lane_cost: dict[Hashable, float] = {}
_lane_cost_lock = threading.Lock()


class Lanes:
    """`first` (already compiled) plus up to `width - 1` more lanes from `make`.

    Each open lane has a thread that takes the oldest test not yet started, so the
    tests start in order and the one the caller waits for next is never held back
    behind a lane still opening. A lane joins only once it is ready to run at full
    speed (compiled, and its warm interpreter imported)."""

    def __init__(
        self,
        first: Program,
        make: Callable[[], Program],
        width: int,
        open_cost_s: float | None = None,
        allowed: Callable[[], int] | None = None,
    ) -> None:
        """`open_cost_s`: what opening (and compiling in) the first lane took; the
        extra lanes wait until the tests left are worth it (None: open at once).
        `allowed`: how many lanes may run at the moment it is asked (default: `width`),
        read each time a lane is about to open or to take a test."""
        self._first = first
        self._make = make
        self._width = max(1, width)
        self._open_cost_s = open_cost_s
        self._allowed = allowed
        self._queued = 0  # submitted, not started
        self._running: list[float] = []  # start times of the runs in flight
        self._done_s: list[float] = []  # how long each finished run took
        self._extra: list[Program] = []
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._servers: list[threading.Thread] = []
        self._opener: threading.Thread | None = None
        self._closing = threading.Event()
        self._open = False
        self._lock = threading.Lock()
        self._uncollected: set[Future[RunResult]] = set()  # started, not yet taken
        self._collected = threading.Condition(self._lock)

    @property
    def width(self) -> int:
        """How many lanes may run at once (the extra ones may still be opening)."""
        return self._width

    def allowed_now(self) -> int:
        """How many lanes may take tests at this moment (at least one, at most `width`)."""
        wanted = self._allowed() if self._allowed is not None else self._width
        return max(1, min(self._width, wanted))

    def opened(self) -> int:
        """How many lanes are open now."""
        with self._lock:
            return 1 + len(self._extra)

    def __enter__(self) -> Self:
        self._open = True
        self._serve_with(self._first, 0)
        if self._width > 1:
            # The first lane starts on the tests at once; the others join as they
            # are ready (a C++ lane compiles first). One thread opens them, one after
            # another, and stays alive until they are closed: a session's bwrap runs
            # with --die-with-parent, whose death signal fires when the *thread* that
            # started it ends, so a short-lived opener thread would kill its lanes.
            self._opener = threading.Thread(target=self._keep_lanes, name="lane-opener")
            self._opener.start()
        return self

    def _serve_with(self, program: Program, index: int) -> None:
        thread = threading.Thread(target=self._serve, args=(program, index), name=f"lane-{index}")
        self._servers.append(thread)
        thread.start()

    def _keep_lanes(self) -> None:
        """Open the extra lanes, hold them until `__exit__`, then close them."""
        try:
            for index in range(1, self._width):
                # A lane opens once another may run now and the tests left repay it.
                while not self._closing.is_set() and not (
                    self.allowed_now() > index and self._worth_opening()
                ):
                    self._closing.wait(LOOK_S)
                if self._closing.is_set():
                    break
                program = self._open_lane()
                if program is None:
                    continue
                with self._lock:
                    self._extra.append(program)
                    if not self._closing.is_set():
                        self._serve_with(program, len(self._extra))
            self._closing.wait()
        finally:
            with self._lock:
                extra, self._extra = self._extra, []
            for program in extra:
                program.__exit__(None, None, None)

    def _worth_opening(self) -> bool:
        """Whether the tests not yet finished, each taken to last as long as the
        latest finished run (not the first: it may have started before the warm
        interpreter was ready) or the oldest run in flight so far, whichever is
        longer, add up to `WORTH` times the cost of opening a lane (the first lane's,
        or what an extra lane of this kind took last time, whichever is more).
        Nothing is judged before the first run has finished."""
        if self._open_cost_s is None:
            return True
        with _lane_cost_lock:
            cost = max(self._open_cost_s, _lane_cost.get(self._first.session_kind, 0.0))
        with self._lock:
            left = self._queued + len(self._running)
            if not self._done_s:
                return False
            latest = self._done_s[-1]
            running = time.monotonic() - min(self._running) if self._running else 0.0
        return left > 0 and left * max(latest, running) >= WORTH * cost

    def _open_lane(self) -> Program | None:
        """One more compiled lane with its warm interpreter ready, or None: a lane
        that fails to open or compile is simply not used (the first lane's compile
        already decided CE), nor one still importing when the grading ends."""
        program = self._make()
        started = time.monotonic()
        try:
            program.__enter__()
            if program.compile().ok and self._warmed(program):
                self._learn_cost(program, time.monotonic() - started)
                return program
            if self._closing.is_set():  # given up unready: it takes at least this long
                self._learn_cost(program, time.monotonic() - started)
        except SandboxError as exc:
            log.info("an extra test lane did not open: %s", exc)
        program.__exit__(None, None, None)
        return None

    @staticmethod
    def _learn_cost(program: Program, seconds: float) -> None:
        with _lane_cost_lock:
            _lane_cost[program.session_kind] = seconds

    def _warmed(self, program: Program) -> bool:
        session = program.session
        wait = getattr(session, "wait_warm", None)
        if wait is None or not getattr(session, "warm", False):
            return True
        deadline = time.monotonic() + WARM_WAIT_S
        while not self._closing.is_set() and time.monotonic() < deadline:
            if wait(0.5):
                return True
        return False

    def submit(self, stdin: bytes) -> Future[RunResult]:
        """Run one test's input on the next free lane, after every test submitted
        before it has started. Each future goes back through `collect` or `drop`:
        with one lane allowed, the next run waits for that."""
        if not self._open:
            raise RuntimeError("Lanes used outside its `with` block")
        future: Future[RunResult] = Future()
        with self._lock:
            self._queued += 1
        self._jobs.put((future, stdin))
        return future

    def collect(self, future: Future[RunResult]) -> RunResult:
        """The result of a run `submit` returned, for the caller that takes it in turn."""
        try:
            return future.result()
        finally:
            self._forget(future)

    def drop(self, future: Future[RunResult]) -> None:
        """A run whose result will never be taken: cancelled if it has not started."""
        future.cancel()
        self._forget(future)

    def _forget(self, future: Future[RunResult]) -> None:
        with self._lock:
            if future in self._uncollected:
                self._uncollected.discard(future)
                self._collected.notify_all()

    def _may_take(self, index: int) -> bool:
        """Whether lane `index` may start a run now (under the lock): it is among the
        lanes allowed, and, when only one is, the caller has taken every run before."""
        allowed = self.allowed_now()
        return index < allowed and (allowed > 1 or not self._uncollected)

    def _serve(self, program: Program, index: int) -> None:
        """One lane's thread: the oldest test not yet started, again and again."""
        while True:
            with self._lock:
                # Waits are short (LOOK_S): `allowed` may change with nothing to notify.
                while not self._may_take(index) and not self._closing.is_set():
                    self._collected.wait(LOOK_S)
            job = self._jobs.get()
            if job is None:
                self._jobs.put(None)  # for the other lanes
                return
            future, stdin = job
            started = time.monotonic()
            with self._lock:  # started and uncollected at once, so `drop` cannot miss it
                self._queued -= 1
                if not future.set_running_or_notify_cancel():
                    continue  # cancelled: a stop-on-first-failure group ended
                self._running.append(started)
                self._uncollected.add(future)
            try:
                future.set_result(program.run(stdin))
            except BaseException as exc:  # noqa: BLE001 - the caller's result() raises it
                future.set_exception(exc)
            finally:
                with self._lock:
                    self._running.remove(started)
                    self._done_s.append(time.monotonic() - started)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._open = False
        while True:  # what has not started never will
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job[0].cancel()
                with self._lock:
                    self._queued -= 1
        self._jobs.put(None)
        self._closing.set()  # the opener stops opening and closes its lanes after this
        with self._lock:
            servers = list(self._servers)
        for thread in servers:
            thread.join()
        if self._opener is not None:
            self._opener.join()
            self._opener = None
