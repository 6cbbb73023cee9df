"""Problem packages, checkers, verdicts, and the grading of one submission.

`graders` builds RunSpecs for `sandbox` and compares outputs outside it; it knows
nothing of HTTP or databases.

This module is the package's public API: the backend imports `graders` only from
here (an import-linter contract in `pyproject.toml` enforces it), so everything it
needs is re-exported below, and the submodules may move without touching the backend.
"""

from graders.checkers.tensor import MalformedOutput, load_npz
from graders.errors import GraderError, GradingError, ProblemFormatError, UnsupportedLanguage
from graders.grade import grade_submission
from graders.hints import HintBook
from graders.kattis import import_kattis
from graders.kattis.export import export_kattis
from graders.kernel.device import DeviceInfo
from graders.kernel.device import describe as describe_device
from graders.kernel.scan import scan_dicts as scan_kernel_source
from graders.kernel.timing_run import SCORE_ROW as TIMING_SCORE_ROW
from graders.kernel.timing_run import TIMING_GROUP
from graders.kinds import get_kind
from graders.kinds.base import ChecksTests
from graders.package.files import read_file
from graders.package.files import scan as scan_files
from graders.package.generate import GENERATOR_LIMITS, GeneratedInput, reference_answers
from graders.package.loader import load_package
from graders.package.model import Difficulty, GroupSpec, ProblemType, Visibility
from graders.package.types import Package, TestCase
from graders.results import GradeResult, GroupResult, ShownData, TestResult
from graders.runner import resolve_language
from graders.scaffold import scaffold as scaffold_problem
from graders.settings import get_settings
from graders.static_scan import scan_dicts as scan_source
from graders.submissions import EXTENSIONS
from graders.validate import ValidationReport, validate_package
from graders.verdict import Verdict
from graders.warm_pool import pooled

__all__ = [
    "EXTENSIONS",
    "GENERATOR_LIMITS",
    "ChecksTests",
    "DeviceInfo",
    "Difficulty",
    "GeneratedInput",
    "GradeResult",
    "GraderError",
    "GradingError",
    "GroupResult",
    "GroupSpec",
    "HintBook",
    "MalformedOutput",
    "Package",
    "ProblemFormatError",
    "ProblemType",
    "ShownData",
    "TestCase",
    "TestResult",
    "UnsupportedLanguage",
    "ValidationReport",
    "Verdict",
    "Visibility",
    "describe_device",
    "export_kattis",
    "get_kind",
    "get_settings",
    "grade_submission",
    "import_kattis",
    "load_npz",
    "load_package",
    "pooled",
    "read_file",
    "reference_answers",
    "resolve_language",
    "scaffold_problem",
    "scan_files",
    "scan_kernel_source",
    "TIMING_GROUP",
    "TIMING_SCORE_ROW",
    "scan_source",
    "validate_package",
]
