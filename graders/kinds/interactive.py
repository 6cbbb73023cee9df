"""`interactive`: the learner's program talks with the package's interactor over
stdin/stdout; the program runs like a `stdio` one, the interactor in a sandbox of
its own (see `graders.interactive`)."""

from __future__ import annotations

from graders.kinds.registry import register_kind
from graders.kinds.stdio import StdioKind
from graders.package.model import ProblemType


class InteractiveKind(StdioKind):
    type = ProblemType.INTERACTIVE


register_kind(InteractiveKind())
