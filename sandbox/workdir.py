"""Host-side handling of a sandbox's working directory.

The sandbox can write into its workdir, so host code must never follow a path in it:
files are created with O_NOFOLLOW | O_EXCL relative to a directory fd, and names are
checked before use (Judge0 CVE-2024-28185/28189 came from a planted symlink).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

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
    """Write files without following anything the sandbox may have planted."""
    try:
        _write_files(workdir, files)
    except OSError as exc:  # ELOOP on a planted symlink, ENOTDIR, ...
        raise SandboxError(f"cannot write into the sandbox workdir: {exc}") from exc


def _write_files(workdir: Path, files: Mapping[str, bytes]) -> None:
    root_fd = os.open(workdir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for name, data in files.items():
            path = check_name(name)
            dir_fd = os.dup(root_fd)
            try:
                for part in path.parts[:-1]:
                    try:
                        os.mkdir(part, 0o755, dir_fd=dir_fd)
                    except FileExistsError:
                        pass
                    next_fd = os.open(
                        part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=dir_fd
                    )
                    os.close(dir_fd)
                    dir_fd = next_fd
                leaf = path.parts[-1]
                try:
                    os.unlink(leaf, dir_fd=dir_fd)
                except FileNotFoundError:
                    pass
                except IsADirectoryError as exc:
                    raise SandboxError(f"cannot replace directory {name!r} in workdir") from exc
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                fd = os.open(leaf, flags, 0o644, dir_fd=dir_fd)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
            finally:
                os.close(dir_fd)
    finally:
        os.close(root_fd)


def remove_workdir(workdir: Path) -> None:
    # rmtree does not follow symlinks inside the tree (it unlinks them).
    shutil.rmtree(workdir, ignore_errors=True)
