"""Checking JUnit XML the way CI parsers read it: well-formed XML 1.0, valid against
the Jenkins/Surefire `junit-10.xsd` (tests/schemas/, see its header for the source),
with counts that match the test cases."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import xmlschema

SCHEMA = Path(__file__).parent / "schemas" / "junit-10.xsd"


@cache
def _schema() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(SCHEMA))


def check_junit(xml: str) -> ElementTree.Element:
    """Parse and validate `xml`; return the <testsuite> after checking its counts."""
    root = ElementTree.fromstring(xml.encode("utf-8"))  # raises on invalid characters
    _schema().validate(xml)
    assert root.tag == "testsuite"
    cases = root.findall("testcase")
    assert int(root.get("tests", "-1")) == len(cases)
    assert int(root.get("failures", "-1")) == len(root.findall("testcase/failure"))
    assert int(root.get("errors", "-1")) == len(root.findall("testcase/error"))
    return root
