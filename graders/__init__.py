"""Problem packages, checkers, verdicts, and the grading of one submission.

`graders` builds RunSpecs for `sandbox` and compares outputs outside it; it knows
nothing of HTTP or databases.
"""

from graders.errors import GraderError, GradingError, ProblemFormatError, UnsupportedLanguage
from graders.grade import grade_submission
from graders.package.loader import load_package
from graders.results import GradeResult, GroupResult, TestResult
from graders.validate import ValidationReport, validate_package
from graders.verdict import Verdict

__all__ = [
    "GradeResult",
    "GraderError",
    "GradingError",
    "GroupResult",
    "ProblemFormatError",
    "TestResult",
    "UnsupportedLanguage",
    "ValidationReport",
    "Verdict",
    "grade_submission",
    "load_package",
    "validate_package",
]
