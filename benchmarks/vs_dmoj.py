"""Gradebox against the DMOJ judge on the same 20-test problem, side by side.

An "A plus B" problem of 20 tests, graded in Python and in C++ by Gradebox (through
`graders.grade_submission`, on each sandbox backend asked for, with one lane as
DMOJ grades and with the default lanes, optionally through a judgehost's warm pool)
and by DMOJ's judge (PyPI `dmoj`), alternately over several rounds so that load
drifts hit every column alike, with a bare loop of the same programs on the host as
the floor (compile, then run each test as a plain subprocess and compare its output).
Every grading must accept every test; verdicts that disagree stop the benchmark.
Prints each round's times, the medians, Gradebox/DMOJ and the per-test cost over bare.

    .venv/bin/python benchmarks/vs_dmoj.py [--rounds 5] [--backends bwrap,docker]
        [--lanes 1,2] [--pool 0,2] [--dmoj-home /var/tmp/gradebox-bench-dmoj]

DMOJ is set up on first use and reused after (idempotent): Debian's libseccomp-dev
(`apt-get install -y libseccomp-dev` when missing and running as root), a venv at
`--dmoj-home` built from /usr/bin/python3 (the interpreter Gradebox's runtime is
built from) with `dmoj` pinned, a problem folder and a `config.yml`. DMOJ refuses
to run as root, so its judge runs as nobody (`setpriv`); hence a home outside the
repository and outside root's home. The judge is kept running across submissions
as DMOJ's own CLI does (executors self-tested once), and each submission is timed
from the request to its last test's result.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders import grade_submission, load_package, pooled  # noqa: E402
from graders.package.types import Package  # noqa: E402
from sandbox import Sandbox, get_sandbox  # noqa: E402
from sandbox.settings import get_settings  # noqa: E402

DMOJ_VERSION = "4.1.0"
DMOJ_PROBLEM = "gbxaplusb"
TESTS = 20
TIME_LIMIT_S = 2.0
MEMORY_MB = 256
PYTHON = "a, b = map(int, input().split())\nprint(a + b)\n"
CPP = (
    "#include <cstdio>\n"
    'int main() { long long a, b; std::scanf("%lld %lld", &a, &b);'
    ' std::printf("%lld\\n", a + b); }\n'
)
SOURCES = {"python": PYTHON, "cpp": CPP}
DMOJ_LANGUAGE = {"python": "PY3", "cpp": "CPP17"}
# DMOJ's status codes in Gradebox's words (only the ones these programs could get).
DMOJ_CODES = {"AC": "AC", "WA": "WA", "TLE": "TLE", "MLE": "MLE", "OLE": "OLE", "RTE": "RE"}
NOBODY = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--")


def make_tests(seed: int = 13) -> list[tuple[bytes, bytes]]:
    """Twenty (input, answer) pairs; the last few need 64-bit sums."""
    rng = random.Random(seed)
    tests = []
    for index in range(TESTS):
        bound = 10**9 if index < TESTS - 5 else 10**18
        a, b = rng.randint(-bound, bound), rng.randint(-bound, bound)
        tests.append((f"{a} {b}\n".encode(), f"{a + b}\n".encode()))
    return tests


def write_gradebox_package(root: Path, tests: list[tuple[bytes, bytes]]) -> None:
    spec = {
        "name": "A plus B (benchmark)",
        "type": "stdio",
        "difficulty": "easy",
        "languages": ["python", "cpp"],
        "limits": {"time_s": TIME_LIMIT_S, "memory_mb": MEMORY_MB},
        "groups": [{"name": "secret", "points": 100, "mode": "sum"}],
    }
    root.mkdir(parents=True)
    (root / "problem.yaml").write_text(yaml.safe_dump(spec))
    (root / "statement.md").write_text("Print the sum of two integers.\n")
    data = root / "data" / "secret"
    data.mkdir(parents=True)
    for number, (given, answer) in enumerate(tests, start=1):
        (data / f"{number:02}.in").write_bytes(given)
        (data / f"{number:02}.ans").write_bytes(answer)


# --- DMOJ -------------------------------------------------------------------------


def _run(argv: list[str], what: str) -> None:
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{what} failed ({' '.join(argv)}):\n{done.stdout}{done.stderr}")


def ensure_libseccomp() -> None:
    if Path("/usr/include/seccomp.h").exists():
        return
    if os.geteuid() != 0:
        raise SystemExit("DMOJ needs Debian's libseccomp-dev: apt-get install -y libseccomp-dev")
    print("installing libseccomp-dev (DMOJ's sandbox is built against it)", flush=True)
    _run(["apt-get", "update"], "apt-get update")
    _run(["apt-get", "install", "-y", "libseccomp-dev"], "apt-get install libseccomp-dev")


def ensure_dmoj(home: Path) -> Path:
    """The venv's interpreter, with `dmoj` installed (once; a marker says it is)."""
    venv = home / "venv"
    python = venv / "bin" / "python"
    marker = venv / f".dmoj-{DMOJ_VERSION}"
    if marker.exists():
        return python
    ensure_libseccomp()
    shutil.rmtree(venv, ignore_errors=True)
    home.mkdir(parents=True, exist_ok=True)
    print(f"building DMOJ {DMOJ_VERSION} in {venv} (once)", flush=True)
    _run(["/usr/bin/python3", "-m", "venv", str(venv)], "creating DMOJ's venv")
    _run([str(python), "-m", "pip", "install", f"dmoj=={DMOJ_VERSION}"], "pip install dmoj")
    marker.touch()
    return python


