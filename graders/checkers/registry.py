"""Checkers by name. A checker module calls `register_checker(instance)` at import;
adding one touches its own file plus one import line in `graders/checkers/__init__.py`."""

from __future__ import annotations

from typing import TypeVar

from graders.checkers.base import Checker
from graders.errors import UnknownChecker

_CHECKERS: dict[str, Checker] = {}
C = TypeVar("C", bound=Checker)


def register_checker(checker: C) -> C:
    _CHECKERS[checker.name] = checker
    return checker


def get_checker(name: str) -> Checker:
    try:
        return _CHECKERS[name]
    except KeyError:
        known = ", ".join(sorted(_CHECKERS))
        raise UnknownChecker(
            f"unknown checker {name!r} (known: {known})", field="checker.name"
        ) from None


def checker_names() -> list[str]:
    return sorted(_CHECKERS)
