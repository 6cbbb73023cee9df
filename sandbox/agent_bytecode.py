"""How a session starts its agent, and the bytecode that spares it a compile.

A script given to `python3 FILE` is compiled from source on every start: the agent's
file took 11 ms of every session's CPU that way, and the fork server's load of it
(`zygote._load_agent`) as much again, since the sandbox's /opt/gradebox is read-only
and Python can write no cache there. Imported as a module instead (`AGENT_LAUNCH`),
the agent comes from `/opt/gradebox/__pycache__`: the image compiles it when it is
built (`scripts/build-images`, `Dockerfile`); bwrap binds a folder this process
compiles once, with the interpreter the sessions run.

The bytecode is checked against the source's hash at every import, so a stale or
foreign file (another Python's, a source edited since) is ignored, never run: the
agent then compiles from source, as before.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from threading import Lock

log = logging.getLogger(__name__)

AGENT_DIR = "/opt/gradebox"  # where every backend puts agent.py and zygote.py
SOURCES = ("agent.py", "zygote.py")
# `python3 -I -S -c AGENT_LAUNCH ARGS...`: the agent as an import (its cached
# bytecode), with its folder on sys.path only while it is imported.
AGENT_LAUNCH = (
    f"import sys; sys.path.insert(0, {AGENT_DIR!r}); import agent; "
    "del sys.path[0]; sys.exit(agent.main())"
)
# Run by the sessions' own interpreter, so the files carry its cache tag and magic.
_COMPILE = """
import importlib.util, os, py_compile, sys
out, inside = sys.argv[1], sys.argv[2]
for src in sys.argv[3:]:
    name = os.path.basename(src)
    cfile = os.path.join(out, os.path.basename(importlib.util.cache_from_source(name)))
    py_compile.compile(src, cfile=cfile, dfile=inside + "/" + name, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
"""

_lock = Lock()
_compiled: dict[str, Path | None] = {}


def agent_argv(python: str) -> list[str]:
    return [python, "-I", "-S", "-c", AGENT_LAUNCH]


def bytecode_dir(python: str, sources: Path) -> Path | None:
    """A folder holding the bytecode of `sources`' agent.py and zygote.py for
    `python`, to bind at /opt/gradebox/__pycache__; made once per process (a private
    temporary folder, removed at exit). None where it cannot be made: the sessions
    then compile from source. Made again if it has gone (a /tmp cleaner on a judge
    that runs for weeks): bwrap refuses to bind a missing folder, and every session
    would fail to start."""
    with _lock:
        folder = _compiled.get(python)
        if python not in _compiled or (folder is not None and not folder.is_dir()):
            _compiled[python] = folder = _compile(python, sources)
        return folder


def _compile(python: str, sources: Path) -> Path | None:
    top = Path(tempfile.mkdtemp(prefix="gradebox-agent-bytecode-"))
    out = top / "__pycache__"
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:  # not in a forked child that exits
            shutil.rmtree(top, ignore_errors=True)

    atexit.register(remove)
    try:
        out.mkdir()
        files = [str(sources / name) for name in SOURCES]
        argv = [python, "-I", "-S", "-c", _COMPILE, str(out), AGENT_DIR, *files]
        subprocess.run(argv, check=True, capture_output=True, timeout=60)
        out.chmod(0o755)
        for pyc in out.iterdir():
            pyc.chmod(0o644)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("sandbox: the agent will compile at each start (%s)", exc)
        return None
    return out
