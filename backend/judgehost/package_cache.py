"""Unpacked problem packages by content hash, shared by the judgehosts of one host
(and by the runs of `backend/services/runs.py`).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from backend.archive import ArchiveLimits, unpack
from backend.judgehost.errors import JudgehostError

_HASH = re.compile(r"[0-9a-f]{16,128}")
_CACHE_LIMITS = ArchiveLimits(max_files=20000, max_entry_bytes=1 << 30, max_total_bytes=4 << 30)


class PackageCache:
    """Unpacked packages by content hash under `root/<hash>/<slug>/`. Filled atomically
    (unpack to a temporary folder, then rename), so processes can share one root."""

    def __init__(self, root: Path, fetch: Callable[[str], bytes]) -> None:
        self.root = root
        self._fetch = fetch
        self._lock = threading.Lock()

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
