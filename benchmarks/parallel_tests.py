"""Speed-up of running one submission's tests side by side (`graders.lanes`).

Grades the same accepted solution of each named problem alternately with one lane
and with N lanes (`--lanes`, default the usable CPUs), for several rounds, in the
same sandbox, and prints the median wall time of each and their ratio, checking
that both give the same verdicts and scores. On an idle machine with N cores the
ratio approaches N for a problem of many similar tests; it cannot beat the
slowest single test, and opening each extra lane costs one session start.

    .venv/bin/python benchmarks/parallel_tests.py [SLUG[:SOLUTION] ...] [--lanes N]
        [--rounds 3] [--sandbox bwrap]

Default: largest-connected-region-fn with its plain BFS, and largest-connected-region
with its first accepted Python solution.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders import grade_submission, load_package  # noqa: E402
from graders.package.files import read_file, scan  # noqa: E402
from graders.submissions import list_solutions  # noqa: E402
from graders.verdict import Verdict  # noqa: E402
from sandbox import get_sandbox  # noqa: E402

PROBLEMS = ROOT / "problems"
DEFAULT = ["largest-connected-region-fn:submissions/accepted/bfs.py", "largest-connected-region"]


def _solution(slug: str, path: str | None) -> tuple[str, str]:
    root = PROBLEMS / slug
    if path is None:
        accepted = [s for s in list_solutions(scan(root)) if s.expected is Verdict.AC]
        python = [s for s in accepted if s.language == "python"] or accepted
        path, language = python[0].path, python[0].language or "python"
    else:
        language = "cpp" if path.endswith(".cpp") else "python"
    return read_file(root, path).decode("utf-8"), language


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problems", nargs="*", default=DEFAULT)
    parser.add_argument("--lanes", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sandbox", default=None)
    args = parser.parse_args()
    sandbox = get_sandbox(args.sandbox)
    print(f"sandbox {sandbox.name}, {args.lanes} lanes against 1, {args.rounds} rounds")
    for item in args.problems:
        slug, _, path = item.partition(":")
        package = load_package(PROBLEMS / slug, sandbox=sandbox)
        source, language = _solution(slug, path or None)
        times: dict[int, list[float]] = {1: [], args.lanes: []}
        outcomes: set[tuple[str, float]] = set()
        for _ in range(args.rounds):
            for lanes in (1, args.lanes):  # alternately, so load drifts hit both
                started = time.monotonic()
                result = grade_submission(
                    package, source=source, language=language, sandbox=sandbox, parallelism=lanes
                )
                times[lanes].append(time.monotonic() - started)
                outcomes.add((result.verdict.value, result.score))
        serial, parallel = statistics.median(times[1]), statistics.median(times[args.lanes])
        agree = "verdicts agree" if len(outcomes) == 1 else f"VERDICTS DIFFER: {outcomes}"
        print(
            f"{slug} ({language}, {len(package.tests)} tests): 1 lane {serial:.2f} s, "
            f"{args.lanes} lanes {parallel:.2f} s, speed-up {serial / parallel:.2f}x; {agree}"
        )


if __name__ == "__main__":
    main()
