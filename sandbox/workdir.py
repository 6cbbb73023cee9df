"""Host-side handling of a sandbox's working directory.

The sandbox can write into its workdir, so host code must never follow a path in it:
files are created with O_NOFOLLOW | O_EXCL relative to a directory fd (by the
agent's writer, which the host reuses), and names are checked before use (Judge0
CVE-2024-28185/28189 came from a planted symlink).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from sandbox.agent import write_files as agent_write_files
from sandbox.errors import SandboxError


def check_name(name: str) -> PurePosixPath:
    # Check the raw components: PurePosixPath would quietly normalise "./x" and "a//b".
    parts = name.split("/")
    if not name or "\0" in name or any(part in ("..", "", ".") for part in parts):
        raise SandboxError(f"unsafe file name for the sandbox workdir: {name!r}")
    return PurePosixPath(name)


def make_workdir(prefix: str = "gradebox-") -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(path, 0o777 | stat.S_ISVTX)  # the sandbox user (nobody) must write here
    return path


def write_files(workdir: Path, files: Mapping[str, bytes]) -> None:
    """Write files without following anything the sandbox may have planted.

    The writer is the agent's own (`sandbox.agent.write_files`, the one that runs
    inside the sandbox), so the host and the sandbox share one symlink-safe walk.
    """
    names = [str(check_name(name)) for name in files]
    try:
        agent_write_files(str(workdir), names, [files[name] for name in files])
    except (OSError, ValueError) as exc:  # ELOOP on a planted symlink, EISDIR, ...
        raise SandboxError(f"cannot write into the sandbox workdir: {exc}") from exc


def remove_workdir(workdir: Path) -> None:
    # rmtree does not follow symlinks inside the tree (it unlinks them).
    shutil.rmtree(workdir, ignore_errors=True)
