"""The plugin interface of a problem type.

A kind decides what goes into the sandbox workdir and how a test is run; every
test's input arrives on stdin and the value to judge leaves on stdout. For
`function`/`tensor` the harness moves the learner's own prints to stderr, so stdout
carries only the serialised result. Comparison happens outside, in a checker.
"""

from __future__ import annotations

from typing import Protocol

from graders.package.model import ProblemType
from graders.package.types import Package
from sandbox.languages import Language


class ProblemKind(Protocol):
    type: ProblemType
    default_checker: str

    def workdir_files(self, package: Package, source: str, language: Language) -> dict[str, bytes]:
        """Files for the sandbox: the learner's source and, for harnessed types, the harness."""
        ...

    def run_argv(self, package: Package, language: Language) -> tuple[str, ...]:
        """The command that runs one test (after the language's compile step, if any)."""
        ...
