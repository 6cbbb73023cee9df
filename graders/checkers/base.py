"""The plugin interface of a checker: compare a run's output with the expected answer.

Checkers run on the judgehost, outside the sandbox (custom `checker.py` runs in a
sandbox of its own). `feedback` holds summaries that are safe to show even for
hidden tests (errors, shapes); `message` is a short learner-facing sentence that
may quote values only when `visible` is true.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from graders.verdict import Verdict

if TYPE_CHECKING:
    from graders.package.types import Package
    from sandbox import Sandbox


@dataclass(frozen=True)
class CheckResult:
    verdict: Verdict  # AC or WA (IE when the checker itself failed)
    message: str = ""
    feedback: dict[str, Any] = field(default_factory=dict)
    score: float | None = None  # fraction in [0, 1] for partial credit; None = all or nothing
    # For IE only: True when retrying may help (a sandbox failed); False when the
    # same output would fail the same way again (a checker crashed on it).
    transient: bool = False


@dataclass(frozen=True)
class CheckContext:
    input: bytes
    answer: bytes
    output: bytes
    visible: bool
    options: dict[str, Any]
    # Only checkers that run instructor code (custom) need these.
    package: Package | None = None
    sandbox: Sandbox | None = None


class Checker(Protocol):
    name: str

    def check(self, ctx: CheckContext) -> CheckResult: ...


class CheckerOptions(BaseModel):
    """The base of a checker's options model: an option it does not know is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@runtime_checkable
class DeclaresOptions(Protocol):
    """A checker whose `checker.options` in problem.yaml are validated when the package
    loads (checkers whose options come from the kind's own spec, like `tensor`, have
    none: the spec is validated instead)."""

    Options: ClassVar[type[CheckerOptions]]


def shorten(text: str, limit: int = 80) -> str:
    """A value quoted in a message for a visible test, cut to a readable length."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
