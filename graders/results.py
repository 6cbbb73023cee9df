"""What grading reports: one TestResult per test, one GradeResult per submission.

These are plain data that the backend stores and serves. `visible` marks sample
tests, whose input/expected/actual/stderr may be shown; hidden tests carry only the
verdict, resources and numeric `feedback` summaries (never outputs).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from graders.verdict import Verdict


class ShownData(BaseModel):
    """What a shown file (a sample's input, expected or actual output) is: text, shown
    in the matching `TestResult` field (capped), or binary (an .npz, say), of which the
    field holds only a placeholder. Clients read this, never the placeholder."""

    binary: bool
    size: int = Field(description="bytes of the whole file, before any cap")


class TestResult(BaseModel):
    __test__ = False  # not a pytest class

    name: str  # e.g. "sample/01", "large/03"
    group: str
    verdict: Verdict
    time_ms: int = 0
    memory_kb: int = 0
    visible: bool = False
    # Short learner-facing explanation ("expected 5, got 4", "uses banned module torch").
    message: str = ""
    # Numeric summaries safe for hidden tests: max_abs_err, max_rel_err, shapes...
    feedback: dict[str, Any] = Field(default_factory=dict)
    # A targeted hint (problem.yaml `hints`) when the failure matches a known mistake.
    hint: str | None = None
    # Only for visible tests (samples): capped texts.
    input: str | None = None
    expected: str | None = None
    actual: str | None = None
    stderr: str | None = None
    input_view: ShownData | None = None
    expected_view: ShownData | None = None
    actual_view: ShownData | None = None

    def redacted(self) -> TestResult:
        """This result as a learner may see it: a hidden test keeps its verdict, time,
        memory, message and numeric feedback, never its texts (DESIGN section 3). The
        one place hidden-test output is dropped: the judge stores and the API answers
        only redacted results."""
        if self.visible:
            return self
        return self.model_copy(update=dict.fromkeys(_TEXTS))


_TEXTS = (
    "input",
    "expected",
    "actual",
    "stderr",
    "input_view",
    "expected_view",
    "actual_view",
)


class GroupResult(BaseModel):
    name: str
    verdict: Verdict
    score: float
    max_score: float


class GradeResult(BaseModel):
    verdict: Verdict
    score: float
    max_score: float
    tests: list[TestResult] = Field(default_factory=list)
    groups: list[GroupResult] = Field(default_factory=list)
    compile_output: str = ""  # compiler message for CE
    message: str = ""  # e.g. IE reason; for kernels, why timing waits
    # For an IE verdict: False when this submission would fail the same way again
    # (the judge queue then records IE at once instead of retrying).
    retryable: bool = True
    # Kernel problems: "needs_gpu" (correct on CPU, timing waits for a GPU judgehost),
    # "timed", "refused" (a timing check failed); None for other types.
    timing: str | None = None
    # Kernel problems: the advisory static scan (`graders.kernel.scan`), for instructors.
    advisories: list[str] = Field(default_factory=list)
