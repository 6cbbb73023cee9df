"""Problem packages: the `problem.yaml` model and loading a package from disk."""

from graders.package.model import (
    CallSpec,
    CheckerSpec,
    GeneratorSpec,
    GroupSpec,
    Limits,
    ProblemSpec,
    ProblemType,
)

__all__ = [
    "CallSpec",
    "CheckerSpec",
    "GeneratorSpec",
    "GroupSpec",
    "Limits",
    "ProblemSpec",
    "ProblemType",
]
