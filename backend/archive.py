"""Zip archives of problem packages: a deterministic packer and a defensive unpacker.

Uploaded archives are hostile until proven otherwise. The unpacker refuses absolute
paths, `..` components, symlinks and other special entries, and caps the number of
entries, each entry's size and the total, counting the bytes it actually
decompresses (the sizes a zip header declares can lie). It writes only regular files
it creates itself, under a directory it owns.
"""

from __future__ import annotations

import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

_CHUNK = 1 << 16
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)


class ArchiveError(Exception):
    """The archive is unsafe or unreadable; `code` names the reason for the API."""

    def __init__(self, message: str, *, code: str, too_large: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.too_large = too_large


@dataclass(frozen=True)
class ArchiveLimits:
    max_files: int
    max_entry_bytes: int
    max_total_bytes: int


def pack_dir(root: Path, files: list[str], *, prefix: str) -> bytes:
    """Zip `files` (POSIX paths relative to `root`) as `prefix/<path>`, byte-identically
    for identical trees (sorted, fixed timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for rel in sorted(files):
            path = root / rel
            info = zipfile.ZipInfo(f"{prefix}/{rel}", date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zf.writestr(info, path.read_bytes())
    return buffer.getvalue()


def _safe_name(name: str) -> PurePosixPath:
    if "\\" in name or "\x00" in name:
        raise ArchiveError(f"unsafe entry name {name!r}", code="unsafe_path")
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("/") or (path.parts and ":" in path.parts[0]):
        raise ArchiveError(f"absolute path in archive: {name!r}", code="unsafe_path")
    if any(part == ".." for part in path.parts):
        raise ArchiveError(f"path escapes the archive: {name!r}", code="unsafe_path")
    parts = [p for p in path.parts if p not in ("", ".")]
    if not parts:
        raise ArchiveError(f"empty entry name {name!r}", code="unsafe_path")
    return PurePosixPath(*parts)


def unpack(data: bytes, dest: Path, *, limits: ArchiveLimits) -> list[PurePosixPath]:
    """Extract `data` into the (new or empty) directory `dest`; returns the file paths."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ArchiveError(f"not a zip archive: {exc}", code="bad_archive") from None
    with zf:
        infos = zf.infolist()
        files = [info for info in infos if not info.is_dir()]
        if len(files) > limits.max_files:
            raise ArchiveError(
                f"archive has {len(files)} files (limit {limits.max_files})",
                code="too_many_files",
                too_large=True,
            )
        planned: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
        seen: set[PurePosixPath] = set()
        declared = 0
        for info in infos:
            rel = _safe_name(info.filename)
            mode = info.external_attr >> 16
            kind = stat.S_IFMT(mode)
            if kind == stat.S_IFLNK:
                raise ArchiveError(f"symlink in archive: {info.filename!r}", code="symlink")
            if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise ArchiveError(
                    f"special file in archive: {info.filename!r}", code="special_file"
                )
            if info.is_dir():
                continue
            if rel in seen:
                raise ArchiveError(f"duplicate entry {info.filename!r}", code="duplicate_entry")
            seen.add(rel)
            if info.file_size > limits.max_entry_bytes:
                raise ArchiveError(
                    f"{info.filename}: {info.file_size} bytes (limit {limits.max_entry_bytes})",
                    code="entry_too_large",
                    too_large=True,
                )
            declared += info.file_size
            if declared > limits.max_total_bytes:
                raise ArchiveError(
                    f"archive unpacks to more than {limits.max_total_bytes} bytes",
                    code="archive_too_large",
                    too_large=True,
                )
            planned.append((info, rel))

        dest.mkdir(parents=True, exist_ok=True)
        root = dest.resolve()
        total = 0
        for info, rel in planned:
            target = root.joinpath(*rel.parts)
            written = 0
            try:
                # Parents are made here, never taken from the archive, so none is a link.
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.resolve().is_relative_to(root):
                    raise ArchiveError(
                        f"path escapes the archive: {info.filename!r}", code="unsafe_path"
                    )
                with zf.open(info) as src, open(target, "xb") as out:
                    while chunk := src.read(_CHUNK):
                        written += len(chunk)
                        total += len(chunk)
                        if written > limits.max_entry_bytes or written > info.file_size:
                            raise ArchiveError(
                                f"{info.filename}: inflates past its declared size",
                                code="entry_too_large",
                                too_large=True,
                            )
                        if total > limits.max_total_bytes:
                            raise ArchiveError(
                                f"archive unpacks to more than {limits.max_total_bytes} bytes",
                                code="archive_too_large",
                                too_large=True,
                            )
                        out.write(chunk)
            except (zipfile.BadZipFile, EOFError, NotImplementedError) as exc:
                raise ArchiveError(
                    f"{info.filename}: corrupt entry ({exc})", code="bad_archive"
                ) from None
            except FileExistsError:
                raise ArchiveError(
                    f"duplicate entry {info.filename!r}", code="duplicate_entry"
                ) from None
            except OSError as exc:
                raise ArchiveError(
                    f"{info.filename}: cannot unpack ({exc})", code="bad_archive"
                ) from None
        return [rel for _, rel in planned]
