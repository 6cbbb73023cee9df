"""JUnit XML from `backend.services.junit`: valid for CI parsers whatever the learner
printed, one test case per test, the right counts, safe feedback only."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest

from backend.schemas.submissions import SubmissionPublic, SubmissionStatus
from backend.services.junit import render, xml_safe
from graders.results import TestResult
from graders.verdict import Verdict
from tests.junit_schema import check_junit

NASTY = "bell\x07 nul\x00 esc\x1b[31m vt\x0b ff\x0c \ufffe \udc80 end"


def _submission(tests: list[TestResult], verdict: Verdict, **extra: object) -> SubmissionPublic:
    values: dict[str, object] = {
        "id": 7,
        "problem": "add-two",
        "language": "python",
        "user": "alice",
        "status": SubmissionStatus.JUDGED,
        "verdict": verdict,
        "score": 50.0,
        "max_score": 100.0,
        "created_at": datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
        "judged_at": datetime(2026, 12, 1, 12, 1, tzinfo=UTC),
        "tests": tests,
        "groups": [],
        "compile_output": "",
        "message": "",
        "source": "print(1)",
        "problem_version": 1,
    }
    values.update(extra)
    return SubmissionPublic.model_validate(values)


def test_control_characters_from_learner_output_keep_the_file_valid() -> None:
    tests = [
        TestResult(name="sample/01", group="sample", verdict=Verdict.AC, time_ms=12),
        TestResult(
            name="sample/02",
            group="sample",
            verdict=Verdict.WA,
            visible=True,
            message=f"expected 3, got {NASTY}",
            input="1 2\n",
            expected="3\n",
            actual=NASTY,
        ),
        TestResult(
            name="secret/01",
            group="main",
            verdict=Verdict.RE,
            message="exit code 3",
            feedback={"max_abs_err": 0.5, "note": NASTY},
        ),
        TestResult(name="secret/02", group="main", verdict=Verdict.TLE, time_ms=2000),
    ]
    xml = render(_submission(tests, Verdict.WA))
    root = check_junit(xml)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "2")
    assert [c.get("name") for c in root.findall("testcase")] == [t.name for t in tests]
    failure = root.find("testcase[@name='sample/02']/failure")
    assert failure is not None and failure.get("type") == "WA"
    assert "\\x07" in (failure.get("message") or "") and "\\x00" in (failure.text or "")
    error = root.find("testcase[@name='secret/01']/error")
    assert error is not None and error.get("type") == "RE"
    assert "max_abs_err: 0.5" in (error.text or "")


def test_hidden_tests_show_no_data_but_their_safe_feedback() -> None:
    hidden = TestResult(
        name="secret/03",
        group="main",
        verdict=Verdict.WA,
        message="wrong answer",
        feedback={"max_rel_err": 0.25},
    )
    root = check_junit(render(_submission([hidden], Verdict.WA)))
    text = root.find("testcase/failure").text or ""  # type: ignore[union-attr]
    assert "max_rel_err: 0.25" in text and "expected:" not in text


def test_compile_error_is_one_errored_case_with_the_compiler_output() -> None:
    xml = render(_submission([], Verdict.CE, compile_output="main.cpp:1: error \x1b[1m"))
    root = check_junit(xml)
    assert (root.get("tests"), root.get("errors")) == ("1", "1")
    assert "main.cpp:1: error" in (root.find("testcase/error").text or "")  # type: ignore[union-attr]


def test_the_schema_check_itself_refuses_a_wrong_shape() -> None:
    """The validator can fail: a suite without its required counts is refused."""
    with pytest.raises(Exception, match="tests"):
        check_junit('<testsuite name="x"><testcase name="a"/></testsuite>')


@pytest.mark.parametrize("char", [chr(c) for c in (*range(9), 11, 12, *range(14, 32))])
def test_every_forbidden_control_character_is_escaped(char: str) -> None:
    safe = xml_safe(f"a{char}b")
    assert char not in safe
    ElementTree.fromstring(f"<x a='{safe}'>{safe}</x>")
