"""The agent and the fork server start from bytecode (`sandbox/agent_bytecode.py`):
every backend's /opt/gradebox holds bytecode that the sessions' interpreter accepts
for the very sources next to it, and the image starts the agent as the backends do."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from sandbox import Limits, RunSpec, RunStatus, Sandbox
from sandbox.agent_bytecode import SOURCES, agent_argv, bytecode_dir

ROOT = Path(__file__).resolve().parents[2]
IMPORT = "import sys; sys.path.insert(0, '/opt/gradebox'); import agent, zygote"


def test_each_session_imports_the_agent_from_its_bytecode(sandbox: Sandbox) -> None:
    with sandbox.session({}) as session:
        res = session.run(
            RunSpec(argv=("python3", "-v", "-c", IMPORT), limits=Limits(wall_s=60, cpu_s=20))
        )
    assert res.status is RunStatus.OK, res
    log = res.stderr.decode()
    for name in ("agent", "zygote"):
        # Python says so when the bytecode's hash matches the source's.
        pyc = rf"/opt/gradebox/__pycache__/{name}\.cpython-\d+\.pyc"
        assert re.search(rf"# {pyc} matches /opt/gradebox/{name}\.py", log), log[-3000:]
        assert re.search(rf"code object from '{pyc}'", log), log[-3000:]


def test_the_image_starts_the_agent_as_the_backends_do() -> None:
    cmd = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD ")
    )
    assert json.loads(cmd[len("CMD ") :]) == agent_argv("/usr/bin/python3")


def test_the_bytecode_folder_is_made_again_when_it_has_gone() -> None:
    sources = ROOT / "sandbox"
    folder = bytecode_dir("/usr/bin/python3", sources)
    assert folder is not None and folder.is_dir()
    shutil.rmtree(folder.parent)  # as a /tmp cleaner would
    again = bytecode_dir("/usr/bin/python3", sources)
    assert again is not None and again.is_dir()
    assert sorted(p.name.split(".")[0] for p in again.iterdir()) == sorted(
        n.removesuffix(".py") for n in SOURCES
    )
