from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from backend.enums import SubmissionStatus
from backend.schemas.common import RequestBody
from graders import GroupResult, TestResult, Verdict


class SubmissionCreate(RequestBody):
    problem: str = Field(description="problem slug")
    language: str
    source: str
    callback_url: str | None = Field(
        default=None,
        max_length=2000,
        description="http(s) URL to POST the judged result to, signed with the webhook "
        "secret of the submitting token (see docs/ci.md)",
    )


class SubmissionSummary(BaseModel):
    id: int
    problem: str
    language: str
    user: str
    status: SubmissionStatus
    verdict: Verdict | None
    score: float | None
    max_score: float | None
    created_at: datetime
    judged_at: datetime | None


class ScanFinding(BaseModel):
    """One advisory finding of the static scan (`graders.static_scan`)."""

    line: int
    rule: str
    name: str
    why: str


class SubmissionPublic(SubmissionSummary):
    tests: list[TestResult]
    groups: list[GroupResult]
    compile_output: str
    message: str
    source: str
    problem_version: int
    callback_url: str | None = None
    # Advisory: banned names and introspection in the source. Only for those who
    # manage the problem (instructors, admins); null for everyone else.
    integrity_scan: list[ScanFinding] | None = None


def group_results(raw: list[Any]) -> list[GroupResult]:
    return [GroupResult.model_validate(g) for g in raw]


class StatusEvent(BaseModel):
    """The data of an `event: status` line: the submission's new status."""

    status: SubmissionStatus


class SubmissionEvents(BaseModel):
    """The submission event stream's contract, one field per SSE event name: each
    `data:` line is the JSON of the field named by its `event:` line. It is documented
    as the stream's schema so that the frontend's generated types cover every payload
    (OpenAPI has no way to tie an event name to its data's shape)."""

    status: StatusEvent = Field(description="`event: status`, sent when the status changes")
    test: TestResult = Field(
        description="`event: test`, one per stored test; its `id:` orders them (resume "
        "with Last-Event-ID)"
    )
    done: SubmissionPublic = Field(description="`event: done`, the settled submission, last")
