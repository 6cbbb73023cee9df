from __future__ import annotations

from pydantic import BaseModel


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str  # ok | degraded
    database: bool
    queue_depth: int
    running: int
    judgehosts: int
    # Why the judge's sandbox isolates less than its normal mode (bwrap without root).
    sandbox_degraded: str | None = None
