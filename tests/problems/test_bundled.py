"""Every bundled package validates in the real sandbox: it loads, its generators are
deterministic, every solution under submissions/ gets its expected verdict, and
the time limit leaves 3x headroom over the slowest accepted test."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders import validate_package
from sandbox import Sandbox, get_sandbox

PROBLEMS = Path(__file__).resolve().parents[2] / "problems"
PACKAGES = sorted(path.name for path in PROBLEMS.iterdir() if (path / "problem.yaml").is_file())


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return get_sandbox("bwrap")


def test_there_are_bundled_problems() -> None:
    assert "largest-connected-region" in PACKAGES
    assert "largest-connected-region-fn" in PACKAGES


@pytest.mark.parametrize("slug", PACKAGES)
def test_bundled_package_validates(slug: str, sandbox: Sandbox, tmp_path: Path) -> None:
    report = validate_package(PROBLEMS / slug, sandbox=sandbox, cache_dir=tmp_path)
    assert report.ok, "\n".join(str(error) for error in report.errors)
    assert report.tests > 0 and report.solutions
