"""Loading packages: the good fixtures load, every broken one names its fault."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from graders import ProblemFormatError, load_package
from graders.package.types import Package
from graders.verdict import Verdict
from sandbox import Sandbox

from .conftest import FIXTURES

BROKEN = sorted(path.name for path in (FIXTURES / "broken").iterdir() if path.is_dir())


def test_sum_fixture_loads_groups_in_order(fixture_package: Callable[[str], Package]) -> None:
    package = fixture_package("sum")
    assert package.slug == "sum"
    assert [test.name for test in package.tests] == [
        "sample/1",
        "basic/1",
        "basic/2",
        "basic/3",
        "big/1",
        "big/gen-1",
        "big/gen-2",
    ]
    assert [test.visible for test in package.tests] == [True] + [False] * 6
    assert package.tests[0].source == "data/sample/1.in"
    assert package.tests[-1].source == "generators/gen.py 2 1000"
    assert set(package.templates) == {"python", "cpp"}
    assert len(package.content_hash) == 64


def test_generated_answers_come_from_the_reference(
    fixture_package: Callable[[str], Package],
) -> None:
    test = next(t for t in fixture_package("sum").tests if t.name == "big/gen-1")
    numbers = [int(x) for x in test.input.split()]
    assert numbers[0] == 1000 and len(numbers) == 1001
    assert int(test.answer) == sum(numbers[1:])


class _RefusingSandbox:
    """Proves a load used the cache: any attempt to run something fails the test."""

    name = "refusing"

    def run(self, spec: object) -> object:
        raise AssertionError("the generators ran again instead of using the cache")

    def session(self, files: object = None) -> object:
        raise AssertionError("the generators ran again instead of using the cache")


def test_generated_tests_are_cached_by_content_hash(
    fixture_package: Callable[[str], Package], cache_dir: Path
) -> None:
    first = fixture_package("sum")
    assert (cache_dir / "generated" / first.content_hash / "complete").is_file()
    again = load_package(FIXTURES / "sum", sandbox=_RefusingSandbox(), cache_dir=cache_dir)  # type: ignore[arg-type]
    assert again.tests == first.tests


def test_content_hash_changes_with_any_file(copy_fixture: Callable[[str], Path]) -> None:
    root = copy_fixture("pairs")
    before = load_package(root, generate=False).content_hash
    assert load_package(root, generate=False).content_hash == before
    (root / "data" / "secret" / "2.ans").write_text("[ ]\n")
    assert load_package(root, generate=False).content_hash != before


def test_generator_failure_names_the_generator(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    root = copy_fixture("sum")
    (root / "generators" / "gen.py").write_text("import sys\nsys.exit('no such mode')\n")
    with pytest.raises(
        ProblemFormatError, match=r"^generators/gen.py: `generators/gen.py 1 1000` failed"
    ):
        load_package(root, sandbox=sandbox, cache_dir=tmp_path / "cache")


@pytest.mark.parametrize("name", BROKEN)
def test_broken_package_is_refused_with_its_file_named(name: str) -> None:
    root = FIXTURES / "broken" / name
    where, text = (root / "EXPECT").read_text().strip().split("|", 1)
    with pytest.raises(ProblemFormatError) as caught:
        load_package(root, generate=False)
    message = str(caught.value)
    assert message.startswith(where), message
    assert text in message, message
    assert "Traceback" not in message


def test_symlinked_file_is_refused(copy_fixture: Callable[[str], Path]) -> None:
    root = copy_fixture("pairs")
    os.symlink("/etc/passwd", root / "data" / "secret" / "3.in")
    with pytest.raises(
        ProblemFormatError, match=r"^data/secret/3.in: symbolic links are not allowed"
    ):
        load_package(root, generate=False)


def test_symlinked_folder_is_refused(copy_fixture: Callable[[str], Path]) -> None:
    root = copy_fixture("pairs")
    os.symlink("/etc", root / "data" / "secret" / "extra")
    with pytest.raises(ProblemFormatError, match=r"^data/secret/extra: symbolic links"):
        load_package(root, generate=False)


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProblemFormatError, match="no such package folder"):
        load_package(tmp_path / "nope")


def test_kind_defaults_pick_the_checker(fixture_package: Callable[[str], Package]) -> None:
    from graders.grade import checker_for

    checker, options = checker_for(fixture_package("pairs"))
    assert checker.name == "json" and options == {"rel_tol": 1e-6}
    assert checker_for(fixture_package("sum"))[0].name == "tokens"
    assert Verdict.AC.description == "Accepted"


def test_generated_tests_need_a_reference(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    import shutil

    root = copy_fixture("sum")
    shutil.rmtree(root / "submissions" / "accepted")
    with pytest.raises(
        ProblemFormatError, match=r"^problem.yaml: reference: generated tests need a reference"
    ):
        load_package(root, sandbox=sandbox, cache_dir=tmp_path / "cache")


def test_failing_reference_is_named(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    root = copy_fixture("sum")
    (root / "problem.yaml").write_text(
        (root / "problem.yaml").read_text() + "reference: submissions/run_time_error/crash.py\n"
    )
    with pytest.raises(
        ProblemFormatError,
        match=r"^submissions/run_time_error/crash.py: the reference failed on big/gen-1",
    ):
        load_package(root, sandbox=sandbox, cache_dir=tmp_path / "cache")
