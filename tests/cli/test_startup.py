"""`gradebox --help` and `gradebox grade --help` start fast: they import no heavy
module (the graders, the sandbox, HTTP, ORM, numerical libraries), which each
command imports when it runs. Checked by what is in `sys.modules`, not by timing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest

from backend.cli.main import COMMAND_MODULES

HEAVY = (
    "pydantic",
    "graders",
    "sandbox",
    "httpx",
    "pydantic_settings",
    "yaml",
    "sqlalchemy",
    "fastapi",
    "numpy",
    "torch",
)

# As the console script runs it: `gradebox` registers only the invoked command's
# modules (backend.cli.main.COMMAND_MODULES).
PROBE = """
import json, sys
sys.argv = ["gradebox", *json.loads(sys.argv[1])]
from backend.cli.main import app
try:
    app()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _probe(argv: list[str]) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return run, json.loads(run.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["grade", "--help"],
        ["problem", "--help"],
        ["problem", "validate", "--help"],
        ["submit", "--help"],
    ],
)
def test_help_imports_no_heavy_module(argv: list[str]) -> None:
    run, report = _probe(argv)
    assert report["code"] in (0, None), run.stderr
    assert "Usage" in run.stdout
    loaded = {name.split(".")[0] for name in report["modules"]}
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_every_command_is_found_in_the_modules_it_is_mapped_to() -> None:
    # A command registered alone (its own modules) must be there, and the map must
    # name every top-level command that full help lists.
    run, _ = _probe(["--help"])
    listed = set(re.findall(r"^  ([a-z][a-z-]*) ", run.stdout.split("Commands:")[1], re.M))
    assert listed == set(COMMAND_MODULES)
    for command in sorted(COMMAND_MODULES):
        run, report = _probe([command, "--help"])
        assert report["code"] in (0, None), (command, run.stderr)
        assert f"gradebox {command}" in run.stdout, (command, run.stdout)


def test_a_command_still_imports_what_it_needs() -> None:
    # The probe can fail: running a command does load the graders.
    run, report = _probe(["grade", "nosuchfile.py", "-p", "nowhere"])
    assert report["code"] == 2
    assert "graders" in {name.split(".")[0] for name in report["modules"]}
