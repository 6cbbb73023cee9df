"""The judgehost's pool of sessions started ahead (`graders/warm_pool.py`), on bwrap."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from graders import warm_pool
from graders.warm_pool import PooledSandbox, pooled
from sandbox import RunSpec, RunStatus, Warm
from sandbox.backends.bwrap import BwrapSandbox

# One OpenBLAS thread: a fork server whose imports started threads would refuse.
ENV = {"OMP_NUM_THREADS": "1"}
WARM = Warm(preload=("numpy",), env=tuple(ENV.items()))
SOURCE = b"import sys\nprint('numpy' in sys.modules, open('data.txt').read())\n"


def wait_ready(
    pool: PooledSandbox, count: int, timeout: float = 180.0, hidden: tuple[str, ...] = ()
) -> None:
    deadline = time.monotonic() + timeout
    while pool.ready(hidden, WARM) < count:
        assert time.monotonic() < deadline, "the pool never started its sessions"
        time.sleep(0.05)


@pytest.fixture
def pool() -> Iterator[PooledSandbox]:
    box = PooledSandbox(BwrapSandbox(), size=1)
    yield box
    box.close()


# (ctypes: the default ban of stdio and NumPy problems, served by a sealed server)
@pytest.mark.parametrize("hidden", [(), ("ctypes",)], ids=["plain", "ctypes-hidden"])
def test_a_session_started_ahead_is_handed_out_once(
    pool: PooledSandbox, hidden: tuple[str, ...]
) -> None:
    pool.prime(hidden, WARM)
    wait_ready(pool, 1, hidden=hidden)
    waiting = list(pool._ready[(hidden, WARM)])
    files = {"main.py": SOURCE, "data.txt": b"the submission's own file"}
    with pool.session(files, warm=WARM, hidden_modules=hidden) as first:
        assert first.session is waiting[0]  # type: ignore[attr-defined]  # (started ahead)
        res = first.run(RunSpec(argv=("python3", "main.py"), env=ENV))
        assert res.status is RunStatus.OK, res
        assert res.stdout == b"True the submission's own file\n"
    wait_ready(pool, 1, hidden=hidden)  # a replacement, never the used one
    with pool.session(files, warm=WARM, hidden_modules=hidden) as second:
        assert second.session is not first.session  # type: ignore[attr-defined]
        assert second.run(RunSpec(argv=("python3", "main.py"), env=ENV)).stdout.startswith(b"True")


def test_kinds_are_learned_from_demand_and_cold_sessions_pass_through() -> None:
    box = BwrapSandbox()
    get = pooled(lambda: box, 1)
    pool = get()
    assert isinstance(pool, PooledSandbox) and get() is pool
    try:
        with pool.session({"main.py": SOURCE, "data.txt": b"x"}) as cold:
            assert cold.run(RunSpec(argv=("python3", "main.py"), env=ENV)).stdout == b"False x\n"
        assert pool.ready((), WARM) == 0
        with pool.session({"main.py": SOURCE, "data.txt": b"y"}, warm=WARM) as first:
            assert first.run(RunSpec(argv=("python3", "main.py"), env=ENV)).stdout == b"True y\n"
        wait_ready(pool, 1)  # the next one of this kind is started ahead
    finally:
        pool.close()
    assert pooled(lambda: box, 0)() is box


@pytest.mark.parametrize("refill_after_s", [600.0, 0.05], ids=["on-close", "after-a-while"])
def test_a_replacement_starts_once_the_session_is_returned_or_after_a_while(
    pool: PooledSandbox, monkeypatch: pytest.MonkeyPatch, refill_after_s: float
) -> None:
    """Not beside the grading that took the session (its start-up would slow that
    grading), unless the grading runs long."""
    monkeypatch.setattr(warm_pool, "REFILL_AFTER_S", refill_after_s)
    pool.prime((), WARM)
    wait_ready(pool, 1)
    files = {"main.py": SOURCE, "data.txt": b"x"}
    with pool.session(files, warm=WARM) as lent:
        assert lent.run(RunSpec(argv=("python3", "main.py"), env=ENV)).stdout == b"True x\n"
        if refill_after_s > 1:
            time.sleep(0.3)
            assert pool.ready((), WARM) == 0 and pool._starting[((), WARM)] == 0
        else:
            wait_ready(pool, 1)  # started while the lent one is still open
    assert pool.wait_idle() and pool.ready((), WARM) == 1  # (nothing left starting)
