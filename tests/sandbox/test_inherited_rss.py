"""A large judge process must not make small programs look like memory hogs.

A forked child keeps its parent's RSS high-water mark through exec; the local
runners (`none`, unprivileged bwrap) must not read that as the program's usage.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import Limits, RunSpec, RunStatus
from sandbox.backends.bwrap import BwrapSandbox
from sandbox.backends.none import NoneSandbox
from sandbox.local import LocalSandbox


@pytest.fixture
def big_judge() -> Iterator[bytearray]:
    ballast = bytearray(400 * 1024 * 1024)
    for offset in range(0, len(ballast), 4096):  # make every page resident
        ballast[offset] = 1
    yield ballast


def _unprivileged_bwrap() -> LocalSandbox:
    box = BwrapSandbox()
    box._privileged = False
    return box  # type: ignore[return-value]


@pytest.mark.parametrize(
    "make", [NoneSandbox, _unprivileged_bwrap], ids=["none", "bwrap-unprivileged"]
)
def test_small_program_under_a_big_judge_is_not_mle(big_judge: bytearray, make: type) -> None:
    box = make()
    result = box.run(RunSpec(argv=("python3", "-c", "print('ok')"), limits=Limits(memory_mb=256)))
    assert result.status is RunStatus.OK, result
    assert result.stdout == b"ok\n"
    assert result.peak_memory_kb < 256 * 1024


@pytest.mark.parametrize(
    "make", [NoneSandbox, _unprivileged_bwrap], ids=["none", "bwrap-unprivileged"]
)
def test_real_memory_hog_is_still_mle(big_judge: bytearray, make: type) -> None:
    box = make()
    hog = "x = bytearray(600 * 2**20); print(len(x))"
    result = box.run(RunSpec(argv=("python3", "-c", hog), limits=Limits(memory_mb=256)))
    assert result.status is RunStatus.MLE, result
