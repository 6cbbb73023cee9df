"""Where a submission's CPU goes: the judge's overhead in core-seconds, not seconds.

The same submissions as `judge_throughput.py` (an accepted stdio solution, N of them
posted at once by N clients waiting with `?wait=`) through `make run`'s server on
bwrap, with its sandboxes in a cgroup of their own (`GRADEBOX_CGROUP_PARENT`), read
around the timed submissions, with the server itself moved into a second cgroup
once it answers (what it starts after that inherits it, but the tests, which the
agent moves into theirs): the machine's busy time (`/proc/stat`), the tests (their
cgroups) and the tests' own CPU as the judge reports it, the server process's own
threads (API, embedded judgehost, checkers), the rest of the server's cgroup (the
sessions' bwrap, agents and fork servers, and the tests' compile and syntax check),
this client, and the rest of the machine (whatever else runs). The floor is the same
program on the same inputs run bare, its children's CPU time. CPU time hardly moves
with the machine's load, so the ratio judge/bare here is steadier than
`judge_throughput.py`'s wall-clock one (which also counts idle cores).

    .venv/bin/python benchmarks/submission_cpu.py [--submissions 8] [--problem SLUG]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import ROOT, machine_note, make_run_env, running_server, stop_on_sigterm  # noqa: E402
from judge_throughput import SETTLED, _post, _settled, _waited, bare_run  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
CGROUP = Path("/sys/fs/cgroup")


def machine_busy_s() -> float:
    """Busy core-seconds of the whole machine since boot (all but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / TICK


def process_s(pid: int) -> float:
    """A process's own CPU (every thread; not its children, whose time a sandbox's
    pid namespace loses when it ends: hence the cgroups)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _cgroup_dir(name: str) -> Path:
    v1 = CGROUP / "cpuacct"
    return (v1 if (v1 / "cgroup.procs").exists() else CGROUP) / name


def move_into_cgroup(pid: int, name: str) -> None:
    folder = _cgroup_dir(name)
    folder.mkdir(exist_ok=True)
    (folder / "cgroup.procs").write_text(str(pid))


def remove_cgroup(name: str) -> None:
    """rmdir, deepest first, in every hierarchy (a cgroup's files cannot be unlinked)."""
    for root in [CGROUP, *(CGROUP / c for c in ("memory", "pids", "cpu", "cpuacct"))]:
        top = root / name
        if not top.is_dir():
            continue
        for folder in sorted((d for d in top.rglob("*") if d.is_dir()), reverse=True):
            folder.rmdir()
        top.rmdir()


def cgroup_s(name: str) -> float:
    v1 = _cgroup_dir(name) / "cpuacct.usage"
    if v1.exists():
        return int(v1.read_text()) / 1e9
    for line in (_cgroup_dir(name) / "cpu.stat").read_text().splitlines():
        if line.startswith("usage_usec"):
            return int(line.split()[1]) / 1e6
    raise SystemExit(f"no CPU counter for cgroup {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=8)
    parser.add_argument("--problem", default="topological-order")
    parser.add_argument("--solution", default="reference.py", help="under submissions/accepted")
    args = parser.parse_args()
    stop_on_sigterm()
    n = args.submissions
    path = ROOT / "problems" / args.problem / "submissions" / "accepted" / args.solution
    source = path.read_text()
    parent = f"gradebox-bench-{uuid.uuid4().hex[:8]}"
    env = {**make_run_env(), "GRADEBOX_SANDBOX": "bwrap", "GRADEBOX_CGROUP_PARENT": parent}
    with running_server("sqlite", extra_env=env) as server, server.client() as client:
        pid = server.pid  # the embedded judge's sessions are its children
        judge = f"{parent}-server"
        move_into_cgroup(pid, judge)
        _settled(client, int(_post(client, args.problem, source)["id"]))  # untimed
        time.sleep(1.0)  # the pool refills before the clock starts
        me = os.getpid()
        start = (
            machine_busy_s(),
            cgroup_s(judge),
            cgroup_s(parent),
            process_s(pid),
            process_s(me),
        )
        wall = time.perf_counter()
        with ThreadPoolExecutor(max_workers=n) as pool:
            bodies = list(pool.map(lambda _: _waited(client, args.problem, source), range(n)))
        wall = time.perf_counter() - wall
        time.sleep(1.0)  # the pool's refill after the last submission is counted too
        end = (
            machine_busy_s(),
            cgroup_s(judge),
            cgroup_s(parent),
            process_s(pid),
            process_s(me),
        )
    for name in (judge, parent):  # empty now that the server has stopped
        remove_cgroup(name)
    busy, judged, boxes, served, client_s = (b - a for a, b in zip(start, end, strict=True))
    tests = sum(len(b.get("tests") or []) for b in bodies)
    own = sum(t.get("time_ms", 0) for b in bodies for t in b.get("tests") or []) / 1000
    verdicts = sorted({str(b["verdict"]) for b in bodies if b["status"] in SETTLED})
    _, bare, _ = bare_run(args.problem, path, n)
    rest = busy - judged - boxes - client_s
    print(f"submission CPU, {args.problem}, bwrap ({machine_note()})")
    print(f"  {n} submissions, {tests} tests, {wall:.2f} s, verdicts {verdicts}")
    print("  core-seconds per submission:")
    for name, value in (
        ("machine busy", busy),
        ("tests (their cgroups)", boxes),
        ("  their own, as reported", own),
        ("server process", served),
        ("sessions but the tests", judged - served),
        ("this client", client_s),
        ("rest of the machine", rest),
        ("bare run of the same tests", bare),
    ):
        print(f"    {name:<28} {value / n:.3f}")
    print(f"  judge (tests, sessions, server) / bare: {(judged + boxes) / bare:.2f}x")
    print(f"  machine busy / bare: {busy / bare:.2f}x (0.8x throughput needs 1.25x or less)")


if __name__ == "__main__":
    main()
