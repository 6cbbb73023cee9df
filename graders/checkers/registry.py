"""Checkers by name, in a `Registry`. A checker module calls `register_checker(instance)`
at import; adding one touches its own file plus one import line in
`graders/checkers/__init__.py`."""

from __future__ import annotations

from typing import TypeVar

from graders.checkers.base import Checker
from graders.errors import UnknownChecker
from sandbox.plugins import Registry

C = TypeVar("C", bound=Checker)


def _unknown(name: str, known: str) -> UnknownChecker:
    return UnknownChecker(f"unknown checker {name!r} (known: {known})", field="checker.name")


CHECKERS: Registry[str, Checker] = Registry(_unknown)


def register_checker(checker: C) -> C:
    CHECKERS.register(checker.name, checker)
    return checker


def get_checker(name: str) -> Checker:
    return CHECKERS.get(name)


def checker_names() -> list[str]:
    return sorted(CHECKERS)
