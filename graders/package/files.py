"""Walking a package folder safely, and its content hash.

A package comes from instructors and uploads, so its tree is checked before any of
it is read: no symbolic links (a link could point at the judge's secrets), only
regular files and folders, and names from a small alphabet (no traversal, no
hidden tricks). Caches and editor litter are skipped, not hashed.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from graders.errors import ProblemFormatError

IGNORED = frozenset(
    {"__pycache__", ".DS_Store", ".git", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}$")
MAX_FILE_BYTES = 256 * 1024 * 1024


def scan(root: Path, *, allow: frozenset[str] = frozenset()) -> list[str]:
    """Every regular file of the package, as sorted POSIX paths relative to `root`.

    `allow` names files that may break the naming rule (Kattis' `.timelimit`).
    """
    found: list[str] = []
    _walk(root, "", found, allow)
    return sorted(found)


def _walk(folder: Path, prefix: str, found: list[str], allow: frozenset[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name in IGNORED:
                continue
            rel = f"{prefix}{entry.name}"
            if not _SAFE_NAME.match(entry.name) and rel not in allow:
                raise ProblemFormatError(
                    "file name may only use letters, digits, '_', '-', '+' and '.', "
                    "and may not start with '.' or '-'",
                    file=rel,
                )
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISLNK(mode):
                raise ProblemFormatError("symbolic links are not allowed in a package", file=rel)
            if stat.S_ISDIR(mode):
                _walk(Path(entry.path), rel + "/", found, allow)
            elif stat.S_ISREG(mode):
                if entry.stat(follow_symlinks=False).st_size > MAX_FILE_BYTES:
                    raise ProblemFormatError(
                        f"file is larger than {MAX_FILE_BYTES} bytes", file=rel
                    )
                found.append(rel)
            else:
                raise ProblemFormatError("only regular files and folders are allowed", file=rel)


def read_file(root: Path, rel: str) -> bytes:
    """Read a file found by `scan`, refusing to follow a link planted since."""
    fd = os.open(root / rel, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def content_hash(root: Path, files: list[str]) -> str:
    """sha256 over (path, sha256 of content) of every file, in path order."""
    outer = hashlib.sha256()
    for rel in files:
        inner = hashlib.sha256(read_file(root, rel)).hexdigest()
        outer.update(f"{rel}\0{inner}\n".encode())
    return outer.hexdigest()
