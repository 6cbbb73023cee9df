"""`TestResult.redacted()`: the one place a hidden test's texts are dropped."""

from __future__ import annotations

from graders.results import TestResult
from graders.verdict import Verdict


def _result(visible: bool) -> TestResult:
    return TestResult(
        name="secret/01",
        group="secret",
        verdict=Verdict.WA,
        time_ms=12,
        visible=visible,
        message="expected 3 tokens, got 2",
        feedback={"max_abs_err": 0.5},
        input="1 2\n",
        expected="3\n",
        actual="4\n",
        stderr="debug: 4\n",
    )


def test_a_hidden_result_keeps_its_summary_and_loses_its_texts() -> None:
    shown = _result(visible=False).redacted()
    assert (shown.input, shown.expected, shown.actual, shown.stderr) == (None, None, None, None)
    assert shown.verdict is Verdict.WA and shown.time_ms == 12
    assert shown.feedback == {"max_abs_err": 0.5} and shown.message


def test_a_sample_result_is_shown_whole() -> None:
    sample = _result(visible=True)
    assert sample.redacted() == sample
