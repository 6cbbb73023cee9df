"""Problem types (`stdio`, `function`, `tensor`, ...), one module each, behind a
registry keyed by `ProblemType`."""

from graders.kinds.base import ProblemKind, hidden_modules, warm_preload
from graders.kinds.registry import get_kind, kind_types, learner_filename, register_kind

from graders.kinds import function, interactive, kernel, stdio, tensor  # noqa: E402,F401  isort: skip

__all__ = [
    "ProblemKind",
    "get_kind",
    "hidden_modules",
    "kind_types",
    "learner_filename",
    "register_kind",
    "warm_preload",
]
