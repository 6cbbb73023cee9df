"""Accounts and browser sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.auth.passwords import hash_password, verify_password
from backend.auth.secrets import digest, new_secret
from backend.db.models import User, WebSession
from backend.db.types import utcnow
from backend.enums import Role
from backend.errors import Conflict, Forbidden, NotFound, Unauthenticated
from backend.services import tokens as token_service
from backend.settings import Settings


def get_by_username(*, session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def create_user(*, session: Session, username: str, password: str, role: Role) -> User:
    user = User(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"username {username!r} is taken", code="username_taken") from None
    return user


def ensure_user(*, session: Session, username: str, password: str, role: Role) -> bool:
    """Create the user unless one with that name exists; True when created."""
    if get_by_username(session=session, username=username) is not None:
        return False
    create_user(session=session, username=username, password=password, role=role)
    return True


def register(*, session: Session, settings: Settings, username: str, password: str) -> User:
    if not settings.registration_enabled:
        raise Forbidden("registration is closed on this server", code="registration_closed")
    return create_user(session=session, username=username, password=password, role=Role.LEARNER)


def authenticate(*, session: Session, username: str, password: str) -> User:
    user = get_by_username(session=session, username=username)
    if not verify_password(password, user.password_hash if user else None) or user is None:
        raise Unauthenticated("wrong username or password", code="bad_credentials")
    if not user.is_active:
        raise Forbidden("this account is disabled", code="account_disabled")
    return user


@dataclass(frozen=True)
class NewSession:
    token: str  # goes into the HttpOnly cookie
    csrf: str  # goes into the readable cookie, echoed in X-CSRF-Token


def open_session(*, session: Session, settings: Settings, user: User) -> NewSession:
    token, csrf = new_secret(), new_secret()
    now = utcnow()
    session.add(
        WebSession(
            user_id=user.id,
            token_hash=digest(settings.secret_key, token),
            csrf_hash=digest(settings.secret_key, csrf),
            created_at=now,
            expires_at=now + timedelta(hours=settings.session_ttl_hours),
        )
    )
    # Expired sessions of this user go when a new one starts: the table stays small.
    session.execute(
        delete(WebSession).where(WebSession.user_id == user.id, WebSession.expires_at < now)
    )
    session.commit()
    return NewSession(token=token, csrf=csrf)


def resolve_session(*, session: Session, settings: Settings, token: str) -> WebSession | None:
    row = session.scalar(
        select(WebSession).where(WebSession.token_hash == digest(settings.secret_key, token))
    )
    if row is None or row.expires_at <= utcnow() or not row.user.is_active:
        return None
    return row


def close_session(*, session: Session, web_session: WebSession) -> None:
    session.execute(delete(WebSession).where(WebSession.id == web_session.id))
    session.commit()


def set_role(*, session: Session, username: str, role: Role) -> User:
    user = get_by_username(session=session, username=username)
    if user is None:
        raise NotFound(f"no user {username!r}", code="user_not_found")
    user.role = role
    # In the same transaction: no moment where a token outlives the role change.
    token_service.restrict_to_role(session=session, user=user)
    session.commit()
    return user


def list_users(*, session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))
