"""The `/api/v1` router: one module per resource."""

from __future__ import annotations

from fastapi import APIRouter

from backend.api.routes import auth, judge, problems, submissions, tokens, webhooks

api_router = APIRouter(prefix="/api/v1")
for module in (auth, tokens, problems, submissions, judge, webhooks):
    api_router.include_router(module.router)
