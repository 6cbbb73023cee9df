from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from backend.enums import DeliveryState


class DeliveryAttempt(BaseModel):
    at: datetime
    status: int | None  # the HTTP status, None when no answer came (or it was refused)
    error: str


class DeliveryPublic(BaseModel):
    id: int
    submission_id: int
    url: str
    event: str
    state: DeliveryState
    attempts: int
    last_status: int | None
    last_error: str
    history: list[DeliveryAttempt]
    next_attempt_at: datetime | None  # while pending
    created_at: datetime
    delivered_at: datetime | None
