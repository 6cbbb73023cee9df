"""A checker's options model is validated when the package loads, not at the first test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graders import load_package
from graders.checkers import get_checker
from graders.checkers.base import DeclaresOptions
from graders.errors import ProblemFormatError
from sandbox import Sandbox

FIXTURES = Path(__file__).parent / "fixtures"


def _sum_with(tmp_path: Path, checker: str) -> Path:
    root = tmp_path / "sum"
    shutil.copytree(FIXTURES / "sum", root)
    spec = root / "problem.yaml"
    spec.write_text(spec.read_text() + f"checker: {checker}\n")
    return root


@pytest.mark.parametrize(
    ("checker", "field"),
    [
        ("{name: float, options: {tolerance: 0.1}}", "checker.options.tolerance"),
        ("{name: float, options: {abs_tol: -1}}", "checker.options.abs_tol"),
        ("{name: tokens, options: {case_sensitive: maybe}}", "checker.options.case_sensitive"),
        ("{name: exact, options: {abs_tol: 0.1}}", "checker.options.abs_tol"),
    ],
)
def test_a_bad_option_is_refused_at_load(
    tmp_path: Path, sandbox: Sandbox, checker: str, field: str
) -> None:
    with pytest.raises(ProblemFormatError) as info:
        load_package(_sum_with(tmp_path, checker), sandbox=sandbox, cache_dir=tmp_path / "c")
    assert info.value.field == field


def test_the_options_models_keep_the_defaults_the_checkers_used() -> None:
    floats, tokens = get_checker("float"), get_checker("tokens")
    assert isinstance(floats, DeclaresOptions) and isinstance(tokens, DeclaresOptions)
    assert floats.Options().model_dump() == {"abs_tol": 1e-6, "rel_tol": 1e-6}
    assert tokens.Options().model_dump() == {"case_sensitive": True}
    assert not isinstance(get_checker("tensor"), DeclaresOptions)  # the kind's spec instead
