"""Runs the frontend's own checks, so `make test` (pytest) covers them: the Vitest
unit suite, and the static checks (strict tsc, Biome lint and format)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


def _npx(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["npx", "--no-install", *args],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CI": "true", "NO_COLOR": "1"},
    )


def test_vitest_suite_passes(frontend_dist: Path) -> None:
    # frontend_dist: the build step also installs node_modules and generates API types.
    result = _npx("vitest", "run", "--reporter=dot")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert " passed" in result.stdout


def test_typescript_and_biome_are_clean(frontend_dist: Path) -> None:
    typecheck = _npx("tsc", "--noEmit")
    assert typecheck.returncode == 0, typecheck.stdout[-4000:]
    lint = _npx("biome", "ci", "--error-on-warnings", ".")
    assert lint.returncode == 0, lint.stdout[-4000:] + lint.stderr[-4000:]
