"""Importing a Kattis-format package, and its custom output validator as `checker.py`."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders import Verdict, grade_submission, load_package, validate_package
from graders.errors import ProblemFormatError
from graders.kattis import KattisImportError, import_kattis, latex_to_markdown
from graders.kattis.importer import default_checker
from sandbox import Sandbox

from .conftest import FIXTURES

KATTIS = FIXTURES / "kattis" / "different"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kattis") / "different"
    report = import_kattis(KATTIS, out)
    assert report.groups == ["sample", "secret"] and report.tests == 3
    return out


def test_imported_package_keeps_meaning(imported: Path) -> None:
    package = load_package(imported, generate=False)
    spec = package.spec
    assert spec.name == "A Different Problem"
    assert spec.limits.time_s == 2 and spec.limits.memory_mb == 512
    assert spec.checker.name == "custom"
    assert spec.tags == ["arithmetic", "easy"]
    assert sorted(spec.languages) == ["cpp", "python"]
    assert "## Input" in package.statement and "*absolute value*" in package.statement
    assert "$$ |a - b|. $$" in package.statement and "\\section" not in package.statement
    assert "% The classic" not in package.statement
    assert (imported / "output_validator" / "validate.py").read_bytes() == (
        KATTIS / "output_validators" / "different_validator" / "validate.py"
    ).read_bytes()


def test_imported_package_validates(imported: Path, sandbox: Sandbox, tmp_path: Path) -> None:
    report = validate_package(imported, sandbox=sandbox, cache_dir=tmp_path)
    assert report.ok, report.errors
    assert {s.path: s.got for s in report.solutions} == {
        "submissions/accepted/different.cpp": Verdict.AC,
        "submissions/accepted/different.py": Verdict.AC,
        "submissions/wrong_answer/signed.py": Verdict.WA,
    }


def test_custom_checker_messages(imported: Path, sandbox: Sandbox) -> None:
    package = load_package(imported, generate=False)
    result = grade_submission(package, source="print(0)\n", language="python", sandbox=sandbox)
    assert result.verdict is Verdict.WA
    sample, hidden = result.tests[0], result.tests[1]
    assert sample.message == "expected 3 numbers, got 1"  # judgemessage.txt on a sample
    assert not hidden.visible and hidden.message == "rejected by the checker"


def test_broken_checker_is_an_internal_error(
    imported: Path, sandbox: Sandbox, tmp_path: Path
) -> None:
    import shutil

    root = tmp_path / "broken-checker"
    shutil.copytree(imported, root)
    (root / "output_validator" / "validate.py").write_text("import sys\nsys.exit(1)\n")
    package = load_package(root, generate=False)
    result = grade_submission(package, source="print(2)\n", language="python", sandbox=sandbox)
    assert result.verdict is Verdict.IE
    assert "exited with code 1" in result.tests[0].message


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ("", {"name": "tokens", "options": {"case_sensitive": False}}),
        ("case_sensitive", {"name": "tokens", "options": {"case_sensitive": True}}),
        ("space_change_sensitive", {"name": "exact"}),
        ("float_tolerance 1e-6", {"name": "float", "options": {"abs_tol": 1e-6, "rel_tol": 1e-6}}),
        ("float_relative_tolerance 0.01", {"name": "float", "options": {"rel_tol": 0.01}}),
    ],
)
def test_validator_flags(flags: str, expected: dict[str, object]) -> None:
    assert default_checker(flags.split()) == expected


def test_multi_pass_problems_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "problem.yaml").write_text("type: multi-pass\n")
    with pytest.raises(KattisImportError, match="multi-pass problems are not supported"):
        import_kattis(source, tmp_path / "out")


def test_output_must_be_new(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x").write_text("")
    with pytest.raises(ProblemFormatError, match="not empty"):
        import_kattis(KATTIS, tmp_path / "out")


def test_latex_conversion_reports_leftovers() -> None:
    text, title, leftovers = latex_to_markdown(
        "\\problemname{T}\n\\section{A}\nSee \\cite{x} and $\\alpha$.\n"
    )
    assert title == "T" and text.startswith("# T\n## A")
    assert leftovers == ["\\cite"]


def test_multi_file_python_validator_with_flags(tmp_path: Path, sandbox: Sandbox) -> None:
    """A validator split over two files, with `validator_flags` passed through."""
    import shutil

    source = tmp_path / "src"
    shutil.copytree(KATTIS, source)
    folder = source / "output_validators" / "different_validator"
    (folder / "validate.py").write_text(
        "import sys\nfrom helper import verdict\n"
        "sys.exit(verdict(open(sys.argv[2]).read(), sys.stdin.read(), sys.argv[3], sys.argv[4:]))\n"
    )
    (folder / "helper.py").write_text(
        "def verdict(judge, team, feedback, flags):\n"
        "    open(feedback + 'teammessage.txt', 'w').write(' '.join(flags))\n"
        "    return 42 if judge.split() == team.split() else 43\n"
    )
    meta = (source / "problem.yaml").read_text()
    (source / "problem.yaml").write_text(meta + "validator_flags: strict mode\n")
    import_kattis(source, tmp_path / "out")
    package = load_package(tmp_path / "out", generate=False)
    assert package.spec.checker.options == {"flags": ["strict", "mode"]}
    right = (KATTIS / "submissions" / "accepted" / "different.py").read_text()
    result = grade_submission(package, source=right, language="python", sandbox=sandbox)
    assert result.verdict is Verdict.AC and result.tests[0].message == "strict mode"
    result = grade_submission(package, source="print(1)\n", language="python", sandbox=sandbox)
    assert result.verdict is Verdict.WA
