"""Exceptions of the grading layer.

GraderError
+-- ProblemFormatError   a package is malformed: every problem found, each naming its
|   |                    file and field (`problems`, collected by graders.diagnostics)
|   +-- UnknownChecker   problem.yaml names a checker no module registers
+-- UnsupportedLanguage  the problem does not accept a submission's language
+-- GradingError         grading could not complete (becomes verdict IE)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from graders.diagnostics import Diagnostic


class GraderError(Exception):
    pass


class ProblemFormatError(GraderError):
    """`file`, `field` and `reason` are those of the first problem; `problems` holds
    them all (one, unless raised through `Diagnostics.raise_errors`)."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        field: str | None = None,
        problems: Sequence[Diagnostic] = (),
    ) -> None:
        self.problems = list(problems) or [
            Diagnostic(severity="error", message=message, file=file, field=field)
        ]
        first = self.problems[0]
        self.file, self.field, self.reason = first.file, first.field, first.message
        # The first problem leads (as when it is the only one), the others follow.
        super().__init__("; ".join(str(problem) for problem in self.problems))

    @classmethod
    def collected(cls, problems: Sequence[Diagnostic]) -> Self:
        """The error for the problems a `Diagnostics` collected (at least one)."""
        return cls(problems[0].message, problems=problems)


class UnknownChecker(ProblemFormatError):
    pass


class UnsupportedLanguage(GraderError):
    pass


class GradingError(GraderError):
    pass
