"""Dependencies as named types, so a handler's signature lists what it needs.

Those that only read the app's state or check a principal already resolved are
`async`: FastAPI runs a plain `def` dependency on its thread pool, a hop (and a
thread switch) per dependency per request; those that touch the database stay
`def`.

Credentials: `Authorization: Bearer <token>` wins over the session cookie. Cookie
authenticated requests that change state must echo the `gradebox_csrf` cookie in
`X-CSRF-Token` (double submit, and the value must also be the session's own).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from backend.api.read_cache import mark_cacheable, note_credential_expiry
from backend.auth.principal import Principal, session_scopes
from backend.auth.secrets import digest
from backend.auth.throttle import LoginThrottle
from backend.db.kept_connection import KeptConnection
from backend.db.models import WebSession
from backend.db.session import read_only
from backend.enums import Role
from backend.errors import Forbidden, Unauthenticated
from backend.metrics import Metrics
from backend.schemas.common import MAX_ID
from backend.schemas.tokens import Scope
from backend.services import tokens as token_service
from backend.services import users as user_service
from backend.services.runs import RunGate
from backend.services.watch import Notifier
from backend.settings import Settings
from sandbox import Sandbox

SESSION_COOKIE = "gradebox_session"
CSRF_COOKIE = "gradebox_csrf"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="a personal API token (`gbx_...`)")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="browser session")


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


async def get_login_throttle(request: Request) -> LoginThrottle:
    throttle: LoginThrottle = request.app.state.login_throttle
    return throttle


LoginThrottleDep = Annotated[LoginThrottle, Depends(get_login_throttle)]


async def get_session_factory(request: Request) -> sessionmaker[Session]:
    """For work that outlives the request's own session (streams, waits, threads)."""
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    return factory


SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]


def get_db(request: Request, factory: SessionFactoryDep) -> Iterator[Session]:
    """One session per request; safe methods (which change nothing) read without
    taking SQLite's write lock (`backend.db.session.read_only`)."""
    with factory() as session:
        if request.method in _SAFE_METHODS:
            read_only(session)
        yield session


async def get_sandbox(request: Request) -> Callable[[], Sandbox]:
    """The app's sandbox, built on first use (a route that never runs code never fails
    for want of one)."""
    sandbox: Callable[[], Sandbox] = request.app.state.sandbox
    return sandbox


SandboxDep = Annotated[Callable[[], Sandbox], Depends(get_sandbox)]


async def get_notifier(request: Request) -> Notifier:
    notifier: Notifier = request.app.state.notifier
    return notifier


NotifierDep = Annotated[Notifier, Depends(get_notifier)]


async def get_marks(request: Request) -> KeptConnection:
    """The kept connection watchers read change marks on (`services.watch`)."""
    marks: KeptConnection = request.app.state.marks
    return marks


MarksDep = Annotated[KeptConnection, Depends(get_marks)]


async def get_run_gate(request: Request) -> RunGate:
    gate: RunGate = request.app.state.run_gate
    return gate


RunGateDep = Annotated[RunGate, Depends(get_run_gate)]


RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="a positive 32-bit row id")]
"""A path id: out of range is a 422 here rather than an overflow in the driver."""

SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_db)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]


def _check_csrf(request: Request, settings: Settings, web_session: WebSession) -> None:
    if request.method in _SAFE_METHODS:
        return
    header = request.headers.get(CSRF_HEADER, "")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not header or not hmac.compare_digest(header.encode(), cookie.encode()):
        raise Forbidden("missing or wrong X-CSRF-Token header", code="csrf_failed")
    if not hmac.compare_digest(digest(settings.secret_key, header), web_session.csrf_hash):
        raise Forbidden("CSRF token does not belong to this session", code="csrf_failed")


def _resolve(
    request: Request,
    session: Session,
    settings: Settings,
    bearer: HTTPAuthorizationCredentials | None,
    cookie: str | None,
) -> Principal | None:
    if bearer is not None:
        token = token_service.resolve(session=session, settings=settings, secret=bearer.credentials)
        if token is None:
            raise Unauthenticated("invalid or revoked API token", code="bad_token")
        # Intersected with the owner's current role at each use, not at minting.
        scopes = token_service.effective_scopes(token)
        return Principal(user=token.user, scopes=scopes, via="token", token_id=token.id)
    if cookie:
        web_session = user_service.resolve_session(session=session, settings=settings, token=cookie)
        if web_session is None:
            return None  # an expired cookie is the same as none
        _check_csrf(request, settings, web_session)
        request.state.web_session = web_session
        note_credential_expiry(request, web_session.expires_at)
        user = web_session.user
        return Principal(user=user, scopes=session_scopes(Role(user.role)), via="session")
    return None


def optional_principal(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Principal | None:
    """Anonymous callers get None; judge tokens are refused (they may only judge)."""
    principal = _resolve(request, session, settings, bearer, cookie)
    if principal is not None:
        request.state.user = principal.user.username
        if principal.is_judge:
            raise Forbidden("judge tokens may only use /api/v1/judge", code="judge_token")
    return principal


async def current_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthenticated("sign in or pass an API token", code="unauthenticated")
    return principal


def metrics_reader(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> None:
    """Anyone where metrics are public (outside production, or by setting); else admins."""
    if settings.metrics_anonymous:
        return
    principal = _resolve(request, session, settings, bearer, cookie)
    if principal is None:
        raise Unauthenticated("metrics need an admin's credential", code="unauthenticated")
    if not principal.is_admin or principal.is_judge:
        raise Forbidden("metrics are for admins", code="admins_only")


MetricsReader = Annotated[None, Depends(metrics_reader)]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_scope(scope: Scope) -> Callable[..., Awaitable[Principal]]:
    async def dependency(principal: CurrentPrincipal) -> Principal:
        if scope not in principal.scopes:
            raise Forbidden(
                f"this credential lacks the {scope.value!r} scope", code="missing_scope"
            )
        return principal

    return dependency


async def optional_reader(principal: OptionalPrincipal) -> Principal | None:
    """Anonymous reads are allowed; a token must carry `read`."""
    if principal is not None and Scope.READ not in principal.scopes:
        raise Forbidden("this credential lacks the 'read' scope", code="missing_scope")
    return principal


async def session_principal(principal: CurrentPrincipal) -> Principal:
    if principal.via != "session":
        raise Forbidden("manage tokens from a signed-in browser session", code="session_required")
    return principal


def judge_principal(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if bearer is None:
        raise Unauthenticated("judge endpoints need a judge token", code="unauthenticated")
    principal = _resolve(request, session, settings, bearer, None)
    assert principal is not None
    if not principal.is_judge:
        raise Forbidden("this token lacks the 'judge' scope", code="missing_scope")
    return principal


Reader = Annotated[Principal | None, Depends(optional_reader)]
CacheableRead = Depends(mark_cacheable)
"""In a route's `dependencies`: its 200s may be sent again from `backend.api.read_cache`."""
Submitter = Annotated[Principal, Depends(require_scope(Scope.SUBMIT))]
UserReader = Annotated[Principal, Depends(require_scope(Scope.READ))]
ProblemWriter = Annotated[Principal, Depends(require_scope(Scope.PROBLEMS_WRITE))]
SessionPrincipal = Annotated[Principal, Depends(session_principal)]
JudgePrincipal = Annotated[Principal, Depends(judge_principal)]
