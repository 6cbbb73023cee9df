from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from backend.enums import Difficulty, ProblemType, Visibility
from backend.schemas.common import RequestBody
from graders import ValidationReport


class TrackPosition(BaseModel):
    id: str
    position: int


class ProblemSummary(BaseModel):
    slug: str
    name: str
    type: ProblemType
    difficulty: Difficulty
    tags: list[str]
    visibility: Visibility
    solved: bool = False
    attempted: bool = False
    track: TrackPosition | None = None


class SampleFormat(StrEnum):
    TEXT = "text"  # stdio: shown as is
    JSON = "json"  # function problems: `{"args", "kwargs"}` or the return value
    NPZ = "npz"  # tensor problems: named arrays
    BINARY = "binary"  # anything else that is not UTF-8 text


class SampleArray(BaseModel):
    name: str
    shape: list[int]
    dtype: str
    preview: str = Field(description="NumPy-style text, elided in the middle when large")


class SamplePart(BaseModel):
    """One side (input or expected output) of a sample."""

    format: SampleFormat
    size: int = Field(description="bytes of the file")
    text: str | None = Field(default=None, description="the text, for text and json samples")
    arrays: list[SampleArray] = Field(default_factory=list)


class Sample(BaseModel):
    name: str
    input: str = Field(description="the input as text (binary files: a placeholder)")
    output: str
    input_view: SamplePart
    output_view: SamplePart
    python: str | None = Field(default=None, description="a snippet that builds the inputs")
    custom_input: str | None = Field(
        None, description="the input as the Run panel's custom input takes it"
    )


class LimitsPublic(BaseModel):
    time_s: float
    memory_mb: int


class LanguagePublic(BaseModel):
    id: str
    name: str
    editor_mode: str


class ProblemDetail(ProblemSummary):
    statement_md: str = Field(description="the statement in `statement_language`")
    statement_language: str = Field(description="the language of `statement_md`")
    statement_languages: list[str] = Field(
        description="every language the statement exists in (sorted), for `?lang=`"
    )
    samples: list[Sample]
    limits: LimitsPublic
    languages: list[LanguagePublic]
    templates: dict[str, str]
    editorial_md: str | None = Field(
        default=None, description="null until the caller has solved it"
    )
    version: int
    generators: list[str] = Field(
        default_factory=list,
        description="the package's generators (`script args`), for runs on generated input",
    )


class ProblemUpdate(RequestBody):
    visibility: Visibility


class ProblemVersionPublic(BaseModel):
    slug: str
    version: int
    content_hash: str
    report: ValidationReport | None
    created: bool = Field(description="false when the package equals the current version")


class LeaderboardRow(BaseModel):
    user: str
    speedup: float
    gbps: float | None = None
    gpu: str | None = None
    submission_id: int
