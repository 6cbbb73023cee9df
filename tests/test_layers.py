"""The architecture contracts in `pyproject.toml` ([tool.importlinter]) hold.

Imports flow one way (`sandbox` <- `graders` <- `backend`), and the backend reaches
`graders` and `sandbox` only through their public `__init__`. import-linter reads the
import graph statically, so this needs no sandbox and takes about a second.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert code == 0, report
    assert "0 broken" in report
