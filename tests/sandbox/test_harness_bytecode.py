"""The harness's modules come with their bytecode (`graders/harness/bytecode.py`): every
backend's interpreter takes it for the very sources beside it, and ignores it once the
source differs (a learner's edit is compiled from source, never run from stale code)."""

from __future__ import annotations

import re

from graders.harness import harness_files
from graders.harness import protocol as wire
from sandbox import Limits, RunSpec, RunStatus, Sandbox

LIMITS = Limits(wall_s=60, cpu_s=20)
ENV = {"PYTHONDONTWRITEBYTECODE": "1"}  # as every run's (graders.runner.RUN_ENV)


def _import_log(session, **files: bytes) -> str:  # type: ignore[no-untyped-def]
    res = session.run(
        RunSpec(
            argv=("python3", "-v", "-c", "import gradebox_guard"),
            files=files,
            env=ENV,
            limits=LIMITS,
        )
    )
    assert res.status is RunStatus.OK, res
    return str(res.stderr.decode())


def test_the_harness_modules_import_from_their_bytecode(sandbox: Sandbox) -> None:
    files = harness_files(wire.GUARD_FILE)
    with sandbox.session(files) as session:
        log = _import_log(session)
        for name in ("gradebox_guard", "gradebox_protocol"):
            pyc = rf"/work/__pycache__/{name}\.cpython-\d+\.pyc"
            assert re.search(rf"# {pyc} matches /work/{name}\.py", log), log[-3000:]
            assert re.search(rf"code object from '{pyc}'", log), log[-3000:]
        edited = files[wire.GUARD_FILE] + b"\nEDITED = True\n"
        log = _import_log(session, **{wire.GUARD_FILE: edited})
    assert re.search(r"code object from /work/gradebox_guard\.py", log), log[-3000:]
    assert not re.search(r"gradebox_guard\.cpython-\d+\.pyc matches", log), log[-3000:]
