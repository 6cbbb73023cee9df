"""Exceptions of the grading layer.

GraderError
+-- ProblemFormatError   a package is malformed (names the file and field)
|   +-- UnknownChecker   problem.yaml names a checker no module registers
+-- UnsupportedLanguage  the problem does not accept a submission's language
+-- GradingError         grading could not complete (becomes verdict IE)
"""

from __future__ import annotations


class GraderError(Exception):
    pass


class ProblemFormatError(GraderError):
    def __init__(self, message: str, *, file: str | None = None, field: str | None = None) -> None:
        self.file = file
        self.field = field
        self.reason = message
        where = ": ".join(part for part in (file, field) if part)
        super().__init__(f"{where}: {message}" if where else message)


class UnknownChecker(ProblemFormatError):
    pass


class UnsupportedLanguage(GraderError):
    pass


class GradingError(GraderError):
    pass
