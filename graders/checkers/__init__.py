"""Output checkers, one module each, behind a registry keyed by the name used in
`problem.yaml` (`checker.name`)."""

from graders.checkers.base import CheckContext, Checker, CheckResult
from graders.checkers.registry import checker_names, get_checker, register_checker

from graders.checkers import custom, exact, floats, jsonvalue, kernel, tensor, tokens  # noqa: E402,F401  isort: skip

__all__ = [
    "CheckContext",
    "CheckResult",
    "Checker",
    "checker_names",
    "get_checker",
    "register_checker",
]
