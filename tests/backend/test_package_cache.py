"""The judgehost's package cache: fetched once per hash, unpacked safely and atomically."""

from __future__ import annotations

import io
import zipfile

import pytest

from backend.archive import pack_dir
from backend.judgehost import JudgehostError, PackageCache
from backend.judgehost.package_cache import LOADED_KEPT
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


def _packed(parent, **kwargs):
    root = write_problem(parent, **kwargs)
    package = load_package(root, generate=False)
    return package, pack_dir(root, scan(root), prefix=package.slug)


def test_keeps_the_last_few_loaded_and_refuses_a_wrong_hash(tmp_path):
    """One load per hash while it stays among the last LOADED_KEPT used; a load that
    gives another hash is an error and is not kept."""
    made = [_packed(tmp_path / f"src{i}", extra_secret=i) for i in range(LOADED_KEPT + 1)]
    blobs = {package.content_hash: data for package, data in made}
    cache = PackageCache(tmp_path / "cache", blobs.__getitem__)
    loads: list[str] = []

    def load(root):
        package = load_package(root, generate=False)
        loads.append(package.content_hash)
        return package

    first, second = made[0][0].content_hash, made[1][0].content_hash
    kept = cache.load(first, load)
    assert cache.load(first, load) is kept and loads == [first]
    for package, _ in made[1:]:  # LOADED_KEPT more: the least recently used goes
        cache.load(package.content_hash, load)
    assert cache.load(second, load) is not None and loads.count(second) == 1
    cache.load(first, load)
    assert loads.count(first) == 2

    fresh = PackageCache(tmp_path / "cache", blobs.__getitem__)  # nothing loaded yet
    with pytest.raises(JudgehostError, match="hash mismatch"):
        fresh.load(first, lambda root: made[1][0])  # a loader that answers another package
    assert fresh.load(first, load).content_hash == first and loads.count(first) == 3
