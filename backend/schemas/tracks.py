"""Tracks: problems in a learning order (`track:` in problem.yaml), with the caller's progress."""

from __future__ import annotations

from pydantic import BaseModel, Field

from backend.schemas.problems import ProblemSummary


class TrackSummary(BaseModel):
    id: str
    title: str
    total: int = Field(description="problems the caller can see in the track")
    solved: int = Field(description="of those, solved by the caller (0 when anonymous)")
    next: str | None = Field(description="slug of the first unsolved problem, in track order")


class TrackDetail(TrackSummary):
    problems: list[ProblemSummary] = Field(description="ordered easy to hard")
