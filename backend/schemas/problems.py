from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from backend.schemas.common import RequestBody


class Visibility(StrEnum):
    PUBLIC = "public"
    HIDDEN = "hidden"


class ProblemSummary(BaseModel):
    slug: str
    name: str
    type: str
    difficulty: str
    tags: list[str]
    visibility: Visibility
    solved: bool = False
    attempted: bool = False


class Sample(BaseModel):
    name: str
    input: str
    output: str


class LimitsPublic(BaseModel):
    time_s: float
    memory_mb: int


class LanguagePublic(BaseModel):
    id: str
    name: str
    editor_mode: str


class ProblemDetail(ProblemSummary):
    statement_md: str
    samples: list[Sample]
    limits: LimitsPublic
    languages: list[LanguagePublic]
    templates: dict[str, str]
    editorial_md: str | None = Field(None, description="null until the caller has solved it")
    version: int


class ProblemUpdate(RequestBody):
    visibility: Visibility


class ProblemVersionPublic(BaseModel):
    slug: str
    version: int
    content_hash: str
    report: dict[str, Any] | None
    created: bool = Field(description="false when the package equals the current version")


class LeaderboardRow(BaseModel):
    user: str
    speedup: float
    gbps: float | None = None
    gpu: str | None = None
    submission_id: int
