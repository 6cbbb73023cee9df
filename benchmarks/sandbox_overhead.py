"""Per-run overhead of each sandbox backend against a bare process.

For each program (`python3 -c pass`, a NumPy import, a C++ hello world) it times,
round-robin so that machine load hits every column alike, a bare subprocess on the
host (the .runtime interpreter, the same binary compiled on the host) and one run
inside an already open session of each backend (warm sandbox: bwrap's agent, or a
warm container's agent). Medians of many runs, printed as ratios to bare. Starting
(and closing) a session, paid once per submission, is reported separately.

    .venv/bin/python benchmarks/sandbox_overhead.py [--runs 40] [--backends bwrap,docker,runsc]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sandbox import Limits, RunSpec, RunStatus, Sandbox, SandboxSession  # noqa: E402
from sandbox.settings import get_settings  # noqa: E402

HELLO_CPP = b'#include <cstdio>\nint main(){std::puts("hello");}\n'
PROGRAMS: dict[str, tuple[str, ...]] = {
    "python3 -c pass": ("python3", "-c", "pass"),
    "python3 -c 'import numpy'": ("python3", "-c", "import numpy"),
    "C++ hello": ("./hello",),
}
LIMITS = Limits(wall_s=30, cpu_s=20, memory_mb=1024)


def make_backend(name: str) -> Sandbox:
    if name == "bwrap":
        from sandbox.backends.bwrap import BwrapSandbox

        return BwrapSandbox()
    from sandbox.backends.docker import DockerSandbox

    return DockerSandbox(runtime="runsc" if name == "runsc" else "runc")


def open_session(box: Sandbox) -> SandboxSession:
    session = box.session({"hello.cpp": HELLO_CPP})
    built = session.run(
        RunSpec(argv=("g++", "-O2", "-o", "hello", "hello.cpp"), limits=Limits(wall_s=120))
    )
    if built.status is not RunStatus.OK:
        raise SystemExit(f"compile failed in {box.name}: {built.stderr.decode()}")
    return session


def bare_runner(tmp: Path) -> Callable[[tuple[str, ...]], None]:
    runtime_bin = get_settings().runtime_dir / "bin"
    subprocess.run(["g++", "-O2", "-o", "hello", "hello.cpp"], cwd=tmp, check=True)
    env = {"PATH": f"{runtime_bin}:/usr/bin:/bin", "HOME": str(tmp), "LANG": "C.UTF-8"}

    def run(argv: tuple[str, ...]) -> None:
        subprocess.run(argv, cwd=tmp, env=env, capture_output=True, check=True)

    return run


def session_runner(session: SandboxSession) -> Callable[[tuple[str, ...]], None]:
    def run(argv: tuple[str, ...]) -> None:
        res = session.run(RunSpec(argv=argv, limits=LIMITS))
        if res.status is not RunStatus.OK:
            raise SystemExit(f"{argv} failed: {res}")

    return run


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--backends", default="bwrap,docker,runsc")
    parser.add_argument("--session-starts", type=int, default=5)
    args = parser.parse_args()
    names = [n for n in args.backends.split(",") if n]

    boxes = {name: make_backend(name) for name in names}
    starts: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(args.session_starts):
        for name, box in boxes.items():

            def start_and_close(box: Sandbox = box) -> None:
                box.session().close()

            starts[name].append(timed(start_and_close))

    tmp = Path(tempfile.mkdtemp(prefix="gradebox-bench-"))
    (tmp / "hello.cpp").write_bytes(HELLO_CPP)
    sessions = {name: open_session(box) for name, box in boxes.items()}
    try:
        runners = {"bare": bare_runner(tmp)}
        runners.update({name: session_runner(s) for name, s in sessions.items()})
        samples = {(p, r): [] for p in PROGRAMS for r in runners}
        for argv in PROGRAMS.values():  # warm caches everywhere first
            for runner in runners.values():
                for _ in range(3):
                    runner(argv)
        for _ in range(args.runs):
            for prog, argv in PROGRAMS.items():
                for rname, runner in runners.items():
                    samples[(prog, rname)].append(timed(lambda r=runner, a=argv: r(a)))
    finally:
        for session in sessions.values():
            session.close()
        shutil.rmtree(tmp, ignore_errors=True)

    cpu = os.cpu_count()
    load = os.getloadavg()[0]
    for label, stat in (("median", statistics.median), ("best", min)):
        print(
            f"sandbox overhead per run: {label} of {args.runs} runs ({cpu} CPUs, load {load:.1f})"
        )
        header = f"{'program':28} {'bare':>9}" + "".join(f" {n:>18}" for n in names)
        print(header)
        print("-" * len(header))
        for prog in PROGRAMS:
            bare = stat(samples[(prog, "bare")])
            row = f"{prog:28} {bare * 1e3:7.1f}ms"
            for name in names:
                value = stat(samples[(prog, name)])
                row += f" {value * 1e3:8.1f}ms {value / bare:5.2f}x"
            print(row)
        print()
    print("session start + close (once per submission), median:")
    for name in names:
        print(f"  {name:8} {statistics.median(starts[name]) * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
