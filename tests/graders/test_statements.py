"""Statements in several languages: statement.md plus statement.<lang>.md."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from graders import ProblemFormatError, load_package, validate_package
from sandbox import Sandbox


def test_every_language_is_read_with_the_default_under_en(
    copy_fixture: Callable[[str], Path],
) -> None:
    root = copy_fixture("pairs")
    english = (root / "statement.md").read_text()
    (root / "statement.de.md").write_text("# Paare\n\nZähle die Paare.\n")
    (root / "statement.pt-BR.md").write_text("# Pares\n\nConte os pares.\n")
    package = load_package(root, generate=False)
    assert list(package.statements) == ["de", "en", "pt-BR"]
    assert package.statements["en"] == english == package.statement
    assert package.statements["de"].startswith("# Paare")


def test_statement_language_names_the_default(copy_fixture: Callable[[str], Path]) -> None:
    root = copy_fixture("pairs")
    with (root / "problem.yaml").open("a") as spec:
        spec.write("statement_language: sv\n")
    (root / "statement.en.md").write_text("# Pairs\n\nCount the pairs.\n")
    package = load_package(root, generate=False)
    assert package.statement == package.statements["sv"]
    assert package.statements["en"].startswith("# Pairs")


def test_kattis_export_names_each_language(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    from graders.kattis.export import export_kattis

    root = copy_fixture("sum")
    with (root / "problem.yaml").open("a") as spec:
        spec.write("statement_language: sv\n")
    (root / "statement.en.md").write_text("# Sum\n\nPrint the sum.\n")
    package = load_package(root, sandbox=sandbox, cache_dir=tmp_path / "cache")
    export_kattis(package, tmp_path / "kattis")
    exported = tmp_path / "kattis" / "problem_statement"
    assert sorted(p.name for p in exported.iterdir()) == ["problem.en.md", "problem.sv.md"]
    assert (exported / "problem.sv.md").read_text() == package.statement


@pytest.mark.parametrize(
    "name", ["statement.german.md", "statement.pt_BR.md", "statement.DE.md", "statement.de.txt"]
)
def test_badly_named_statement_is_refused(copy_fixture: Callable[[str], Path], name: str) -> None:
    root = copy_fixture("pairs")
    (root / name).write_text("# Paare\n")
    with pytest.raises(ProblemFormatError, match=rf"^{name}: statements in other languages"):
        load_package(root, generate=False)


def test_statement_repeating_the_default_is_refused(copy_fixture: Callable[[str], Path]) -> None:
    root = copy_fixture("pairs")
    (root / "statement.en.md").write_text("# Pairs\n")
    with pytest.raises(ProblemFormatError, match=r"^statement.en.md: statement.md is already"):
        load_package(root, generate=False)


def test_empty_translation_is_refused(copy_fixture: Callable[[str], Path]) -> None:
    root = copy_fixture("pairs")
    (root / "statement.de.md").write_text("  \n")
    with pytest.raises(ProblemFormatError, match=r"^statement.de.md: the statement is empty"):
        load_package(root, generate=False)


def test_kattis_import_without_english_records_the_language(tmp_path: Path) -> None:
    from graders.kattis import import_kattis

    from .conftest import FIXTURES

    source = tmp_path / "different"
    shutil.copytree(FIXTURES / "kattis" / "different", source)
    statements = source / "problem_statement"
    (statements / "problem.en.tex").unlink()
    (statements / "problem.de.md").write_text("# Unterschied\n\nGib |a - b| aus.\n")
    (statements / "problem.sv.md").write_text("# Skillnad\n\nSkriv ut |a - b|.\n")
    (statements / "problem.Klingon.md").write_text("# ?\n")
    report = import_kattis(source, tmp_path / "out")
    assert any("'Klingon' is not imported" in warning for warning in report.warnings)
    package = load_package(tmp_path / "out", generate=False)
    assert package.spec.statement_language == "de"
    assert list(package.statements) == ["de", "sv"]
    assert package.statement.startswith("# Unterschied")


def test_validate_lints_every_translation(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    root = copy_fixture("pairs")
    (root / "statement.de.md").write_text("# Paare\n\nZähle $i < j.\n")
    report = validate_package(
        root, sandbox=sandbox, cache_dir=tmp_path / "cache", run_solutions=False
    )
    assert [error.file for error in report.errors] == ["statement.de.md"]
    assert "unbalanced $" in report.errors[0].message
