"""Two busy processes under `Limits.cpus` 1 and 2 (bwrap, per-test cgroup quota),
side by side: the CPU they get together per second of wall clock. With a second CPU
free, 2 gives clearly more than 1; 1 stays at or under one CPU however idle the
machine is.

    .venv/bin/python benchmarks/threads_quota.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "sandbox"))

from test_threads import cpu_rate  # noqa: E402


def main(rounds: int) -> None:
    ones, twos = [], []
    for _ in range(rounds):
        ones.append(cpu_rate(1))
        twos.append(cpu_rate(2))
    one, two = statistics.median(ones), statistics.median(twos)
    print(f"cpus=1: {one:.2f} CPU  cpus=2: {two:.2f} CPU  ratio {two / one:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