def write_dmoj_files(home: Path, tests: list[tuple[bytes, bytes]]) -> Path:
    """The problem folder, `config.yml` and the driver, readable by nobody."""
    problem = home / "problems" / DMOJ_PROBLEM
    shutil.rmtree(problem, ignore_errors=True)
    problem.mkdir(parents=True)
    cases = []
    for number, (given, answer) in enumerate(tests, start=1):
        (problem / f"{number:02}.in").write_bytes(given)
        (problem / f"{number:02}.out").write_bytes(answer)
        cases.append({"in": f"{number:02}.in", "out": f"{number:02}.out", "points": 1})
    (problem / "init.yml").write_text(yaml.safe_dump({"test_cases": cases}))
    config = home / "config.yml"
    config.write_text(
        yaml.safe_dump(
            {
                "problem_storage_globs": [str(home / "problems" / "*")],
                "runtime": {"python3": "/usr/bin/python3", "g++17": shutil.which("g++")},
            }
        )
    )
    shutil.copy(Path(__file__).with_name("_dmoj_driver.py"), home / "driver.py")
    for path in [home, *home.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | (0o755 if path.is_dir() else 0o644))
    return config


class DmojJudge:
    """One DMOJ judge process (as nobody when we are root) for the whole run."""

    def __init__(self, python: Path, home: Path, config: Path) -> None:
        argv = [str(python), str(home / "driver.py"), str(config)]
        if os.geteuid() == 0:
            argv = [*NOBODY, *argv]
        env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
        self.process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=home
        )
        ready = self._read()
        missing = {"PY3", "CPP17"} - set(ready.get("ready", []))
        if missing:
            raise SystemExit(f"DMOJ's judge did not load {sorted(missing)}: {ready}")

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"DMOJ's judge exited (status {self.process.wait()})")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def grade(self, language: str, source: str) -> list[str]:
        request = {
            "problem": DMOJ_PROBLEM,
            "language": DMOJ_LANGUAGE[language],
            "source": source,
            "time_limit": TIME_LIMIT_S,
            "memory_kb": MEMORY_MB * 1024,
        }
        stdin: IO[str] | None = self.process.stdin
        assert stdin is not None
        stdin.write(json.dumps(request) + "\n")
        stdin.flush()
        return parse_dmoj_reply(self._read())

    def close(self) -> None:
        """End of input ends the judge; one still busy after a stop is killed."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=60)
        except (OSError, KeyboardInterrupt, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


def parse_dmoj_reply(reply: dict[str, Any]) -> list[str]:
    """Each test's verdict in Gradebox's codes; a compile error is one CE, a judge
    failure one IE (neither should happen to these programs)."""
    if reply.get("internal_error"):
        return ["IE"]
    if reply.get("compile_error") is not None:
        return ["CE"]
    return [DMOJ_CODES.get(code, f"DMOJ:{code}") for code in reply["verdicts"]]


# --- Gradebox and bare ------------------------------------------------------------


def gradebox_grader(
    package: Package, sandbox: Sandbox, lanes: int
) -> Callable[[str, str], list[str]]:
    def grade(language: str, source: str) -> list[str]:
        result = grade_submission(
            package, source=source, language=language, sandbox=sandbox, parallelism=lanes
        )
        return [test.verdict.value for test in result.tests]

    return grade


def bare_grader(tmp: Path, tests: list[tuple[bytes, bytes]]) -> Callable[[str, str], list[str]]:
    """Compile (C++), then run each test as a plain subprocess: the floor."""
    python = get_settings().runtime_dir / "bin" / "python3"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "LANG": "C.UTF-8"}

    def grade(language: str, source: str) -> list[str]:
        if language == "cpp":
            (tmp / "main.cpp").write_text(source)
            subprocess.run(["g++", "-O2", "-o", "main", "main.cpp"], cwd=tmp, env=env, check=True)
            argv = [str(tmp / "main")]
        else:
            (tmp / "main.py").write_text(source)
            argv = [str(python), "main.py"]
        verdicts = []
        for given, answer in tests:
            done = subprocess.run(argv, input=given, capture_output=True, cwd=tmp, env=env)
            ok = done.returncode == 0 and done.stdout.split() == answer.split()
            verdicts.append("AC" if ok else "WA")
        return verdicts

    return grade


@dataclass
class Column:
    name: str
    grade: Callable[[str, str], list[str]]


def timed(fn: Callable[[], list[str]]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    verdicts = fn()
    return time.perf_counter() - start, verdicts


@contextmanager
def scratch() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="gradebox-vs-dmoj-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def report(language: str, names: list[str], samples: dict[str, list[float]]) -> None:
    medians = {name: statistics.median(samples[name]) for name in names}
    bare, dmoj = medians["bare"], medians["dmoj"]
    width = max(len(name) for name in names)
    print(f"\n{language}: medians of {len(samples['bare'])} rounds, {TESTS} tests each")
    header = (
        f"{'grader':{width}} {'submission':>11} {'per test':>9} {'vs DMOJ':>8}"
        f" {'vs bare':>8} {'overhead/test':>14}"
    )
    print(header)
    print("-" * len(header))
    for name in names:
        value = medians[name]
        print(
            f"{name:{width}} {value * 1e3:9.0f}ms {value / TESTS * 1e3:7.1f}ms"
            f" {value / dmoj:7.2f}x {value / bare:7.2f}x {(value - bare) / TESTS * 1e3:12.1f}ms"
        )


def _counts(text: str) -> list[int]:
    """A comma-separated list of counts (`--lanes 1,2`), or argparse's usage error."""
    items = [item for item in text.split(",") if item]
    if not items or not all(item.isdigit() for item in items):
        raise argparse.ArgumentTypeError(f"not a comma-separated list of counts: {text!r}")
    return sorted({int(item) for item in items})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backends", default="bwrap,docker")
    parser.add_argument("--lanes", type=_counts, default=[1, len(os.sched_getaffinity(0))])
    parser.add_argument(
        "--pool", type=_counts, default=[0], help="judgehost warm pool sizes (0: none, the default)"
    )
    parser.add_argument("--languages", default="python,cpp")
    parser.add_argument("--dmoj-home", type=Path, default=Path("/var/tmp/gradebox-bench-dmoj"))
    args = parser.parse_args()
    languages = [name for name in args.languages.split(",") if name]
    lanes = [count for count in args.lanes if count > 0] or [1]
    pools: list[int] = args.pool
    tests = make_tests()

    home = args.dmoj_home.resolve()
    python = ensure_dmoj(home)
    config = write_dmoj_files(home, tests)
    print("starting DMOJ's judge (self-tests its executors once)", flush=True)
    dmoj = DmojJudge(python, home, config)
    with scratch() as tmp:
        sandboxes: list[Sandbox] = []
        try:
            write_gradebox_package(tmp / "package", tests)
            columns = [Column("bare", bare_grader(tmp, tests)), Column("dmoj", dmoj.grade)]
            for backend in [name for name in args.backends.split(",") if name]:
                for pool in pools:
                    sandbox = pooled(lambda b=backend: get_sandbox(b), pool)()
                    sandboxes.append(sandbox)
                    package = load_package(
                        tmp / "package", sandbox=sandbox, cache_dir=tmp / "cache"
                    )
                    for count in lanes:
                        name = f"gradebox {backend} {count} lane{'s' if count > 1 else ''}"
                        name += f" pool {pool}" if pool else ""
                        columns.append(Column(name, gradebox_grader(package, sandbox, count)))
            run_rounds(columns, languages, args.rounds, partial(settle, sandboxes))
        finally:
            dmoj.close()
            for sandbox in sandboxes:  # a pool's sessions started ahead
                getattr(sandbox, "close", lambda: None)()


