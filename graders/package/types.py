"""A loaded package and its tests, as the rest of `graders` sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graders.package.model import ProblemSpec


@dataclass(frozen=True, slots=True)
class TestCase:
    __test__ = False  # not a pytest class

    name: str  # "sample/01", "large/gen-3"
    group: str
    input: bytes
    answer: bytes
    visible: bool  # sample tests are shown to learners in full
    source: str = ""  # where it came from: "data/sample/01.in", "generators/gen.py 7"


@dataclass(frozen=True)
class Package:
    root: Path
    slug: str
    spec: ProblemSpec
    statement: str
    content_hash: str  # sha256 over every file of the package, path-sorted
    editorial: str | None = None
    templates: dict[str, str] = field(default_factory=dict)  # language id -> starter code
    tests: tuple[TestCase, ...] = ()  # sample + secret + generated, in group order
    # Every statement by language code, `statement` under spec.statement_language
    # included, so callers never special-case the default (see loader._read_statements).
    statements: dict[str, str] = field(default_factory=dict)
