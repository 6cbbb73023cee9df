"""Problem packages: the `problem.yaml` model and loading a package from disk."""

from graders.package.model import (
    CheckerSpec,
    GeneratorSpec,
    GroupSpec,
    Limits,
    ProblemSpec,
    ProblemType,
    TensorSpec,
)

__all__ = [
    "CheckerSpec",
    "GeneratorSpec",
    "GroupSpec",
    "Limits",
    "ProblemSpec",
    "ProblemType",
    "TensorSpec",
]
