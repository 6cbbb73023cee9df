"""All four problemtools example packages import and validate, each solution with the
judgement problemtools expects of its folder (Kattis semantics: a memory overrun is
a run-time error; partially_accepted scores some but not all points)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from graders import Verdict, validate_package
from graders.kattis import KattisImportError, import_kattis
from sandbox import Sandbox

from .kattis_examples import EXAMPLES, problemtools_examples

# The examples give no time limit (Kattis derives one from the accepted solutions);
# 2 s keeps the TLE solutions short. hello's accepted hello_alarm.c busy-waits for a
# second, so it keeps the importer's default (5 s, for the 3x headroom check).
TIME_LIMITS = {"hello": None, "different": 2.0, "guess": 2.0, "oddecho": 2.0}
# Folder -> the verdict Gradebox reports for it.
JUDGEMENT = {
    "accepted": Verdict.AC,
    "wrong_answer": Verdict.WA,
    "time_limit_exceeded": Verdict.TLE,
    "run_time_error": Verdict.RE,
}
# What each example must run at least (the other solutions are other languages).
MUST_RUN = {
    "hello": {"run_time_error/memory_limit.cc", "accepted/hello_alarm.c", "wrong_answer/hello.cc"},
    "different": {
        "accepted/different.cc",
        "accepted/different_py3.py",
        "time_limit_exceeded/different_linear_search.cc",
        "wrong_answer/different_no_abs.cc",
    },
    "guess": {
        "accepted/guess.cc",
        "run_time_error/guess_rte_after_correct.cc",
        "time_limit_exceeded/guess_no_flush.cc",
        "time_limit_exceeded/guess_tle_after_correct.cc",
        "wrong_answer/guess_tle.cc",
        "wrong_answer/guess_modulo.py",
    },
    "oddecho": {"accepted/echo.cpp", "accepted/js.py", "partially_accepted/sol.py"},
}


@pytest.fixture(scope="session")
def examples() -> Path:
    return problemtools_examples()


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLES)
def test_problemtools_example_validates(
    name: str, examples: Path, sandbox: Sandbox, tmp_path: Path
) -> None:
    out = tmp_path / name
    import_kattis(examples / name, out, time_limit=TIME_LIMITS[name])
    report = validate_package(out, sandbox=sandbox, cache_dir=tmp_path / "cache")
    assert report.ok, "\n".join(str(error) for error in report.errors)
    got = {entry.path.removeprefix("submissions/"): entry for entry in report.solutions}
    assert MUST_RUN[name] <= set(got)
    for path, entry in got.items():
        folder = path.split("/")[0]
        assert entry.ok, (path, entry.message)
        if folder == "partially_accepted":
            assert entry.got is not Verdict.AC and 0 < entry.score < entry.max_score
        else:
            assert entry.got is JUDGEMENT[folder], path
    if name == "oddecho":
        assert got["partially_accepted/sol.py"].score == 50  # subtask1 of testdata.yaml


def test_multi_language_statements_and_interactions(examples: Path, tmp_path: Path) -> None:
    import_kattis(examples / "guess", tmp_path / "guess")
    statement = (tmp_path / "guess" / "statement.md").read_text()
    assert statement.startswith("# Guess the Number")
    assert "### Sample interaction 1" in statement and ">792\n<higher" in statement
    swedish = (tmp_path / "guess" / "statement.sv.md").read_text()
    assert swedish.startswith("# Gissa talet")


def _oddecho_with_links(examples: Path, root: Path) -> Path:
    """oddecho as its upstream repository has it: subtask2 reuses subtask1's tests
    through relative symbolic links (the sdist holds copies)."""
    package = root / "oddecho"
    shutil.copytree(examples / "oddecho", package)
    for stem in ("1", "2", "3"):
        for ext in (".in", ".ans"):
            link = package / "data" / "secret" / "subtask2" / f"{stem}{ext}"
            link.unlink()
            os.symlink(f"../subtask1/{stem}{ext}", link)
    return package


def test_links_inside_the_package_become_files(examples: Path, tmp_path: Path) -> None:
    source = _oddecho_with_links(examples, tmp_path / "src")
    import_kattis(source, tmp_path / "out")
    copied = tmp_path / "out" / "data" / "secret" / "subtask2" / "1.in"
    assert not copied.is_symlink() and copied.is_file()
    assert copied.read_bytes() == (source / "data" / "secret" / "subtask1" / "1.in").read_bytes()


@pytest.mark.parametrize(
    ("target", "message"),
    [("/etc/passwd", "outside the package"), ("../../../../../outside", "outside the package"),
     ("missing.in", "to nothing")],
)  # fmt: skip
def test_links_leaving_the_package_are_refused(
    examples: Path, tmp_path: Path, target: str, message: str
) -> None:
    source = _oddecho_with_links(examples, tmp_path / "src")
    (tmp_path / "outside").write_text("secret\n")
    os.symlink(target, source / "data" / "secret" / "subtask1" / "9.in")
    with pytest.raises(KattisImportError, match=message):
        import_kattis(source, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_input_validator_names_the_bad_file(
    examples: Path, sandbox: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    shutil.copytree(examples / "different", source)
    (source / "data" / "secret" / "01.in").write_text("1 2\n3 x\n")
    import_kattis(source, tmp_path / "out")
    report = validate_package(tmp_path / "out", sandbox=sandbox, run_solutions=False)
    assert [(e.file, "input_validators/validate" in e.message) for e in report.errors] == [
        ("data/secret/01.in", True)
    ]
