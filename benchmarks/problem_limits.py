"""How much headroom does each bundled problem's time limit leave?

For every package in problems/ (or the ones named), grade each accepted solution in
the real sandbox and report, per solution, the CPU time per test (max and median,
which is what the limit bounds), the wall time of the slowest test, the limit, and
the margin = limit / slowest test. The rule (DESIGN.md section 2) is a margin of at
least 3; `gradebox problem validate` fails a package below it.

The baseline, measured in the same run and sandbox, is the start-up floor that
every test pays: an interpreter that imports NumPy (and one that imports torch),
so a reader can tell a slow reference from a slow interpreter.

    .venv/bin/python benchmarks/problem_limits.py [SLUG ...] [--json] [--sandbox bwrap]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from graders import grade_submission, load_package  # noqa: E402
from graders.package.files import read_file, scan  # noqa: E402
from graders.submissions import list_solutions  # noqa: E402
from graders.validate import TIME_MARGIN  # noqa: E402
from graders.verdict import Verdict  # noqa: E402
from sandbox import Limits, RunSpec, Sandbox, get_sandbox  # noqa: E402

PROBLEMS = ROOT / "problems"
BASELINES = {
    "python3 -c 'import numpy'": ("python3", "-c", "import numpy"),
    "python3 -c 'import torch'": ("python3", "-c", "import torch"),
}


@dataclass
class Row:
    problem: str
    solution: str
    verdict: str
    tests: int
    max_ms: int
    median_ms: float
    max_wall_ms: int
    limit_ms: int
    margin: float | None

    @property
    def ok(self) -> bool:
        return self.verdict == Verdict.AC and self.margin is not None and self.margin >= TIME_MARGIN


def baseline(sandbox: Sandbox, argv: tuple[str, ...], runs: int = 3) -> float:
    """Best-of-N CPU milliseconds of a start-up-only program."""
    best = float("inf")
    limits = Limits(wall_s=60, cpu_s=30, memory_mb=2048)
    with sandbox.session() as session:
        for _ in range(runs):
            result = session.run(RunSpec(argv=argv, limits=limits))
            best = min(best, result.cpu_s * 1000)
    return best


def measure(slug: str, sandbox: Sandbox, cache: Path | None) -> list[Row]:
    package = load_package(PROBLEMS / slug, sandbox=sandbox, cache_dir=cache)
    limit_ms = round(package.spec.limits.time_s * 1000)
    rows = []
    for solution in list_solutions(scan(package.root)):
        if solution.expected is not Verdict.AC or solution.language is None:
            continue
        source = read_file(package.root, solution.path).decode("utf-8")
        result = grade_submission(
            package, source=source, language=solution.language, sandbox=sandbox
        )
        times = [test.time_ms for test in result.tests] or [0]
        walls = [int(test.feedback.get("wall_ms", 0)) for test in result.tests] or [0]
        slowest = max(times)
        rows.append(
            Row(
                problem=slug,
                solution=solution.path.removeprefix("submissions/accepted/"),
                verdict=str(result.verdict),
                tests=len(result.tests),
                max_ms=slowest,
                median_ms=statistics.median(times),
                max_wall_ms=max(walls),
                limit_ms=limit_ms,
                margin=round(limit_ms / slowest, 1) if slowest else None,
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("slugs", nargs="*", help="packages under problems/ (default: all)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--sandbox", default=None, help="sandbox backend (default: the best available)"
    )
    parser.add_argument("--cache", type=Path, default=None, help="cache of generated tests")
    args = parser.parse_args(argv)
    slugs = args.slugs or sorted(
        p.name for p in PROBLEMS.iterdir() if (p / "problem.yaml").is_file()
    )
    sandbox = get_sandbox(args.sandbox)
    started = time.monotonic()
    floors = {name: round(baseline(sandbox, command), 1) for name, command in BASELINES.items()}
    rows = [row for slug in slugs for row in measure(slug, sandbox, args.cache)]
    if args.json:
        payload = {
            "sandbox": sandbox.name,
            "baseline_ms": floors,
            "rows": [asdict(row) | {"ok": row.ok} for row in rows],
        }
        print(json.dumps(payload, indent=2))
    else:
        console = Console(width=None if sys.stdout.isatty() else 140)
        table = Table(
            title=f"Reference time per test vs time limit ({sandbox.name} sandbox, CPU ms)"
        )
        for column in (
            "problem",
            "accepted solution",
            "verdict",
            "tests",
            "max",
            "median",
            "max wall",
        ):
            table.add_column(
                column, justify="left" if column in ("problem", "accepted solution") else "right"
            )
        table.add_column("limit", justify="right")
        table.add_column("margin", justify="right")
        for row in rows:
            margin = f"{row.margin:g}x" if row.margin is not None else "-"
            style = "" if row.ok else "bold red"
            table.add_row(
                row.problem,
                row.solution,
                row.verdict,
                str(row.tests),
                str(row.max_ms),
                f"{row.median_ms:g}",
                str(row.max_wall_ms),
                str(row.limit_ms),
                margin,
                style=style,
            )
        console.print(table)
        for name, value in floors.items():
            console.print(f"baseline {name}: {value:g} ms CPU (best of 3)")
        elapsed = time.monotonic() - started
        console.print(
            f"rule: limit >= {TIME_MARGIN:g}x the slowest accepted test ({elapsed:.0f} s)"
        )
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
