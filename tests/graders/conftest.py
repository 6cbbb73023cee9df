"""Fixtures for grader tests: the real bwrap sandbox and a private generated-test cache."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from graders import load_package
from graders.package.types import Package
from sandbox import Sandbox, get_sandbox

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def sandbox() -> Sandbox:
    return get_sandbox("bwrap")


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gradebox-cache")


@pytest.fixture(scope="session")
def fixture_package(sandbox: Sandbox, cache_dir: Path) -> Callable[[str], Package]:
    loaded: dict[str, Package] = {}

    def load(name: str) -> Package:
        if name not in loaded:
            loaded[name] = load_package(FIXTURES / name, sandbox=sandbox, cache_dir=cache_dir)
        return loaded[name]

    return load


@pytest.fixture
def copy_fixture(tmp_path: Path) -> Callable[[str], Path]:
    """A writable copy of a fixture package, to break or change."""

    def copy(name: str) -> Path:
        target = tmp_path / Path(name).name
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy
