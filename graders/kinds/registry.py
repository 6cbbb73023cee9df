"""Problem kinds by type, in a `Registry`. A kind module calls `register_kind(instance)`
at import; adding one touches its own file plus one import line in
`graders/kinds/__init__.py`."""

from __future__ import annotations

from typing import TypeVar

from graders.errors import ProblemFormatError
from graders.kinds.base import ProblemKind
from graders.package.model import ProblemType
from graders.package.types import Package
from sandbox.languages import Language
from sandbox.plugins import Registry

K = TypeVar("K", bound=ProblemKind)


def _unknown(problem_type: ProblemType, known: str) -> ProblemFormatError:
    return ProblemFormatError(
        f"problem type {str(problem_type)!r} is not supported here (supported: {known})",
        file="problem.yaml",
        field="type",
    )


KINDS: Registry[ProblemType, ProblemKind] = Registry(_unknown)


def register_kind(kind: K) -> K:
    KINDS.register(kind.type, kind)
    return kind


def get_kind(problem_type: ProblemType | str) -> ProblemKind:
    try:
        key = ProblemType(problem_type)
    except ValueError:
        raise _unknown(problem_type, ", ".join(sorted(KINDS))) from None  # type: ignore[arg-type]
    return KINDS.get(key)


def kind_types() -> list[ProblemType]:
    return sorted(KINDS)


def learner_filename(package: Package, language: Language) -> str:
    """Where the learner's source goes, as the package's kind says."""
    return get_kind(package.spec.type).learner_filename(package, language)
