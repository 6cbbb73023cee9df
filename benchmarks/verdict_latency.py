"""Submit-to-verdict latency through the real API, as a learner waits for it.

For a stdio, a NumPy and a torch problem (bundled packages, their accepted reference
solutions) it posts a submission to a `make run`-like server (SQLite, embedded
judgehost; started on a free port) with `?wait=` and times the answer, first and
again (the first may pay cold caches: package unpacking, imports from disk). Each
row prints the time, the time per test and the ratio to the issue's goal where it
has one (torch: verdict in at most 3 s on an idle server).

    .venv/bin/python benchmarks/verdict_latency.py [--rounds 3] [--url URL --token T]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import ROOT, machine_note, make_run_env, running_server, stop_on_sigterm  # noqa: E402

SETTLED = ("judged", "awaiting_gpu")
GIVE_UP_S = 600.0
CASES = (  # (label, problem, accepted solution, goal in seconds or None)
    ("stdio", "topological-order", "reference.py", None),
    ("NumPy", "layernorm-forward", "reference.py", None),
    ("torch", "layernorm-autograd", "reference.py", 3.0),
)


def submit(client, problem: str, source: str) -> tuple[float, str, int]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    made = client.post(
        "/api/v1/submissions?wait=60",
        json={"problem": problem, "language": "python", "source": source},
    )
    made.raise_for_status()
    body = made.json()
    while body["status"] not in SETTLED:  # the server caps a wait (60 s by default); then poll
        if time.perf_counter() - start > GIVE_UP_S:
            raise SystemExit(f"{problem}: not judged within {GIVE_UP_S:.0f} s")
        time.sleep(0.1)
        body = client.get(f"/api/v1/submissions/{body['id']}").json()
    elapsed = time.perf_counter() - start
    return elapsed, str(body["verdict"]), len(body.get("tests") or [])


def run(client, rounds: int, pause_s: float = 0.0) -> list[str]:  # type: ignore[no-untyped-def]
    lines = [
        f"submit-to-verdict through the API ({machine_note()})",
        f"  {'kind':6} {'problem':22} {'verdict':7} {'tests':>5} {'first s':>8}"
        f" {'median s':>9} {'per test':>9} {'vs goal':>8}",
    ]
    for label, problem, solution, goal in CASES:
        source = (ROOT / "problems" / problem / "submissions" / "accepted" / solution).read_text()
        times = []
        verdict, tests = "", 0
        for i in range(rounds):
            if i:
                time.sleep(pause_s)  # an idle server between submissions (the pool refills)
            elapsed, verdict, tests = submit(client, problem, source)
            times.append(elapsed)
        later = statistics.median(times[1:]) if len(times) > 1 else times[0]
        ratio = f"{later / goal:7.2f}x" if goal else "       -"
        lines.append(
            f"  {label:6} {problem:22} {verdict:7} {tests:5} {times[0]:8.2f} {later:9.2f}"
            f" {later / max(tests, 1) * 1e3:7.0f}ms {ratio}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="submissions per problem")
    parser.add_argument("--url", help="an already running server instead")
    parser.add_argument("--token", help="with --url: an API token with submit and read")
    parser.add_argument("--quick", action="store_true", help="one round")
    parser.add_argument(
        "--pool",
        type=int,
        default=1,
        help="the server's GRADEBOX_WARM_POOL (1, as `make run`; 0: every session on demand)",
    )
    parser.add_argument(
        "--pause", type=float, default=10.0, help="seconds the server idles between submissions"
    )
    args = parser.parse_args()
    stop_on_sigterm()
    rounds = 1 if args.quick else max(1, args.rounds)
    import httpx

    if args.url:
        headers = {"Authorization": f"Bearer {args.token}"}
        with httpx.Client(base_url=args.url, headers=headers, timeout=120) as client:
            print("\n".join(run(client, rounds, args.pause)))
        return
    with (
        running_server("sqlite", extra_env=make_run_env(args.pool)) as server,
        server.client() as client,
    ):
        print(f"warm pool: {args.pool} session(s) ahead per kind", file=sys.stderr)
        print("\n".join(run(client, rounds, args.pause)))


if __name__ == "__main__":
    main()
