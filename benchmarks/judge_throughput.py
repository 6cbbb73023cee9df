"""Judge throughput: tests per second through the API and judge against a bare run.

N submissions of an accepted stdio solution go through the real API of a server with
`make run`'s settings (SQLite, embedded judgehost, started on a free port): after one
untimed submission (the judgehost prepares a package once, not per submission),
posted at once, the clock stops at the last verdict. The floor is the same program on the same test
inputs (the package's tests, generated as the judge generates them) run bare, one
process per test on every core at once. Both run in the same invocation, one after
the other, and the ratio judge/bare is printed (goal: at least 0.8x).

    .venv/bin/python benchmarks/judge_throughput.py [--submissions 8] [--problem SLUG]
        [--sandbox auto|bwrap|docker]
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


def bare_tests_per_s(problem: str, source: Path, rounds: int) -> tuple[float, int]:
    """Every test of the package, `rounds` times, bare on all cores."""
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

    jobs = inputs * rounds
    try:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(one, jobs))
        return len(jobs) / (time.perf_counter() - start), len(inputs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _post(client, problem: str, source: str) -> int:  # type: ignore[no-untyped-def]
    made = client.post(
        "/api/v1/submissions", json={"problem": problem, "language": "python", "source": source}
    )
    made.raise_for_status()
    return int(made.json()["id"])


def _settled(client, sid: int) -> dict:  # type: ignore[no-untyped-def, type-arg]
    while True:
        body = client.get(f"/api/v1/submissions/{sid}").json()
        if body["status"] in SETTLED:
            return dict(body)
        time.sleep(0.1)


def judged_tests_per_s(client, problem: str, source: str, n: int) -> tuple[float, int, set[str]]:  # type: ignore[no-untyped-def]
    # One submission first, not timed: the judgehost unpacks the package and
    # generates its tests once (the bare floor gets them already generated).
    _settled(client, _post(client, problem, source))
    start = time.perf_counter()
    ids = [_post(client, problem, source) for _ in range(n)]
    tests = 0
    verdicts: set[str] = set()
    for sid in ids:
        body = _settled(client, sid)
        tests += len(body.get("tests") or [])
        verdicts.add(str(body["verdict"]))
    return tests / (time.perf_counter() - start), tests, verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=8)
    parser.add_argument("--problem", default="topological-order")
    parser.add_argument("--solution", default="reference.py", help="under submissions/accepted")
    parser.add_argument("--quick", action="store_true", help="2 submissions")
    parser.add_argument(
        "--sandbox", default="auto", help="the judge's backend (auto: docker where it answers)"
    )
    args = parser.parse_args()
    stop_on_sigterm()
    n = 2 if args.quick else args.submissions
    path = ROOT / "problems" / args.problem / "submissions" / "accepted" / args.solution
    env = {**make_run_env(), "GRADEBOX_SANDBOX": args.sandbox}
    with running_server("sqlite", extra_env=env) as server, server.client() as client:
        judged, tests, verdicts = judged_tests_per_s(client, args.problem, path.read_text(), n)
    bare, per_submission = bare_tests_per_s(args.problem, path, n)
    print(f"judge throughput, {args.problem}, sandbox {args.sandbox} ({machine_note()})")
    print(f"  through the API and judge: {n} submissions, {tests} tests, {judged:.1f} tests/s")
    print(
        f"  bare, {os.cpu_count()} processes at once: {n * per_submission} runs, {bare:.1f} tests/s"
    )
    print(f"  judge / bare: {judged / bare:.2f}x (goal >= {GOAL}x); verdicts {sorted(verdicts)}")


if __name__ == "__main__":
    main()
