"""Input validators (Kattis' `input_validators/`) in a Gradebox-native package: the
bundled grid problem's validator catches malformed grids, and its group flag caps
the small group's size."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graders import load_package
from graders.package.input_validators import check_inputs
from sandbox import Sandbox

PROBLEM = Path(__file__).resolve().parents[2] / "problems" / "largest-connected-region"


@pytest.mark.parametrize(
    ("grid", "reason"),
    [
        ("2 3\n101\n010\n", None),
        ("2 3\n101\n01\n", "grid line 2 has 2 characters, not 3"),
        ("2 3\n101\n012\n", "grid line 2 holds a character other than 0 and 1"),
        ("3 3\n101\n010\n", "expected 3 grid lines, got 2"),
        ("2 3\n101\n010", "the input must end with a newline"),
        ("41 1\n" + "1\n" * 41, "41 x 1 is larger than 40 x 40"),  # the small group's flag
    ],
)
def test_grid_validator(sandbox: Sandbox, tmp_path: Path, grid: str, reason: str | None) -> None:
    root = tmp_path / "lcr"
    shutil.copytree(PROBLEM, root)
    (root / "data" / "secret" / "small" / "zz.in").write_text(grid)
    (root / "data" / "secret" / "small" / "zz.ans").write_text("0\n")
    package = load_package(root, generate=False)
    problems = list(check_inputs(package, sandbox))
    if reason is None:
        assert problems == []
    else:
        assert [(p.validator, p.file) for p in problems] == [
            ("input_validators/grid.py", "data/secret/small/zz.in")
        ]
        assert problems[0].message.endswith(reason)
