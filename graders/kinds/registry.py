"""Problem kinds by type. A kind module calls `register_kind(instance)` at import;
adding one touches its own file plus one import line in `graders/kinds/__init__.py`."""

from __future__ import annotations

from typing import TypeVar

from graders.errors import ProblemFormatError
from graders.kinds.base import ProblemKind
from graders.package.model import ProblemType

_KINDS: dict[ProblemType, ProblemKind] = {}
K = TypeVar("K", bound=ProblemKind)


def register_kind(kind: K) -> K:
    _KINDS[kind.type] = kind
    return kind


def get_kind(problem_type: ProblemType | str) -> ProblemKind:
    try:
        return _KINDS[ProblemType(problem_type)]
    except (KeyError, ValueError):
        known = ", ".join(sorted(_KINDS))
        raise ProblemFormatError(
            f"problem type {str(problem_type)!r} is not supported here (supported: {known})",
            file="problem.yaml",
            field="type",
        ) from None


def kind_types() -> list[ProblemType]:
    return sorted(_KINDS)
