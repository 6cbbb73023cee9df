"""The judgehost protocol (DESIGN.md section 5), shared by the REST routes, the HTTP
transport and the in-process transport."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from backend.enums import JobState, Verdict
from backend.schemas.common import RequestBody
from graders import GradeResult, TestResult


class ClaimRequest(RequestBody):
    judgehost: str = Field(min_length=1, max_length=100)
    capabilities: list[str] = Field(default_factory=lambda: ["cpu"], min_length=1)


class JobPublic(BaseModel):
    job_id: int
    lease_id: str
    lease_expires_at: datetime
    lease_s: float
    attempt: int
    submission_id: int
    problem: str
    package_hash: str
    language: str
    source: str


class LeaseRequest(RequestBody):
    lease_id: str


class LeasePublic(BaseModel):
    lease_expires_at: datetime


class ResultsRequest(LeaseRequest):
    results: list[TestResult]


class ResultsAccepted(BaseModel):
    stored: int


class FinishRequest(LeaseRequest):
    result: GradeResult | None = None
    error: str | None = Field(default=None, description="the judgehost failed; the job is retried")


class FinishPublic(BaseModel):
    state: JobState = Field(description="done, or queued when the job is retried after an error")
    verdict: Verdict | None
