"""Liveness, readiness and Prometheus metrics (no `/api/v1` prefix, no auth)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import text

from backend.api.deps import MetricsDep, SettingsDep
from backend.schemas.ops import Health, Readiness
from backend.services import judge as judge_service
from sandbox import SandboxError, degraded

router = APIRouter(tags=["ops"])
log = logging.getLogger(__name__)


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is up (no dependency is checked)."""
    return Health(status="ok")


def _stats(request: Request, settings: SettingsDep) -> dict[str, int] | None:
    try:
        with request.app.state.sessionmaker() as session:
            session.execute(text("SELECT 1"))
            return judge_service.queue_stats(session=session, settings=settings)
    except Exception as exc:  # any failure means "not ready", and is worth a log line
        log.warning("readiness: database check failed: %s", exc)
        return None


def _sandbox_degraded(request: Request) -> str | None:
    try:
        return degraded(request.app.state.sandbox())
    except SandboxError as exc:
        return f"no sandbox: {exc}"


@router.get(
    "/readyz",
    response_model=Readiness,
    response_model_exclude_none=True,
    responses={503: {"model": Readiness, "description": "The database is unreachable"}},
)
def readyz(request: Request, settings: SettingsDep) -> Readiness | JSONResponse:
    """Database reachable, queue depth, and judgehosts heard from recently."""
    stats = _stats(request, settings)
    if stats is None:
        body = Readiness(
            status="unavailable", database=False, queue_depth=0, running=0, judgehosts=0
        )
        return JSONResponse(body.model_dump(), status_code=503)
    sandbox_note = _sandbox_degraded(request)
    return Readiness(
        status="ok" if stats["judgehosts"] and not sandbox_note else "degraded",
        database=True,
        queue_depth=stats["queued"],
        running=stats["running"],
        judgehosts=stats["judgehosts"],
        sandbox_degraded=sandbox_note,
    )


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain; version=0.0.4": {}}, "description": "Prometheus"}},
)
def metrics(request: Request, settings: SettingsDep, metrics: MetricsDep) -> Response:
    stats = _stats(request, settings) or {}
    gauges = {
        "gradebox_up": ("1 when the database answers.", 1.0 if stats else 0.0),
        "gradebox_queue_depth": ("Jobs waiting for a judgehost.", stats.get("queued", 0)),
        "gradebox_jobs_running": ("Jobs being judged.", stats.get("running", 0)),
        "gradebox_judgehosts_active": (
            "Judgehosts heard from recently.",
            stats.get("judgehosts", 0),
        ),
    }
    return PlainTextResponse(
        metrics.render(gauges), media_type="text/plain; version=0.0.4; charset=utf-8"
    )
