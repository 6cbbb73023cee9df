"""A learner's timed kernel submissions, per shape, against their previous best."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ShapeHistory(BaseModel):
    """One shape/dtype of one timed submission, and the best that came before it."""

    shape: str = Field(description='"<M>x<N>-<dtype>", as the timing row names it')
    combined_ms: float | None = Field(description="median forward + backward time")
    speedup: float = Field(description="combined speedup over F.layer_norm")
    previous_best_speedup: float | None = Field(
        description="the best speedup on this shape among the learner's earlier timed "
        "submissions on the same GPU model; null the first time"
    )
    previous_best_ms: float | None
    previous_best_submission_id: int | None
    change: float | None = Field(
        description="speedup / previous best - 1: positive is an improvement; null the first time"
    )


class KernelHistoryEntry(BaseModel):
    submission_id: int
    created_at: datetime
    gpu: str | None = Field(description="the GPU model it was timed on")
    score: float | None = Field(description="geometric mean of the combined speedups")
    shapes: list[ShapeHistory]
