"""Judge throughput: tests per second through the API and judge against a bare run.

N submissions of an accepted stdio solution go through the real API of a server with
`make run`'s settings (SQLite, embedded judgehost, started on a free port): after one
untimed submission (the judgehost prepares a package once, not per submission),
posted at once, the clock stops at the last verdict. The clients are N CI jobs,
each posting with `?wait=` (`--client wait`, the default), or one client that posts
them all, then reads each every 0.1 s until judged (`--client poll`; every read
after a new result misses the read cache, so the server pays for them).

The floor is the same program on the same test inputs (the package's tests, generated
as the judge generates them) run bare, one process per test on every core at once.
Both run in the same invocation, one after the other, and the ratio judge/bare is
printed (goal: at least 0.8x).

    .venv/bin/python benchmarks/judge_throughput.py [--submissions 8] [--problem SLUG]
        [--sandbox auto|bwrap|docker] [--client wait|poll]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import ROOT, machine_note, make_run_env, running_server, stop_on_sigterm  # noqa: E402

GOAL = 0.8
SETTLED = ("judged", "awaiting_gpu")


def bare_run(problem: str, source: Path, rounds: int) -> tuple[float, float, int]:
    """Every test of the package, `rounds` times, bare on all cores: the seconds it
    took, the CPU of the processes (children's rusage), and the tests per round."""
    import resource

    from graders import load_package
    from sandbox.settings import get_settings

    package = load_package(ROOT / "problems" / problem)
    inputs = [t.input for t in package.tests]
    python = str(get_settings().runtime_dir / "bin" / "python3")
    work = Path(tempfile.mkdtemp(prefix="gradebox-bare-"))
    (work / "solution.py").write_bytes(source.read_bytes())
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8"}

    def one(data: bytes) -> None:
        subprocess.run(
            [python, "solution.py"], input=data, cwd=work, env=env, capture_output=True, check=True
        )

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    try:
        cpu, start = children_cpu(), time.perf_counter()
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(one, inputs * rounds))
        return time.perf_counter() - start, children_cpu() - cpu, len(inputs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bare_tests_per_s(problem: str, source: Path, rounds: int) -> tuple[float, int]:
    """Every test of the package, `rounds` times, bare on all cores."""
    seconds, _, per_round = bare_run(problem, source, rounds)
    return per_round * rounds / seconds, per_round


def _post(client, problem: str, source: str, wait_s: float = 0) -> dict:  # type: ignore[no-untyped-def, type-arg]
    made = client.post(
        "/api/v1/submissions",
        params={"wait": wait_s} if wait_s else None,
        json={"problem": problem, "language": "python", "source": source},
    )
    made.raise_for_status()
    return dict(made.json())


def _settled(client, sid: int) -> dict:  # type: ignore[no-untyped-def, type-arg]
    while True:
        body = client.get(f"/api/v1/submissions/{sid}").json()
        if body["status"] in SETTLED:
            return dict(body)
        time.sleep(0.1)


def _waited(client, problem: str, source: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """One CI job: post, answered once judged (read again if the server's cap on a
    wait came first)."""
    body = _post(client, problem, source, wait_s=600)
    return body if body["status"] in SETTLED else _settled(client, int(body["id"]))


def judged_tests_per_s(  # type: ignore[no-untyped-def]
    client, problem: str, source: str, n: int, mode: str
) -> tuple[float, int, set[str]]:
    # One submission first, not timed: the judgehost unpacks the package and
    # generates its tests once (the bare floor gets them already generated).
    _settled(client, int(_post(client, problem, source)["id"]))
    start = time.perf_counter()
    if mode == "wait":
        with ThreadPoolExecutor(max_workers=n) as pool:
            bodies = list(pool.map(lambda _: _waited(client, problem, source), range(n)))
    else:
        ids = [int(_post(client, problem, source)["id"]) for _ in range(n)]
        bodies = [_settled(client, sid) for sid in ids]
    elapsed = time.perf_counter() - start
    tests = sum(len(body.get("tests") or []) for body in bodies)
    verdicts = {str(body["verdict"]) for body in bodies}
    return tests / elapsed, tests, verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=8)
    parser.add_argument("--problem", default="topological-order")
    parser.add_argument("--solution", default="reference.py", help="under submissions/accepted")
    parser.add_argument("--quick", action="store_true", help="2 submissions")
    parser.add_argument(
        "--sandbox", default="auto", help="the judge's backend (auto: docker where it answers)"
    )
    parser.add_argument(
        "--client",
        choices=("wait", "poll"),
        default="wait",
        help="N clients posting with ?wait= (CI), or one reading each every 0.1 s",
    )
    args = parser.parse_args()
    stop_on_sigterm()
    n = 2 if args.quick else args.submissions
    path = ROOT / "problems" / args.problem / "submissions" / "accepted" / args.solution
    env = {**make_run_env(), "GRADEBOX_SANDBOX": args.sandbox}
    with running_server("sqlite", extra_env=env) as server, server.client() as client:
        judged, tests, verdicts = judged_tests_per_s(
            client, args.problem, path.read_text(), n, args.client
        )
    bare, per_submission = bare_tests_per_s(args.problem, path, n)
    print(
        f"judge throughput, {args.problem}, sandbox {args.sandbox}, client {args.client}"
        f" ({machine_note()})"
    )
    print(f"  through the API and judge: {n} submissions, {tests} tests, {judged:.1f} tests/s")
    print(
        f"  bare, {os.cpu_count()} processes at once: {n * per_submission} runs, {bare:.1f} tests/s"
    )
    print(f"  judge / bare: {judged / bare:.2f}x (goal >= {GOAL}x); verdicts {sorted(verdicts)}")


if __name__ == "__main__":
    main()
