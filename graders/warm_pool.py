"""Sessions started ahead of their submissions, so a grading does not wait for its
sandbox and its warm interpreter (torch's import) to start.

`PooledSandbox` wraps a judgehost's sandbox: a session asked for with `warm`
(`sandbox.Warm`) comes from a small pool of sessions already started with the same
hidden modules and warm spec, and the pool starts a replacement in the background.
It keeps `size` sessions for each of the last few kinds of session the judgehost
was asked for (the kinds it serves), and hands each out once: a session is never
reused after learner code has run in it. Anything else (GPU, cold) goes straight
to the wrapped sandbox.

A replacement starts when the session lent is closed, or `REFILL_AFTER_S` after it
was lent if that comes first: started at once, its start-up (bwrap, the agent's and
the fork server's imports, the host side's Python under the same GIL) ran beside
the grading that took the session, and a 20-test C++ submission took 235 ms instead
of 185 ms on two cores. A long grading (torch) still has its replacement started
while it runs.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

from sandbox import RunResult, RunSpec, Sandbox, SandboxError, SandboxSession, Warm

log = logging.getLogger(__name__)

MAX_KINDS = 4  # session kinds kept warm at once (least recently asked for dropped)
REFILL_AFTER_S = 1.0  # the latest a lent session's replacement starts
_Key = tuple[tuple[str, ...], Warm]

# Sessions are started by one thread that lives as long as the process: bwrap's
# --die-with-parent (PR_SET_PDEATHSIG) kills a sandbox when the *thread* that
# started it exits, so a short-lived thread per start would kill its session.
_jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
_starter: threading.Thread | None = None
_starter_lock = threading.Lock()


def _start_in_background(job: Callable[[], None]) -> None:
    global _starter
    with _starter_lock:
        if _starter is None:
            _starter = threading.Thread(target=_run_jobs, name="warm-pool", daemon=True)
            _starter.start()
    _jobs.put(job)


def _run_jobs() -> None:
    while True:
        job = _jobs.get()
        try:
            job()
        except Exception:  # a failed start only means a cold start later
            log.exception("warm pool: a background start failed")


class PooledSandbox:
    def __init__(self, inner: Sandbox, size: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.size = size
        self._ready: OrderedDict[_Key, deque[SandboxSession]] = OrderedDict()
        self._starting: dict[_Key, int] = {}
        self._lock = threading.Lock()
        self._closed = False

    def run(self, spec: RunSpec) -> RunResult:
        return self.inner.run(spec)

    def session(
        self,
        files: Mapping[str, bytes] | None = None,
        *,
        hidden_modules: Sequence[str] = (),
        gpu: bool = False,
        warm: Warm | None = None,
    ) -> SandboxSession:
        if warm is None or gpu:
            return self.inner.session(files, hidden_modules=hidden_modules, gpu=gpu)
        key: _Key = (tuple(hidden_modules), warm)
        session = self._take(key)
        if session is None:
            self._refill(key)
            return self.inner.session(files, hidden_modules=hidden_modules, warm=warm)
        lent = _Lent(session, _Once(lambda: self._refill(key)))
        try:
            add = getattr(session, "add_files", None)
            if add is None:
                raise SandboxError("this sandbox's sessions cannot take files later")
            add(dict(files or {}))
            return lent
        except SandboxError as exc:
            log.warning("warm pool: a session started ahead failed (%s); starting one", exc)
            lent.close()
        return self.inner.session(files, hidden_modules=hidden_modules, warm=warm)

    def ready(self, hidden_modules: Sequence[str], warm: Warm) -> int:
        """Sessions of that kind started and waiting (for tests and metrics)."""
        with self._lock:
            return len(self._ready.get((tuple(hidden_modules), warm), ()))

    def prime(self, hidden_modules: Sequence[str], warm: Warm) -> None:
        """Start sessions of a kind ahead of the first submission that needs one."""
        key: _Key = (tuple(hidden_modules), warm)
        with self._lock:
            self._ready.setdefault(key, deque())
        self._refill(key)

    def wait_idle(self, timeout: float = 120.0) -> bool:
        """Until no session is being started (False: `timeout` ran out), so that a
        benchmark times a grading without the pool's own starts beside it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not any(self._starting.values()):
                    return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            sessions = [s for queue in self._ready.values() for s in queue]
            self._ready.clear()
        for session in sessions:
            session.close()

    def _take(self, key: _Key) -> SandboxSession | None:
        with self._lock:
            queue = self._ready.setdefault(key, deque())
            self._ready.move_to_end(key)
            session = queue.popleft() if queue else None
            dropped = []
            while len(self._ready) > MAX_KINDS:
                _, old = self._ready.popitem(last=False)
                dropped += list(old)
        for old_session in dropped:
            old_session.close()
        return session

    def _refill(self, key: _Key) -> None:
        with self._lock:
            queue = self._ready.get(key)
            if self._closed or queue is None:
                return
            missing = self.size - len(queue) - self._starting.get(key, 0)
            self._starting[key] = self._starting.get(key, 0) + max(0, missing)
        for _ in range(max(0, missing)):
            _start_in_background(lambda: self._start_one(key))

    def _start_one(self, key: _Key) -> None:
        hidden, warm = key
        session: SandboxSession | None = None
        try:
            session = self.inner.session({}, hidden_modules=hidden, warm=warm)
            wait = getattr(session, "wait_warm", None)
            if wait is not None:
                wait()  # queued once its imports are done
        except Exception as exc:  # a failed start only means a cold start later
            log.warning("warm pool: cannot start a session ahead: %s", exc)
        with self._lock:
            self._starting[key] -= 1
            queue = self._ready.get(key)
            keep = session is not None and queue is not None and not self._closed
            if keep and queue is not None and session is not None:
                queue.append(session)
        if session is not None and not keep:
            session.close()


class _Once:
    """`job`, run by whichever comes first: the lent session's close, or a timer."""

    def __init__(self, job: Callable[[], None]) -> None:
        self._job: Callable[[], None] | None = job
        self._lock = threading.Lock()
        self._timer = threading.Timer(REFILL_AFTER_S, self)
        self._timer.daemon = True
        self._timer.start()

    def __call__(self) -> None:
        with self._lock:
            job, self._job = self._job, None
        self._timer.cancel()
        if job is not None:
            job()  # (only queues the start: sessions start on the pool's own thread)


class _Lent:
    """A session from the pool as handed out: closing it starts its replacement.
    Everything else is the session's own (`session`)."""

    def __init__(self, session: SandboxSession, on_close: _Once) -> None:
        self.session = session
        self._on_close = on_close

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)

    def run(self, spec: RunSpec) -> RunResult:
        return self.session.run(spec)

    def close(self) -> None:
        try:
            self.session.close()
        finally:
            self._on_close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def pooled(factory: Callable[[], Sandbox], size: int) -> Callable[[], Sandbox]:
    """`factory` with its sandbox wrapped in one long-lived pool (size 0: unchanged)."""
    if size <= 0:
        return factory
    holder: list[PooledSandbox] = []
    lock = threading.Lock()

    def get() -> Sandbox:
        box = factory()
        with lock:
            if not holder or holder[0].inner is not box:
                if holder:
                    holder[0].close()
                holder[:] = [PooledSandbox(box, size)]
            return holder[0]

    return get
