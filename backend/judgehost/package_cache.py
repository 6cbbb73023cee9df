"""Unpacked problem packages by content hash, shared by the judgehosts of one host
(and by the runs of `backend/services/runs.py`), and the few last loaded kept in
memory by each cache.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from backend.archive import ArchiveLimits, unpack
from backend.judgehost.errors import JudgehostError
from graders import Package

_HASH = re.compile(r"[0-9a-f]{16,128}")
_CACHE_LIMITS = ArchiveLimits(max_files=20000, max_entry_bytes=1 << 30, max_total_bytes=4 << 30)
LOADED_KEPT = 4  # packages kept loaded (tests in memory): the problems being judged now


class PackageCache:
    """Unpacked packages by content hash under `root/<hash>/<slug>/`. Filled atomically
    (unpack to a temporary folder, then rename), so processes can share one root."""

    def __init__(self, root: Path, fetch: Callable[[str], bytes]) -> None:
        self.root = root
        self._fetch = fetch
        self._lock = threading.Lock()
        self._loaded: OrderedDict[str, Package] = OrderedDict()

    def get(self, content_hash: str) -> Path:
        if not _HASH.fullmatch(content_hash):
            raise JudgehostError(f"bad package hash {content_hash!r}")
        final = self.root / content_hash
        with self._lock:
            if not final.is_dir():
                self.root.mkdir(parents=True, exist_ok=True)
                data = self._fetch(content_hash)
                tmp = Path(tempfile.mkdtemp(prefix=f".{content_hash[:12]}-", dir=self.root))
                try:
                    unpack(data, tmp, limits=_CACHE_LIMITS)
                    try:
                        tmp.rename(final)
                    except OSError:  # another process won the race; theirs is identical
                        if not final.is_dir():
                            raise
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
            entries = [p for p in final.iterdir() if p.is_dir()]
        if len(entries) != 1:
            raise JudgehostError(f"package {content_hash} does not hold one problem folder")
        return entries[0]

    def load(self, content_hash: str, load: Callable[[Path], Package]) -> Package:
        """The package of `content_hash`, loaded by `load` from its folder once while it
        stays among the last few used. Its files never change under their hash and a
        `Package` is frozen, so one load serves every job of it: parsing problem.yaml,
        hashing every file and reading every test took a tenth of the server's CPU per
        submission. Each cache is used with one `load`; a loaded package whose hash
        is not `content_hash` is refused and not kept."""
        with self._lock:
            package = self._loaded.get(content_hash)
            if package is not None:
                self._loaded.move_to_end(content_hash)
                return package
        package = load(self.get(content_hash))  # (two first jobs at once both load it)
        if package.content_hash != content_hash:
            raise JudgehostError(f"package hash mismatch: {package.content_hash} != {content_hash}")
        with self._lock:
            self._loaded[content_hash] = package
            while len(self._loaded) > LOADED_KEPT:
                self._loaded.popitem(last=False)
        return package
