"""The agent and the fork server start in a fresh interpreter for every session, so
their imports are part of every submission's cost: `typing`, `dataclasses` (which
pulls in `inspect` and `ast`) and `argparse` cost more than the rest of their start-up
together (docs/performance.md), and neither file may bring them back."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

SANDBOX = Path(__file__).resolve().parents[2] / "sandbox"
HEAVY = {"typing", "dataclasses", "inspect", "ast", "argparse"}

# What the zygote process does at start (it loads the agent's file as a module), and
# the agent's own command-line parsing, in the interpreter the sandbox runs them with.
PROBE = """
import json, sys
sys.path.insert(0, {folder!r})
import zygote
agent = zygote._load_agent()
agent._parse(["--uid", "1000", "--gid=1000", "--cgroup-version", "v2", "--tombstone", "a=b"])
print(json.dumps(sorted(sys.modules)))
"""


def _modules_after_start() -> set[str]:
    proc = subprocess.run(
        ["/usr/bin/python3", "-I", "-S", "-c", PROBE.format(folder=str(SANDBOX))],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(json.loads(proc.stdout))


def test_agent_and_fork_server_start_without_heavy_modules() -> None:
    loaded = _modules_after_start()
    assert "gradebox_agent" in loaded and "json" in loaded  # the probe did load them
    assert loaded & HEAVY == set()


def test_agent_command_line() -> None:
    import sandbox.agent as agent

    options = agent._parse(
        ["--uid", "1000", "--gid=1001", "--cgroup-version", "v1", "--pid-namespace"]
        + ["--tombstone", "/a=b", "--tombstone=/c=d", "--seccomp", "00ff"]
    )
    assert (options.uid, options.gid, options.cgroup_version) == (1000, 1001, "v1")
    assert options.pid_namespace and not options.sandbox_meminfo
    assert options.tombstone == ["/a=b", "/c=d"] and options.seccomp == "00ff"
    assert agent._parse([]).workdir == "/work"


def test_agent_refuses_a_command_line_it_does_not_know() -> None:
    for argv in (["--bogus"], ["--uid"], ["--uid", "x"], ["--cgroup-version", "v3"],
                 ["--pid-namespace=1"], ["stray"]):  # fmt: skip
        proc = subprocess.run(
            ["/usr/bin/python3", "-I", "-S", str(SANDBOX / "agent.py"), *argv],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2, argv
        assert proc.stderr.startswith("gradebox-agent: "), proc.stderr
