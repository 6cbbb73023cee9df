"""One CPU per test unless the problem allows threads (`Limits.cpus`, a problem's
`limits.threads`): the test's cgroup carries a CPU quota of that many CPUs, and two
busy processes under the default quota get at most one CPU between them.

Measured as CPU time over wall time within the same run, never as an absolute
duration. That two CPUs allowed give the same program more than one needs a machine
with a second CPU free, which a loaded CI host does not promise: the side-by-side
rates are in `benchmarks/threads_quota.py`. bwrap only: its per-test cgroup carries
the quota; a Docker session's CPUs are the container's (`--cpus`).
"""

from __future__ import annotations

import glob
import os
import time

import pytest

from sandbox import Limits, RunSpec, RunStatus
from sandbox.backends.bwrap import BwrapSandbox

# Two processes that spin for the same 1.5 s of wall clock; prints the CPU they got
# together per second of that window (their own figures, start-up left out).
TWO_BUSY = """
import os, time
start = time.monotonic()
end = start + 1.5
kids = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        while time.monotonic() < end:
            pass
        os._exit(0)
    kids.append(pid)
for pid in kids:
    os.waitpid(pid, 0)
t = os.times()
print(f"{(t.children_user + t.children_system) / (time.monotonic() - start):.3f}")
"""


def cpu_rate(cpus: float) -> float:
    limits = Limits(wall_s=30, cpu_s=20, cpus=cpus)
    with BwrapSandbox().session() as session:
        res = session.run(RunSpec(argv=("python3", "-c", TWO_BUSY), limits=limits))
    assert res.status is RunStatus.OK, res
    return float(res.stdout)


def test_two_busy_processes_get_at_most_one_cpu_by_default() -> None:
    # However idle the machine is (10% slack for the quota's period boundaries).
    assert cpu_rate(1) < 1.1


def _running_tests_quota() -> str:
    """The CPU quota of this process's bwrap session's running test, read on the host."""
    pattern = f"s{os.getpid()}-*/t*"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        # (the test's child waits in its cgroup before the run sets the quota)
        for path in glob.glob(f"/sys/fs/cgroup/cpu/gradebox/{pattern}/cpu.cfs_quota_us"):
            if (value := open(path).read().strip()) != "-1":
                return value
        for path in glob.glob(f"/sys/fs/cgroup/gradebox/{pattern}/cpu.max"):
            if (value := open(path).read().split()[0]) != "max":
                return value
        time.sleep(0.01)
    raise AssertionError("the running test has no CPU quota in its cgroup")


@pytest.mark.parametrize(("cpus", "quota"), [(1, "100000"), (2, "200000")])
def test_the_tests_cgroup_carries_its_cpu_quota(cpus: int, quota: str) -> None:
    limits = Limits(wall_s=60, cpu_s=20, cpus=cpus)
    with BwrapSandbox().session() as session:
        run = session.stream(
            RunSpec(argv=("python3", "-c", "import sys; sys.stdin.read()"), limits=limits)
        )
        try:
            assert _running_tests_quota() == quota
        finally:
            run.close_stdin()
            while run.next_output() is not None:
                pass
    assert run.result is not None and run.result.status is RunStatus.OK, run.result
