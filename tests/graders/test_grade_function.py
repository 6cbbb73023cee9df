"""Grading `function` submissions: the harness calls the learner's function in the
sandbox and only serialises; the `json` checker judges outside (fixture: `pairs`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graders import Verdict, grade_submission
from graders.package.types import Package
from sandbox import Sandbox


@pytest.fixture
def grade(fixture_package: Callable[[str], Package], sandbox: Sandbox):
    def run(source: str, **kwargs):
        return grade_submission(
            fixture_package("pairs"), source=source, language="python", sandbox=sandbox, **kwargs
        )

    return run


def test_tuples_and_prints_are_fine(grade) -> None:
    source = (
        "def pairs(xs):\n    print('noise on stdout')\n    return tuple((x, x * x) for x in xs)\n"
    )
    result = grade(source)
    assert result.verdict is Verdict.AC
    assert result.score == 10
    assert "noise on stdout" in (result.tests[0].stderr or "")


def test_kwargs_reach_the_function(grade) -> None:
    result = grade("def pairs(*, xs=None):\n    return [[x, x * x] for x in xs]\n")
    assert [t.verdict for t in result.tests] == [Verdict.RE, Verdict.AC, Verdict.RE]


def test_wrong_value_reports_its_path(grade) -> None:
    result = grade("def pairs(xs):\n    return [[x, x ** 3] for x in xs]\n")
    assert result.verdict is Verdict.WA
    sample = result.tests[0]
    assert sample.message.startswith("[1][1]: wrong value") and "expected 4" in sample.message
    hidden = [t for t in result.tests if not t.visible and t.verdict is Verdict.WA]
    assert hidden and all("expected" not in t.message for t in hidden)
    assert result.score == 5  # sum group: the empty list still passes


def test_numpy_results_are_serialised(grade) -> None:
    source = (
        "import numpy as np\n\ndef pairs(xs):\n    a = np.array(xs, dtype=float).reshape(-1, 1)\n"
    )
    source += "    return np.hstack([a, a * a])\n"
    assert grade(source).verdict is Verdict.AC


def test_banned_import_at_module_level(grade) -> None:
    result = grade("import ctypes\n\ndef pairs(xs):\n    return []\n", stop_on_failure=True)
    assert result.verdict is Verdict.RE
    assert result.tests[0].message == "uses banned module ctypes"


def test_banned_import_inside_the_function(grade) -> None:
    source = "def pairs(xs):\n    __import__('ctypes')\n    return []\n"
    result = grade(source, stop_on_failure=True)
    assert result.tests[0].message == "uses banned module ctypes"


def test_a_caught_banned_import_just_fails_to_import(grade) -> None:
    source = (
        "try:\n    import ctypes\nexcept ImportError:\n    ctypes = None\n\n"
        "def pairs(xs):\n    assert ctypes is None\n    return [[x, x * x] for x in xs]\n"
    )
    assert grade(source).verdict is Verdict.AC


def test_missing_entry_point(grade) -> None:
    result = grade("def pair(xs):\n    return []\n", stop_on_failure=True)
    assert result.verdict is Verdict.RE
    assert result.tests[0].message == "solution.py does not define pairs"


def test_unserialisable_result_is_a_wrong_answer(grade) -> None:
    result = grade("def pairs(xs):\n    return {1, 2}\n", stop_on_failure=True)
    assert result.verdict is Verdict.WA
    assert result.tests[0].message == "the returned value could not be serialised"


def test_exception_message_only_on_samples(grade) -> None:
    result = grade("def pairs(xs):\n    raise KeyError('oops')\n")
    assert result.verdict is Verdict.RE
    assert result.tests[0].message == "KeyError: 'oops'"
    hidden = [t for t in result.tests if not t.visible]
    assert hidden and all(t.message == "KeyError (exit code 1)" for t in hidden)


def test_own_exception_classes_are_not_named_on_hidden_tests(grade) -> None:
    source = "def pairs(xs):\n    raise type('Secret' + str(len(xs)), (Exception,), {})()\n"
    result = grade(source)
    hidden = [t for t in result.tests if not t.visible]
    assert hidden and all(t.message == "run-time error (exit code 1)" for t in hidden)


def test_deep_recursion_is_a_runtime_error(grade) -> None:
    source = "def pairs(xs):\n    def f(n):\n        return 0 if n == 0 else 1 + f(n - 1)\n"
    source += "    f(10**6)\n"
    result = grade(source, stop_on_failure=True)
    assert result.verdict is Verdict.RE
    assert "RecursionError" in result.tests[0].message
