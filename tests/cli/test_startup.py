"""`gradebox --help` and `gradebox grade --help` start fast: they import no heavy
module (the graders, the sandbox, HTTP, ORM, numerical libraries), which each
command imports when it runs. Checked by what is in `sys.modules`, not by timing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Not pydantic: typer itself builds each command's parameters with it.
HEAVY = (
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

PROBE = """
import json, sys
from backend.cli.main import app
sys.argv = ["gradebox", *json.loads(sys.argv[1])]
try:
    app()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [["--help"], ["grade", "--help"], ["problem", "--help"]])
def test_help_imports_no_heavy_module(argv: list[str]) -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(run.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), run.stderr
    assert "Usage" in run.stdout
    loaded = {name.split(".")[0] for name in report["modules"]}
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_a_command_still_imports_what_it_needs() -> None:
    # The probe can fail: running a command does load the graders.
    run = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(["grade", "nosuchfile.py", "-p", "nowhere"])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(run.stderr.strip().splitlines()[-1])
    assert report["code"] == 2
    assert "graders" in {name.split(".")[0] for name in report["modules"]}
