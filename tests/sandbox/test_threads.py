"""One CPU per test unless the problem allows threads (`Limits.cpus`): two busy
processes share one CPU under the default quota, and run side by side under two.

Measured as CPU time over wall time of the same run (the sandbox's own figures for
all the test's processes), never as an absolute duration. bwrap only: its per-test
cgroup carries the quota; a Docker session's CPUs are the container's (`--cpus`).
"""

from __future__ import annotations

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


def _cpu_rate(cpus: float) -> float:
    limits = Limits(wall_s=30, cpu_s=20, cpus=cpus)
    with BwrapSandbox().session() as session:
        res = session.run(RunSpec(argv=("python3", "-c", TWO_BUSY), limits=limits))
    assert res.status is RunStatus.OK, res
    return float(res.stdout)


def test_two_busy_processes_share_one_cpu_unless_threads_are_allowed() -> None:
    # The quota caps the default at one CPU however idle the machine is (10% slack for
    # period boundaries); with two allowed, the same program gets clearly more, once
    # the machine has a second CPU to give (a few tries on a loaded one).
    ones, twos = [], []
    for _ in range(4):
        ones.append(_cpu_rate(1))
        twos.append(_cpu_rate(2))
        assert max(ones) < 1.1, ones
        if max(twos) > 1.25 * max(ones):
            break
    assert max(twos) > 1.25 * max(ones), (ones, twos)
