from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from backend.schemas.common import RequestBody


class Scope(StrEnum):
    SUBMIT = "submit"
    READ = "read"
    PROBLEMS_WRITE = "problems:write"
    JUDGE = "judge"  # exclusive: a judge token can claim and report, nothing else


class TokenCreate(RequestBody):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[Scope] = Field(default_factory=lambda: [Scope.SUBMIT, Scope.READ], min_length=1)


class TokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    scopes: list[Scope]
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    token: str  # shown once; only its hash is stored
    # Signs this token's webhook calls (HMAC-SHA256); shown once, like the token.
    webhook_secret: str
