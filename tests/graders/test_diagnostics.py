"""Every problem of a package is reported at once (loader, Kattis import, the CLI),
not only the first one found."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backend.cli.main import app
from graders import ProblemFormatError, load_package
from graders.kattis import KattisImportError, import_kattis

from .conftest import FIXTURES

runner = CliRunner()


def _three_defects(root: Path) -> list[tuple[str, str]]:
    """Break a copy of `sum` in three independent places; (file, text) of each."""
    (root / "templates" / "rust.rs").write_text("fn main() {}\n")
    (root / "statement.md").write_text("  \n")
    (root / "data" / "secret" / "basic" / "2.ans").unlink()
    return [
        ("templates/rust.rs", "templates are named <language>.<ext>"),
        ("statement.md", "the statement is empty"),
        ("data/secret/basic/2.in", "test input without its answer 2.ans"),
    ]


def test_the_loader_reports_three_independent_defects(
    copy_fixture: Callable[[str], Path],
) -> None:
    root = copy_fixture("sum")
    expected = _three_defects(root)
    with pytest.raises(ProblemFormatError) as caught:
        load_package(root, generate=False)
    got = {(problem.file, problem.message) for problem in caught.value.problems}
    assert len(caught.value.problems) == 3, caught.value.problems
    for file, text in expected:
        assert any(f == file and text in message for f, message in got), (file, got)
        assert f"{file}: {text}" in str(caught.value)
    first = caught.value.problems[0]  # the single-problem attributes name the first
    assert (caught.value.file, caught.value.field, caught.value.reason) == (
        first.file,
        first.field,
        first.message,
    )


def test_schema_errors_are_one_problem_each(copy_fixture: Callable[[str], Path]) -> None:
    root = copy_fixture("sum")
    spec = root / "problem.yaml"
    spec.write_text(
        spec.read_text().replace("time_s: 1", "time_s: -1") + "timelimit: 3\nauthor: [x]\n"
    )
    with pytest.raises(ProblemFormatError) as caught:
        load_package(root, generate=False)
    fields = sorted(problem.field or "" for problem in caught.value.problems)
    assert fields == ["author", "limits.time_s", "timelimit"], caught.value.problems


def test_the_cli_validate_lists_every_problem(copy_fixture: Callable[[str], Path]) -> None:
    root = copy_fixture("sum")
    expected = _three_defects(root)
    result = runner.invoke(
        app, ["problem", "validate", str(root), "--skip-solutions", "--sandbox", "bwrap"]
    )
    assert result.exit_code == 1, result.output
    for file, text in expected:
        assert f"error: {file}: {text}" in result.stdout, result.stdout
    assert "FAILED (3 errors)" in result.stdout


def _broken_kattis(tmp_path: Path) -> Path:
    source = tmp_path / "different"
    shutil.copytree(FIXTURES / "kattis" / "different", source)
    shutil.rmtree(source / "output_validators")  # validation: custom, but no validator
    (source / "data" / "secret" / "2.ans").unlink()
    shutil.rmtree(source / "problem_statement")
    return source


KATTIS_DEFECTS = [
    ("output_validators", "custom validation without an output validator"),
    ("data/secret/2.in", "test input without a .ans"),
    ("problem_statement", "no problem.<lang>.md or problem.<lang>.tex"),
]


def test_the_kattis_import_reports_three_independent_defects(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(KattisImportError) as caught:
        import_kattis(_broken_kattis(tmp_path), out)
    got = {(problem.file, problem.message) for problem in caught.value.problems}
    assert got == set(KATTIS_DEFECTS)
    assert not out.exists()  # nothing written when anything is wrong


def test_the_cli_import_kattis_lists_every_problem(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["problem", "import-kattis", str(_broken_kattis(tmp_path)), str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    for file, text in KATTIS_DEFECTS:
        assert f"error: {file}: {text}" in result.output, result.output
