"""Liveness, readiness and Prometheus metrics (no `/api/v1` prefix).

`/healthz` and `/readyz` need no credential; `/metrics` in production answers only
an admin (a scraper's admin token with the `read` scope) unless
`GRADEBOX_METRICS_PUBLIC` says anonymous scrapers may read it.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import text

from backend.api.deps import (
    MetricsDep,
    MetricsReader,
    SandboxDep,
    SessionFactoryDep,
    SettingsDep,
)
from backend.metrics import CONTENT_TYPE
from backend.schemas.ops import Health, Readiness
from backend.services import judge as judge_service
from sandbox import SandboxError, degraded

router = APIRouter(tags=["ops"])
log = logging.getLogger(__name__)


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is up (no dependency is checked)."""
    return Health(status="ok")


def _stats(sessions: SessionFactoryDep, settings: SettingsDep) -> dict[str, int] | None:
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
            return judge_service.queue_stats(session=session, settings=settings)
    except Exception as exc:  # any failure means "not ready", and is worth a log line
        log.warning("readiness: database check failed: %s", exc)
        return None


def _sandbox_degraded(sandbox: SandboxDep) -> str | None:
    try:
        return degraded(sandbox())
    except SandboxError as exc:
        return f"no sandbox: {exc}"


@router.get(
    "/readyz",
    response_model=Readiness,
    response_model_exclude_none=True,
    responses={503: {"model": Readiness, "description": "The database is unreachable"}},
)
def readyz(
    sessions: SessionFactoryDep, settings: SettingsDep, sandbox: SandboxDep
) -> Readiness | JSONResponse:
    """Database reachable, queue depth, and judgehosts heard from recently."""
    stats = _stats(sessions, settings)
    if stats is None:
        body = Readiness(
            status="unavailable", database=False, queue_depth=0, running=0, judgehosts=0
        )
        return JSONResponse(body.model_dump(), status_code=503)
    sandbox_note = _sandbox_degraded(sandbox)
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
def metrics(
    sessions: SessionFactoryDep, settings: SettingsDep, metrics: MetricsDep, _reader: MetricsReader
) -> Response:
    stats = _stats(sessions, settings) or {}
    gauges = {
        "gradebox_up": 1.0 if stats else 0.0,
        "gradebox_queue_depth": stats.get("queued", 0),
        "gradebox_jobs_running": stats.get("running", 0),
        "gradebox_judgehosts_active": stats.get("judgehosts", 0),
    }
    return PlainTextResponse(metrics.render(gauges), media_type=CONTENT_TYPE)
