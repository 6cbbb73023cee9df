"""The sandbox agent's and fork server's start-up CPU, this tree against a revision.

Every session starts `python3 -I -S agent.py` and, for warm sessions, a fork server
that loads the agent's file again (`sandbox/zygote.py`): both are paid per
submission. This times, round-robin so that machine load hits every column alike,
the interpreter alone (`-c pass`, the floor), the agent's start (`--find-modules ''`:
imports, compile, argument parsing, then exit) and the fork server's load of the
agent, for the agent and zygote of this tree and of `--against` (a git revision,
default HEAD). Medians of child CPU time and the ratio this/against.

    .venv/bin/python benchmarks/agent_startup.py [--runs 30] [--against HEAD~1]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = "/usr/bin/python3"  # the interpreter bwrap's sessions run the agent with
LOAD = "import sys; sys.path.insert(0, {folder!r}); import zygote; zygote._load_agent()"


def child_cpu_ms(argv: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return used * 1000


def checkout(revision: str, folder: Path) -> None:
    for name in ("agent.py", "zygote.py"):
        try:
            text = subprocess.run(
                ["git", "show", f"{revision}:sandbox/{name}"],
                cwd=ROOT,
                capture_output=True,
                check=True,
            ).stdout
        except subprocess.CalledProcessError as exc:
            why = exc.stderr.decode().strip()
            sys.exit(f"agent_startup: cannot read sandbox/{name} at {revision!r}: {why}")
        (folder / name).write_bytes(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--against", default="HEAD")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="gradebox-agent-") as tmp:
        other = Path(tmp)
        checkout(args.against, other)
        folders = {"this": ROOT / "sandbox", "against": other}
        columns: dict[str, list[str]] = {"pass": [PYTHON, "-I", "-S", "-c", "pass"]}
        for label, folder in folders.items():
            columns[f"agent {label}"] = [PYTHON, "-I", "-S", str(folder / "agent.py")]
            columns[f"agent {label}"] += ["--find-modules", ""]
            columns[f"zygote {label}"] = [PYTHON, "-I", "-S", "-c", LOAD.format(folder=str(folder))]
        times: dict[str, list[float]] = {name: [] for name in columns}
        for _ in range(args.runs):
            for name, argv in columns.items():
                times[name].append(child_cpu_ms(argv))
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"median child CPU over {args.runs} runs (this tree against {args.against}):")
    for name, value in median.items():
        print(f"  {name:16s} {value:6.1f} ms")
    for part in ("agent", "zygote"):
        this, against = median[f"{part} this"], median[f"{part} against"]
        floor = median["pass"]
        print(
            f"  {part}: this/against {this / against:.2f}x; over the bare interpreter "
            f"{this - floor:.1f} ms against {against - floor:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
