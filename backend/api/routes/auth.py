"""Sign-up, sign-in and sign-out for the browser; `/auth/me` for any credential."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from backend.api.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentPrincipal,
    LoginThrottleDep,
    SessionDep,
    SettingsDep,
)
from backend.errors import RateLimited, ServiceError, error_responses
from backend.schemas.users import Credentials, UserCreate, UserPublic
from backend.services import users as user_service
from backend.settings import Settings

router = APIRouter(prefix="/auth", tags=["auth"])


def _set_cookies(response: Response, settings: Settings, new: user_service.NewSession) -> None:
    max_age = settings.session_ttl_hours * 3600
    common = {"max_age": max_age, "samesite": "lax", "secure": settings.cookie_secure, "path": "/"}
    response.set_cookie(SESSION_COOKIE, new.token, httponly=True, **common)  # type: ignore[arg-type]
    response.set_cookie(CSRF_COOKIE, new.csrf, httponly=False, **common)  # type: ignore[arg-type]


@router.post(
    "/register",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(403, 409, 422, body=True),
)
def register(
    body: UserCreate, response: Response, session: SessionDep, settings: SettingsDep
) -> UserPublic:
    """Create a learner account and sign it in (403 when registration is closed)."""
    user = user_service.register(
        session=session, settings=settings, username=body.username, password=body.password
    )
    _set_cookies(
        response, settings, user_service.open_session(session=session, settings=settings, user=user)
    )
    return UserPublic.model_validate(user)


@router.post(
    "/login", response_model=UserPublic, responses=error_responses(401, 403, 422, 429, body=True)
)
def login(
    body: Credentials,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    throttle: LoginThrottleDep,
) -> UserPublic:
    """Check the password and set the session cookie and the readable CSRF cookie.

    Failures are throttled per account and per client address (429 past the limit,
    checked before the password so a throttled guess learns nothing)."""
    address = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(body.username, address)
    if wait is not None:
        raise RateLimited("too many failed sign-ins; try again later", retry_after=wait)
    try:
        user = user_service.authenticate(
            session=session, username=body.username, password=body.password
        )
    except ServiceError:
        throttle.failed(body.username, address)
        raise
    throttle.succeeded(body.username)
    _set_cookies(
        response, settings, user_service.open_session(session=session, settings=settings, user=user)
    )
    return UserPublic.model_validate(user)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401, 403))
def logout(request: Request, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """End the browser session (needs the CSRF header like any cookie-authenticated POST)."""
    web_session = getattr(request.state, "web_session", None)
    if web_session is not None:
        user_service.close_session(session=session, web_session=web_session)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/me", response_model=UserPublic, responses=error_responses(401, 403))
def me(principal: CurrentPrincipal) -> UserPublic:
    return UserPublic.model_validate(principal.user)
