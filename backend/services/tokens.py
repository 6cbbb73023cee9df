"""Personal API tokens: shown once, stored as a keyed hash, revocable.

A token's scopes are what it was minted with *and* what its owner's role allows
now (`effective_scopes`, applied at each use): demoting an instructor takes
`problems:write` from their tokens at once, even one minted before. `set_role`
also rewrites the stored scopes (`restrict_to_role`), revoking a token left with
none, so listings tell the truth.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth.principal import ROLE_SCOPES
from backend.auth.secrets import digest, new_api_token
from backend.db.generation import commit_unread
from backend.db.models import ApiToken, User
from backend.db.types import utcnow
from backend.enums import Role
from backend.errors import Forbidden, InvalidInput, NotFound
from backend.schemas.tokens import Scope
from backend.settings import Settings

_LAST_USED_RESOLUTION = timedelta(seconds=60)  # don't write on every request


def create(
    *, session: Session, settings: Settings, user: User, name: str, scopes: list[Scope]
) -> tuple[ApiToken, str]:
    wanted = set(scopes)
    if Scope.JUDGE in wanted and len(wanted) > 1:
        raise InvalidInput("a judge token cannot have other scopes", code="judge_scope_exclusive")
    allowed = ROLE_SCOPES[Role(user.role)]
    if not wanted <= allowed:
        missing = ", ".join(sorted(wanted - allowed))
        raise Forbidden(f"role {user.role} cannot grant scope {missing}", code="scope_not_allowed")
    secret = new_api_token()
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=digest(settings.secret_key, secret),
        prefix=secret[:10],
        scopes=sorted(s.value for s in wanted),
    )
    session.add(token)
    session.commit()
    return token, secret


def list_for(*, session: Session, user: User) -> tuple[list[ApiToken], int]:
    rows = list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )
    return rows, len(rows)


def revoke(*, session: Session, user: User, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("no such token", code="token_not_found")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.commit()


def effective_scopes(token: ApiToken) -> frozenset[Scope]:
    """The token's scopes that its owner's current role still allows."""
    return frozenset(Scope(s) for s in token.scopes) & ROLE_SCOPES[Role(token.user.role)]


def restrict_to_role(*, session: Session, user: User) -> int:
    """Drop from the user's live tokens the scopes their role no longer allows; a token
    left with no scope is revoked. Returns how many tokens changed. The caller commits."""
    allowed = ROLE_SCOPES[Role(user.role)]
    changed = 0
    live = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    for token in session.scalars(live):
        kept = sorted(s for s in token.scopes if Scope(s) in allowed)
        if kept == sorted(token.scopes):
            continue
        changed += 1
        if kept:
            token.scopes = kept
        else:
            token.revoked_at = utcnow()
    return changed


def resolve(*, session: Session, settings: Settings, secret: str) -> ApiToken | None:
    token = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest(settings.secret_key, secret))
    )
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        # End the read first: a read-only session's write needs a transaction of its
        # own (see backend.db.session), and committing a read changes nothing.
        session.commit()
        token.last_used_at = now
        commit_unread(session)  # no cached answer shows it (backend.api.read_cache)
    return token
