"""PyPy, the language added in one file (`sandbox/languages/pypy.py`), judged for real
in the bwrap sandbox on a copy of the `sum` fixture that lists it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graders import Verdict, grade_submission, load_package
from graders.errors import ProblemFormatError
from graders.package.types import Package
from graders.submissions import EXTENSIONS
from sandbox import Sandbox
from sandbox.languages import get_language

FIXTURES = Path(__file__).parent / "fixtures"

# Right only when PyPy runs it: CPython would print the wrong sum.
ONLY_UNDER_PYPY = """\
import sys
data = sys.stdin.read().split()
total = sum(int(x) for x in data[1:1 + int(data[0])])
print(total if sys.implementation.name == "pypy" else total + 1)
"""


def _copy(tmp_path: Path, name: str, edit: dict[str, str]) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    spec = root / "problem.yaml"
    text = spec.read_text()
    for old, new in edit.items():
        assert old in text
        text = text.replace(old, new)
    spec.write_text(text)
    return root


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox) -> Package:
    tmp = tmp_path_factory.mktemp("pypy")
    root = _copy(
        tmp,
        "sum",
        {
            "languages: [python, cpp]": "languages: [python, cpp, pypy]\nbanned_modules: []",
            # PyPy's first start reads a large binary: room for a cold cache on a busy host.
            "limits: {time_s: 1, memory_mb: 256}": (
                "limits: {time_s: 1, memory_mb: 256, languages: {pypy: {time_s: 10}}}"
            ),
        },
    )
    return load_package(root, sandbox=sandbox, cache_dir=tmp / "cache")


def test_a_stdio_submission_runs_under_pypy(package: Package, sandbox: Sandbox) -> None:
    result = grade_submission(package, source=ONLY_UNDER_PYPY, language="pypy", sandbox=sandbox)
    assert result.verdict is Verdict.AC, [(t.name, t.verdict, t.message) for t in result.tests]
    cpython = grade_submission(package, source=ONLY_UNDER_PYPY, language="python", sandbox=sandbox)
    assert cpython.verdict is Verdict.WA


def test_a_pypy_syntax_error_is_a_compile_error(package: Package, sandbox: Sandbox) -> None:
    result = grade_submission(package, source="def f(:\n", language="pypy", sandbox=sandbox)
    assert result.verdict is Verdict.CE
    assert "SyntaxError" in result.compile_output


def test_pypy_takes_no_problem_that_bans_modules(tmp_path: Path, sandbox: Sandbox) -> None:
    # `sum` bans ctypes by default: PyPy builds FFI into its binary, so no absence.
    root = _copy(tmp_path, "sum", {"languages: [python, cpp]": "languages: [python, cpp, pypy]"})
    with pytest.raises(ProblemFormatError, match="cannot enforce banned_modules"):
        load_package(root, sandbox=sandbox, cache_dir=tmp_path / "cache")


def test_harnessed_kinds_take_cpython_only(tmp_path: Path, sandbox: Sandbox) -> None:
    root = _copy(
        tmp_path,
        "pairs",
        {"type: function\n": "type: function\nlanguages: [pypy]\nbanned_modules: []\n"},
    )
    with pytest.raises(ProblemFormatError, match="take python only"):
        load_package(root, sandbox=sandbox, cache_dir=tmp_path / "cache")


def test_pypy_claims_no_suffix_of_cpython() -> None:
    assert EXTENSIONS[".py"] == "python"
    assert get_language("pypy").runs_python and get_language("pypy").extensions == ()
