"""The `/api/v1` router: one module per resource."""

from __future__ import annotations

from fastapi import APIRouter

from backend.api.routes import (
    analytics,
    auth,
    judge,
    problems,
    runs,
    submissions,
    tokens,
    tracks,
    webhooks,
)

api_router = APIRouter(prefix="/api/v1")
for module in (auth, tokens, problems, tracks, submissions, runs, analytics, judge, webhooks):
    api_router.include_router(module.router)
