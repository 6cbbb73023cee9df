"""Warm interpreters (`sandbox/zygote.py`) against cold starts, side by side.

For three Python tests (a stdio program, a NumPy computation, a torch computation)
it times, round-robin so that machine load hits every column alike: the bare
program on the host (the .runtime interpreter with the library already imported:
the computation alone), one run in an open cold session, and one run in an open
warm session (forked from an interpreter that has imported the library). Medians,
printed as per-test overhead over bare (wall and CPU) and as warm/cold ratios.
Then it grades the 5-test torch problem (`layernorm-autograd`) cold, warm, and warm
from a session started ahead (the judgehost's pool), whole grading wall time.

    .venv/bin/python benchmarks/warm_start.py [--runs 15] [--backends bwrap,docker]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders import grade_submission, load_package  # noqa: E402
from graders.runner import RUN_ENV  # noqa: E402
from graders.warm_pool import PooledSandbox  # noqa: E402
from sandbox import Limits, RunSpec, RunStatus, Sandbox, SandboxSession, Warm  # noqa: E402
from sandbox.settings import get_settings  # noqa: E402

PROBLEM = ROOT / "problems" / "layernorm-autograd"
LIMITS = Limits(wall_s=60, cpu_s=30, memory_mb=2048)
# name -> (preload, the computation, with its import first)
TESTS: dict[str, tuple[tuple[str, ...], str]] = {
    "stdio": ((), "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n"),
    "numpy": (
        ("numpy",),
        "import numpy as np\na = np.arange(10000.0)\nprint(float((a * a).sum()))\n",
    ),
    "torch": (
        ("torch",),
        "import torch\nx = torch.ones(64, 64)\nprint(float((x @ x).sum()))\n",
    ),
}
STDIN = b"1 2\n"


def make_backend(name: str) -> Sandbox:
    if name == "bwrap":
        from sandbox.backends.bwrap import BwrapSandbox

        return BwrapSandbox()
    from sandbox.backends.docker import DockerSandbox

    return DockerSandbox(runtime="runsc" if name == "runsc" else "runc")


def in_session(session: SandboxSession) -> Callable[[], tuple[float, float]]:
    spec = RunSpec(argv=("python3", "main.py"), stdin=STDIN, env=RUN_ENV, limits=LIMITS)

    def run() -> tuple[float, float]:
        res = session.run(spec)
        if res.status is not RunStatus.OK:
            raise SystemExit(f"run failed: {res}")
        return res.wall_s, res.cpu_s

    return run


def bare(source: str) -> Callable[[], tuple[float, float]]:
    """The computation alone: its import is done once, outside the timing."""
    python = str(get_settings().runtime_dir / "bin" / "python3")
    driver = (
        "import sys, time, os, io\n"
        f"src = {source!r}\n"
        "code = compile(src, 'main.py', 'exec')\n"
        "exec(compile(src.splitlines()[0], 'imp', 'exec'), {})\n"
        "for line in sys.stdin:\n"
        "    t, c = time.monotonic(), time.process_time()\n"
        "    sys.stdin, out = io.StringIO('1 2\\n'), sys.stdout\n"
        "    sys.stdout = io.StringIO()\n"
        "    exec(code, {'__name__': '__main__'})\n"
        "    sys.stdout, sys.stdin = out, sys.__stdin__\n"
        "    print(time.monotonic() - t, time.process_time() - c, flush=True)\n"
    )
    proc = subprocess.Popen(
        [python, "-c", driver],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**RUN_ENV, "PATH": "/usr/bin:/bin"},
    )
    assert proc.stdin and proc.stdout

    def run() -> tuple[float, float]:
        assert proc.stdin and proc.stdout
        proc.stdin.write("go\n")
        proc.stdin.flush()
        wall, cpu = proc.stdout.readline().split()
        return float(wall), float(cpu)

    return run


def per_test(backend: str, runs: int) -> None:
    box = make_backend(backend)
    print(f"\n{backend}: per-test overhead over the bare computation (median of {runs})")
    print(f"  {'test':<6} {'cold wall':>10} {'warm wall':>10} {'cold CPU':>9} {'warm CPU':>9}"
          f" {'warm/cold wall':>15}")  # fmt: skip
    for name, (preload, source) in TESTS.items():
        files = {"main.py": source.encode()}
        with (
            box.session(files) as cold,
            box.session(files, warm=Warm(preload, tuple(sorted(RUN_ENV.items())))) as warm,
        ):
            columns = {"bare": bare(source), "cold": in_session(cold), "warm": in_session(warm)}
            for run in columns.values():
                run()  # first runs: imports cached, warm spares forked
            samples: dict[str, list[tuple[float, float]]] = {k: [] for k in columns}
            for _ in range(runs):
                for key, run in columns.items():
                    samples[key].append(run())
        med = {
            k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
            for k, v in samples.items()
        }
        over = {k: (med[k][0] - med["bare"][0], med[k][1] - med["bare"][1]) for k in med}
        ratio = med["warm"][0] / med["cold"][0]
        print(
            f"  {name:<6} {over['cold'][0] * 1000:>8.1f}ms {over['warm'][0] * 1000:>8.1f}ms"
            f" {over['cold'][1] * 1000:>7.1f}ms {over['warm'][1] * 1000:>7.1f}ms {ratio:>14.2f}x"
        )


def grading(backend: str) -> None:
    box = make_backend(backend)
    source = (PROBLEM / "submissions" / "accepted" / "reference.py").read_text()
    package = load_package(PROBLEM, sandbox=box)
    settings = get_settings()

    verdicts: list[str] = []

    def grade(sandbox: Sandbox) -> float:
        start = time.monotonic()
        result = grade_submission(package, source=source, language="python", sandbox=sandbox)
        verdicts.append(result.verdict.value)  # a loaded machine can make cold runs TLE
        return time.monotonic() - start

    print(f"\n{backend}: grading {PROBLEM.name} ({len(package.tests)} tests), whole wall time")
    settings.warm = False
    cold = grade(box)
    settings.warm = True
    warm = grade(box)
    pool = PooledSandbox(box, size=1)
    try:
        grade(pool)  # the pool learns this kind of session, and starts one ahead
        deadline = time.monotonic() + 300
        while not any(pool._ready.values()) and time.monotonic() < deadline:
            time.sleep(0.1)
        pooled = grade(pool)
    finally:
        pool.close()
    print(f"  cold {cold:.2f}s   warm {warm:.2f}s   warm + pool {pooled:.2f}s"
          f"   (pool/cold {pooled / cold:.2f}x)   verdicts {' '.join(verdicts)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--backends", default="bwrap")
    parser.add_argument("--skip-grading", action="store_true")
    parser.add_argument("--skip-per-test", action="store_true")
    args = parser.parse_args()
    print(f"host: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    for backend in args.backends.split(","):
        if not args.skip_per_test:
            per_test(backend, args.runs)
        if not args.skip_grading:
            grading(backend)


if __name__ == "__main__":
    main()
