"""A submission as JUnit XML, so CI systems show per-test results natively.

Wrong answers are `<failure>`s; limits, crashes and judge errors are `<error>`s; a
compile error is one errored test case, since no test ran.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from backend.schemas.submissions import SubmissionPublic
from graders.verdict import Verdict

_FAILURES = {Verdict.WA}


def render(submission: SubmissionPublic) -> str:
    suite = ET.Element(
        "testsuite",
        name=f"gradebox.{submission.problem}",
        timestamp=submission.created_at.isoformat(),
    )
    props = ET.SubElement(suite, "properties")
    failures = errors = 0
    total_ms = 0
    count = len(submission.tests)
    for test in submission.tests:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"{submission.problem}.{test.group}",
            name=test.name,
            time=f"{test.time_ms / 1000:.3f}",
        )
        total_ms += test.time_ms
        if test.verdict is Verdict.AC:
            continue
        kind = "failure" if test.verdict in _FAILURES else "error"
        failures += kind == "failure"
        errors += kind == "error"
        node = ET.SubElement(
            case, kind, type=test.verdict.value, message=test.message or test.verdict.description
        )
        if test.visible and test.expected is not None:
            node.text = f"expected:\n{test.expected}\nactual:\n{test.actual or ''}"
    if submission.verdict in (Verdict.CE, Verdict.IE) and not count:
        case = ET.SubElement(suite, "testcase", classname=submission.problem, name="judge")
        verdict = submission.verdict
        node = ET.SubElement(case, "error", type=verdict.value, message=verdict.description)
        node.text = submission.compile_output or submission.message
        errors += 1
        count = 1
    suite.set("tests", str(count))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", f"{total_ms / 1000:.3f}")
    for key, value in (
        ("submission", str(submission.id)),
        ("verdict", submission.verdict.value if submission.verdict else submission.status.value),
        ("score", f"{submission.score or 0:g}/{submission.max_score or 0:g}"),
        ("language", submission.language),
    ):
        ET.SubElement(props, "property", name=key, value=value)
    ET.indent(suite)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
    )
