"""A submission as JUnit XML, so CI systems show per-test results natively.

One `<testcase>` per test. Wrong answers are `<failure>`s; limits, crashes and judge
errors are `<error>`s; a compile error (or an IE before any test ran) is one errored
test case. Failures carry the verdict (`type`), the message and the safe feedback
(numeric summaries; expected/actual only for visible tests). Learner output can hold
any character, and XML 1.0 cannot carry most control characters even escaped, so
those are written as visible `\\xNN` escapes: the file always parses. The shape
validates against the Jenkins/Surefire `junit-10.xsd` that common CI parsers follow.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from backend.schemas.submissions import SubmissionPublic
from graders import TestResult, Verdict

_FAILURES = {Verdict.WA}
# Everything XML 1.0 forbids: C0 controls but tab/newline/CR, surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold replaced by a `\\xNN` escape."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _details(test: TestResult) -> str:
    lines = [f"verdict: {test.verdict.value} ({test.verdict.description})"]
    if test.message:
        lines.append(f"message: {test.message}")
    if test.hint:
        lines.append(f"hint: {test.hint}")
    for key, value in sorted(test.feedback.items()):
        lines.append(f"{key}: {json.dumps(value, default=str)}")
    if test.visible and test.expected is not None:
        lines += ["expected:", test.expected, "actual:", test.actual or ""]
    return "\n".join(lines)


def render(submission: SubmissionPublic) -> str:
    suite = ET.Element(
        "testsuite",
        name=xml_safe(f"gradebox.{submission.problem}"),
        timestamp=submission.created_at.replace(tzinfo=None).isoformat(timespec="seconds"),
    )
    props = ET.SubElement(suite, "properties")
    failures = errors = 0
    total_ms = 0
    count = len(submission.tests)
    for test in submission.tests:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=xml_safe(f"{submission.problem}.{test.group}"),
            name=xml_safe(test.name),
            time=f"{test.time_ms / 1000:.3f}",
        )
        total_ms += test.time_ms
        if test.verdict is Verdict.AC:
            continue
        kind = "failure" if test.verdict in _FAILURES else "error"
        failures += kind == "failure"
        errors += kind == "error"
        node = ET.SubElement(
            case,
            kind,
            type=test.verdict.value,
            message=xml_safe(test.message or test.verdict.description),
        )
        node.text = xml_safe(_details(test))
    if submission.verdict in (Verdict.CE, Verdict.IE) and not count:
        case = ET.SubElement(
            suite, "testcase", classname=xml_safe(submission.problem), name="judge", time="0.000"
        )
        verdict = submission.verdict
        node = ET.SubElement(case, "error", type=verdict.value, message=verdict.description)
        node.text = xml_safe(submission.compile_output or submission.message)
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
        ET.SubElement(props, "property", name=key, value=xml_safe(value))
    ET.indent(suite)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
    )
