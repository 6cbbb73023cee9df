"""Runs: the learner's current code on the samples and on custom input, not graded."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from backend.schemas.common import RequestBody
from graders import TestResult, Verdict

MAX_CUSTOM_INPUT = 1024 * 1024


class ExpectedFrom(StrEnum):
    SAMPLE = "sample"  # the package's sample answer
    REFERENCE = "reference"  # the reference solution's output on the custom input, in the sandbox


class RunGenerator(RequestBody):
    """A custom input made by one of the package's generators with the learner's seed."""

    index: int = Field(ge=0, le=10_000, description="which of `ProblemDetail.generators`")
    seed: int = Field(ge=0, le=2**31 - 1)


class RunCreate(RequestBody):
    problem: str = Field(description="problem slug")
    language: str
    source: str
    samples: bool = Field(True, description="run on every sample")
    custom_input: str | None = Field(
        None,
        max_length=MAX_CUSTOM_INPUT,
        description="stdio: the stdin text; function: a JSON or Python literal of "
        '`{"args": [...], "kwargs": {...}}` or of the argument list; tensor: a literal '
        "dict of input name -> nested lists or numbers (dtypes as in the samples)",
    )
    generator: RunGenerator | None = None


class RunTest(TestResult):
    expected_from: ExpectedFrom | None = None


class RunPublic(BaseModel):
    """Like a submission's result, but nothing is stored: history, the leaderboard and
    solved marks never see a run."""

    problem: str
    language: str
    verdict: Verdict
    tests: list[RunTest]
    compile_output: str = ""
    message: str = ""
