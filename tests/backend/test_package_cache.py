"""The judgehost's package cache: fetched once per hash, unpacked safely and atomically."""

from __future__ import annotations

import io
import zipfile

import pytest

from backend.archive import pack_dir
from backend.judgehost import JudgehostError, PackageCache
from graders import load_package
from graders.package.files import scan
from tests.backend.problems import write_problem


def test_fetches_once_and_serves_the_same_tree(tmp_path):
    root = write_problem(tmp_path / "src")
    package = load_package(root, generate=False)
    data = pack_dir(root, scan(root), prefix=package.slug)
    fetched: list[str] = []

    def fetch(content_hash: str) -> bytes:
        fetched.append(content_hash)
        return data

    cache = PackageCache(tmp_path / "cache", fetch)
    first = cache.get(package.content_hash)
    again = PackageCache(tmp_path / "cache", fetch).get(package.content_hash)  # another process
    assert first == again and first.name == "add-two"
    assert fetched == [package.content_hash]
    assert load_package(first, generate=False).content_hash == package.content_hash


def test_refuses_bad_hashes_and_hostile_archives(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("../escape.txt", "x")
    cache = PackageCache(tmp_path / "cache", lambda _: buffer.getvalue())
    with pytest.raises(JudgehostError):
        cache.get("../../etc")
    with pytest.raises(Exception, match="escapes"):
        cache.get("ab" * 32)
    assert not (tmp_path / "escape.txt").exists()
    assert not (tmp_path / "cache" / ("ab" * 32)).exists()  # nothing half-made is kept
