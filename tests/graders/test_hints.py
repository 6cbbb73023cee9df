"""Targeted hints (`graders.hints`): a failure that matches a known-wrong solution's
output shows that solution's hint, decided on the judge side; group hints otherwise;
validation proves every hinted wrong solution fires its own hint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from graders import Verdict, grade_submission, load_package, validate_package
from graders.hints import HintBook
from graders.package.types import Package
from sandbox import Sandbox

PROBLEMS = Path(__file__).resolve().parents[2] / "problems"

DROPS_LAST = "You skip the last number."
BIG = "Big numbers: mind overflow."
DROPS_LAST_SOURCE = (
    "import sys\ndata = sys.stdin.read().split()\n"
    "print(sum(int(x) for x in data[1 : int(data[0])]))\n"
)
# The same mistake written differently: the judge matches outputs, not sources.
LEARNER_DROPS_LAST = (
    "n = int(input())\nxs = [int(x) for x in input().split()] if n else [0]\n"
    "print(sum(xs) - xs[-1])\n"
)
LEARNER_OFF_BY_ONE = "n = int(input())\nprint(sum(map(int, input().split())) + 1)\n"


def _hinted_sum(copy_fixture: Callable[[str], Path], **hints: object) -> Path:
    root = copy_fixture("sum")
    (root / "submissions" / "wrong_answer" / "drops_last.py").write_text(DROPS_LAST_SOURCE)
    spec = yaml.safe_load((root / "problem.yaml").read_text())
    spec["hints"] = hints or {
        "solutions": {"wrong_answer/drops_last.py": DROPS_LAST},
        "groups": {"big": BIG},
    }
    (root / "problem.yaml").write_text(yaml.safe_dump(spec))
    return root


@pytest.fixture
def hinted(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> tuple[Package, Path]:
    cache = tmp_path / "cache"
    return load_package(_hinted_sum(copy_fixture), sandbox=sandbox, cache_dir=cache), cache


def test_same_mistake_shows_its_hint_on_hidden_tests_too(
    hinted: tuple[Package, Path], sandbox: Sandbox
) -> None:
    package, cache = hinted
    book = HintBook.for_package(package, sandbox, cache_dir=cache)
    result = grade_submission(
        package, source=LEARNER_DROPS_LAST, language="python", sandbox=sandbox, hints=book
    )
    failed = [test for test in result.tests if test.verdict is Verdict.WA]
    assert failed, result
    for test in failed:
        assert test.hint == DROPS_LAST, test
        assert test.feedback["hint_source"] == "wrong_answer/drops_last.py"
    hidden = [test for test in failed if not test.visible]
    assert hidden and all(test.actual is None and test.input is None for test in hidden)
    # The wrong solution's outputs are cached per test it fails, by package hash.
    stored = cache / "hints" / package.content_hash / "wrong_answer__drops_last.py"
    assert (stored / "sample" / "1.out").read_bytes().split() == [b"3"]


def test_a_different_mistake_gets_the_group_hint_or_none(
    hinted: tuple[Package, Path], sandbox: Sandbox
) -> None:
    package, cache = hinted
    book = HintBook.for_package(package, sandbox, cache_dir=cache)
    result = grade_submission(
        package, source=LEARNER_OFF_BY_ONE, language="python", sandbox=sandbox, hints=book
    )
    by_group = {test.group: test for test in result.tests if test.verdict is not Verdict.AC}
    assert by_group["sample"].hint is None  # no hint for the sample group
    assert by_group["big"].hint == BIG
    assert by_group["big"].feedback["hint_source"] == "group:big"


def test_an_accepted_submission_runs_no_hinted_solution(
    hinted: tuple[Package, Path], sandbox: Sandbox
) -> None:
    package, cache = hinted
    source = (package.root / "submissions" / "accepted" / "sum.py").read_text()
    book = HintBook.for_package(package, sandbox, cache_dir=cache)
    result = grade_submission(
        package, source=source, language="python", sandbox=sandbox, hints=book
    )
    assert result.verdict is Verdict.AC
    assert all(test.hint is None for test in result.tests)
    assert not (cache / "hints").exists()


def test_validation_reports_which_hint_fires(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    report = validate_package(
        _hinted_sum(copy_fixture), sandbox=sandbox, cache_dir=tmp_path / "cache"
    )
    assert report.ok, report.errors
    [check] = report.hints
    assert check.solution == "wrong_answer/drops_last.py" and check.ok
    assert check.test == "sample/1" and check.fired == "wrong_answer/drops_last.py"
    entry = next(s for s in report.solutions if s.path.endswith("drops_last.py"))
    assert entry.hint == DROPS_LAST and entry.hint_source == "wrong_answer/drops_last.py"
    assert "hints" in report.model_dump(mode="json")


def test_validation_fails_when_a_hint_cannot_fire(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    # Two wrong solutions with the same outputs: the first hint always wins, so the
    # second solution's own hint never fires (a package bug); and a key naming no file.
    root = _hinted_sum(
        copy_fixture,
        solutions={
            "wrong_answer/drops_last.py": DROPS_LAST,
            "wrong_answer/same_as_drops_last.py": "never shown",
            "wrong_answer/missing.py": "no such file",
        },
        groups={"nosuchgroup": "x"},
    )
    (root / "submissions" / "wrong_answer" / "same_as_drops_last.py").write_text(LEARNER_DROPS_LAST)
    report = validate_package(root, sandbox=sandbox, cache_dir=tmp_path / "cache")
    assert not report.ok
    fields = {error.field for error in report.errors}
    assert "hints.solutions.wrong_answer/same_as_drops_last.py" in fields
    assert "hints.solutions.wrong_answer/missing.py" in fields
    assert "hints.groups.nosuchgroup" in fields
    bad = next(c for c in report.hints if c.solution.endswith("same_as_drops_last.py"))
    assert not bad.ok and bad.fired == "wrong_answer/drops_last.py"


def test_tensor_hint_matches_an_overflow_with_the_problems_tolerances(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """A naive softmax written another way overflows to NaN like the known-wrong one."""
    package = load_package(PROBLEMS / "softmax-forward", sandbox=sandbox, cache_dir=tmp_path)
    learner = (
        "import numpy as np\n\ndef softmax(x):\n"
        "    with np.errstate(all='ignore'):\n"
        "        return np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)\n"
    )
    book = HintBook.for_package(package, sandbox, cache_dir=tmp_path)
    result = grade_submission(
        package, source=learner, language="python", sandbox=sandbox, hints=book
    )
    first = next(test for test in result.tests if test.verdict is not Verdict.AC)
    assert first.verdict is Verdict.WA
    assert first.hint == package.spec.hints.solutions["wrong_answer/naive_exp.py"]