def settle(sandboxes: list[Sandbox]) -> None:
    """Let what the last grading left running in the background finish (a pool's
    replacement sessions, docker's container removals), so that each grading is
    timed on an otherwise idle judge rather than beside the one before it."""
    for sandbox in sandboxes:
        wait_idle = getattr(sandbox, "wait_idle", None)
        if wait_idle is not None:
            wait_idle()
    if any(sandbox.name == "docker" for sandbox in sandboxes):
        from sandbox.backends.docker import wait_for_removals

        wait_for_removals()


def run_rounds(
    columns: list[Column], languages: list[str], rounds: int, settle: Callable[[], None]
) -> None:
    """Grade alternately, each grading after the background work of the one before
    it (`settle`); stopped early (Ctrl-C, `timeout`'s SIGTERM), it still reports the
    rounds that every column finished."""
    names = [column.name for column in columns]
    finished: dict[str, list[dict[str, float]]] = {lang: [] for lang in languages}
    load_before = os.getloadavg()[0]
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        for language in languages:  # one warm-up each: compilers, caches, pools
            for column in columns:
                column.grade(language, SOURCES[language])
        for number in range(1, rounds + 1):
            for language in languages:
                order = columns if number % 2 else columns[::-1]  # alternate who goes first
                times: dict[str, float] = {}
                for column in order:
                    settle()
                    seconds, verdicts = timed(partial(column.grade, language, SOURCES[language]))
                    if verdicts != ["AC"] * TESTS:
                        raise SystemExit(
                            f"verdicts disagree: {column.name} gave {verdicts} to {language}"
                        )
                    times[column.name] = seconds
                finished[language].append(times)
                cells = ", ".join(f"{name} {value * 1e3:.0f}ms" for name, value in times.items())
                print(f"round {number} {language}: {cells}", flush=True)
    except KeyboardInterrupt:
        print("\nstopped early: reporting the finished rounds only", flush=True)
    print(
        f"\n{os.cpu_count()} CPUs; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after; every grading accepted all {TESTS} tests"
    )
    for language in languages:
        if finished[language]:
            samples = {name: [times[name] for times in finished[language]] for name in names}
            report(language, names, samples)


if __name__ == "__main__":
    main()
