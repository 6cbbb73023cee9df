"""Domain exceptions of the service and their one mapping to HTTP.

    ServiceError                    code, HTTP status, message, details
    +-- Unauthenticated   401       no or bad credentials
    +-- Forbidden         403       authenticated but not allowed (role, scope, CSRF)
    +-- NotFound          404       absent, or hidden from this caller
    +-- Conflict          409       e.g. username taken, judge lease lost
    +-- PayloadTooLarge   413       source or upload over its cap
    +-- InvalidInput      422       a well-formed request the domain refuses
    |   +-- BadPackage    422       an uploaded package failed unpacking or validation
    +-- RateLimited       429       with Retry-After
    +-- Unavailable       503

Lower layers raise their own errors (`graders.errors.ProblemFormatError`,
`sandbox.languages.base.UnknownLanguage`); `install_handlers` maps those too, and
FastAPI's validation errors and Starlette's 404/405, so every error body has the
shape `{"error": {"code", "message", "details"}}`.

A database that cannot be reached (SQLAlchemy's `OperationalError`: connection refused
or cut, e.g. PostgreSQL restarting; `TimeoutError`: the pool found no connection in
time) is 503 `database_unavailable` with `Retry-After`, not 500: nothing is wrong with
the request, and clients (the judgehost, the CLI) retry 5xx. The pool's pre-ping
replaces dead connections, so the next request after the database is back succeeds.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from graders import ProblemFormatError, UnsupportedLanguage
from sandbox import UnknownLanguage

log = logging.getLogger(__name__)


class ServiceError(Exception):
    status_code = 500
    code = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details
        self.headers = headers or {}


class Unauthenticated(ServiceError):
    status_code, code = 401, "unauthenticated"


class Forbidden(ServiceError):
    status_code, code = 403, "forbidden"


class NotFound(ServiceError):
    status_code, code = 404, "not_found"


class Conflict(ServiceError):
    status_code, code = 409, "conflict"


class PayloadTooLarge(ServiceError):
    status_code, code = 413, "too_large"


class InvalidInput(ServiceError):
    status_code, code = 422, "invalid"


class BadPackage(InvalidInput):
    code = "bad_package"


class RateLimited(ServiceError):
    status_code, code = 429, "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(
            message, details={"retry_after": retry_after}, headers={"Retry-After": str(retry_after)}
        )


class Unavailable(ServiceError):
    status_code, code = 503, "unavailable"


# What a database that cannot be reached raises through SQLAlchemy.
DATABASE_DOWN = (OperationalError, PoolTimeout)
DATABASE_RETRY_AFTER_S = 5


def database_unavailable() -> Unavailable:
    return Unavailable(
        "the database is unreachable; retry in a few seconds",
        code="database_unavailable",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
    )


# --- OpenAPI: the error body, and a helper for each route's `responses=` -------------


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    error: ErrorBody


_DESCRIPTIONS = {
    400: "Malformed request",
    401: "Not signed in, or a bad token",
    403: "Not allowed for this role or token scope, or a missing CSRF token",
    404: "No such resource (or hidden from the caller)",
    409: "Conflict with the current state",
    413: "Body or source over the size limit",
    422: "Invalid input",
    429: "Too many requests; retry after `Retry-After` seconds",
    503: "A dependency is unavailable",
}


def error_responses(*statuses: int, body: bool = False) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries documenting the error body for each status.

    `body=True` is for routes that read a request body: any of them may answer 400
    (bytes FastAPI cannot parse, e.g. JSON that is not UTF-8) or 413 (over the cap
    that `BodySizeLimit` applies to every request), so both belong in their contract.
    """
    codes = sorted({*statuses, 400, 413} if body else set(statuses))
    return {s: {"model": ErrorResponse, "description": _DESCRIPTIONS[s]} for s in codes}


# --- mapping ---------------------------------------------------------------------------


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The one shape of every error answer (middleware that answers early uses it too)."""
    return {"error": {"code": code, "message": message, "details": jsonable_encoder(details)}}


def _status_code_name(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def problem_details(exc: ProblemFormatError) -> dict[str, Any]:
    """A malformed package's `details`: the first problem's `file` and `field`, and
    `problems`, every one the loader found (file, field, message)."""
    return {
        "file": exc.file,
        "field": exc.field,
        "problems": [problem.model_dump(exclude={"severity"}) for problem in exc.problems],
    }


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service(_: Request, exc: ServiceError) -> JSONResponse:
        return JSONResponse(
            error_body(exc.code, exc.message, exc.details), exc.status_code, headers=exc.headers
        )

    @app.exception_handler(ProblemFormatError)
    async def _package(_: Request, exc: ProblemFormatError) -> JSONResponse:
        return JSONResponse(error_body("bad_package", str(exc), problem_details(exc)), 422)

    @app.exception_handler(UnknownLanguage)
    @app.exception_handler(UnsupportedLanguage)
    async def _language(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_body("unknown_language", str(exc)), 422)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"] if p != "body")
        message = f"{where}: {first['msg']}" if where else str(first["msg"])
        return JSONResponse(error_body("validation_error", message, errors), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return JSONResponse(
            error_body(getattr(exc, "code", None) or _status_code_name(exc.status_code), message),
            exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    async def _database(request: Request, exc: Exception) -> JSONResponse:
        return await _service(request, _database_down(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Also reached from middleware (outside the handlers above), hence the check.
        if isinstance(exc, DATABASE_DOWN):
            return await _service(request, _database_down(exc))
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(error_body("internal_error", "internal server error"), 500)


def _database_down(exc: Exception) -> Unavailable:
    # one line, not a traceback: the cause is outside the process
    log.warning("database unavailable: %s", str(exc).splitlines()[0] if str(exc) else exc)
    return database_unavailable()
