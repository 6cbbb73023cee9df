"""Reading a Kattis package folder: its files, with symbolic links resolved.

Kattis packages reuse test files across groups through symbolic links (problemtools'
`oddecho`). A link whose target lies inside the package is read as the file it
names, so the Gradebox package gets a plain copy; a link that leaves the package
(or dangles, or loops) is refused, since it could read the judge's own files.
Uploaded archives never get here with links: the upload path refuses them.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from graders.kattis.errors import KattisImportError
from graders.package.files import IGNORED, MAX_FILE_BYTES

_NAME = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_.+-]{0,127}$")
_MAX_DEPTH = 16


class KattisTree:
    """The package's regular files by relative POSIX path, each mapped to the real
    file to read (inside the package, links followed)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._real_root = root.resolve()
        self.files: dict[str, Path] = {}
        self._walk(self._real_root, "", 0)

    def __contains__(self, rel: object) -> bool:
        return rel in self.files

    def names(self) -> list[str]:
        return sorted(self.files)

    def read(self, rel: str) -> bytes:
        return self.files[rel].read_bytes()

    def text(self, rel: str) -> str:
        try:
            return self.read(rel).decode("utf-8")
        except UnicodeDecodeError:
            raise KattisImportError("not UTF-8 text", file=rel) from None

    def under(self, folder: str) -> list[str]:
        prefix = folder.rstrip("/") + "/"
        return [rel for rel in self.names() if rel.startswith(prefix)]

    def _walk(self, folder: Path, prefix: str, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise KattisImportError("folders nested too deep (or a link loop)", file=prefix)
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name in IGNORED:
                    continue
                rel = f"{prefix}{entry.name}"
                if not _NAME.match(entry.name):
                    raise KattisImportError(
                        "file name may only use letters, digits, '_', '-', '+' and '.'", file=rel
                    )
                path = Path(entry.path)
                mode = entry.stat(follow_symlinks=False).st_mode
                if stat.S_ISLNK(mode):
                    path = self._inside(path, rel)
                    mode = path.stat().st_mode
                if stat.S_ISDIR(mode):
                    self._walk(path, rel + "/", depth + 1)
                elif stat.S_ISREG(mode):
                    if path.stat().st_size > MAX_FILE_BYTES:
                        raise KattisImportError(
                            f"file is larger than {MAX_FILE_BYTES} bytes", file=rel
                        )
                    self.files[rel] = path
                else:
                    raise KattisImportError("only regular files and folders are allowed", file=rel)

    def _inside(self, link: Path, rel: str) -> Path:
        try:
            target = link.resolve(strict=True)
        except (OSError, RuntimeError):
            raise KattisImportError("symbolic link to nothing (or a loop)", file=rel) from None
        if not target.is_relative_to(self._real_root):
            raise KattisImportError("symbolic link points outside the package; refused", file=rel)
        return target
