"""The FastAPI application factory.

`create_app(settings)` wires the database, routers, error mapping, request-id
middleware, the read cache, the SPA (when built) and, if enabled, one judgehost
thread in the same process talking to the queue through the in-process transport,
and the sender of webhook deliveries. It never creates tables: migrations do
(`backend.db.migrate`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from backend.api.main import api_router
from backend.api.read_cache import ReadCache
from backend.api.routes import ops
from backend.auth.throttle import LoginThrottle
from backend.db.generation import GenerationReader
from backend.db.kept_connection import KeptConnection
from backend.db.session import make_engine, make_sessionmaker
from backend.errors import NotFound, install_handlers
from backend.limits import BodySizeLimit, ReadAdmission
from backend.logs import RequestContextMiddleware
from backend.metrics import Metrics
from backend.service_sandbox import service_sandbox
from backend.services.runs import RunGate
from backend.services.watch import Notifier
from backend.settings import Settings, get_settings
from sandbox import Sandbox, refuse_degraded, sandbox_settings

log = logging.getLogger(__name__)

_NOT_SPA = ("api/", "healthz", "readyz", "metrics", "docs", "redoc", "openapi.json")


def _mount_spa(app: FastAPI, dist: Path) -> None:
    index = dist / "index.html"
    if not index.is_file():
        return
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")
    root = dist.resolve()

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str) -> FileResponse:
        """Files of the built UI, else index.html so client-side routes load."""
        if path.startswith(_NOT_SPA):
            raise NotFound(f"no route /{path}", code="not_found")
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        return FileResponse(index)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    metrics = Metrics()
    sandbox_settings()  # a bad GRADEBOX_ sandbox variable stops start-up, not an upload

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        thread = None
        if settings.embedded_judgehost:
            from backend.judgehost import start_embedded

            thread = start_embedded(app, stop)
        sender = None
        if settings.webhook_worker:
            from backend.services.webhooks import start_worker

            sender = start_worker(app, stop)
        try:
            yield
        finally:
            stop.set()
            for running in (thread, sender):
                if running is not None:
                    running.join(timeout=10)
            generation.close()
            app.state.marks.close()
            engine.dispose()

    app = FastAPI(
        title="Gradebox",
        version="1",
        summary="Coding practice and auto-grading: problems, submissions, judge queue.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.metrics = metrics
    app.state.notifier = Notifier()
    app.state.marks = KeptConnection(engine)  # watchers' change marks (services/watch.py)
    app.state.run_gate = RunGate(settings, app.state.sessionmaker)
    app.state.login_throttle = LoginThrottle(
        per_account=settings.login_max_failures_per_account,
        per_address=settings.login_max_failures_per_address,
        window_s=settings.login_window_s,
    )

    @cache
    def sandbox() -> Sandbox:
        box = service_sandbox()
        if settings.environment == "production":
            refuse_degraded(box)  # bwrap without root only if a sandbox setting allows it
        return box

    app.state.sandbox = sandbox
    install_handlers(app)
    generation = GenerationReader(engine)
    app.add_middleware(  # inside the read cache: a hit never waits for a turn
        ReadAdmission,
        max_in_flight=settings.read_max_in_flight,
        max_wait_s=settings.read_max_wait_s,
    )
    app.add_middleware(  # inside the request-id middleware: a hit is still logged and counted
        ReadCache,
        generation=generation,
        max_bytes=settings.read_cache_bytes,
        max_age_s=settings.read_cache_max_age_s,
    )
    app.add_middleware(
        BodySizeLimit,
        default=settings.max_body_bytes,
        uploads=settings.max_upload_bytes + 1024 * 1024,  # room for the multipart framing
    )
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    app.include_router(ops.router)
    app.include_router(api_router)
    _mount_spa(app, settings.frontend_dist)
    return app
