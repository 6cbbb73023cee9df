"""Personal API tokens. Listing and revoking work with any credential of the owner;
minting needs a signed-in browser session, so a leaked token cannot mint successors
that outlive its revocation."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from backend.api.deps import (
    CurrentPrincipal,
    RowId,
    SessionDep,
    SessionPrincipal,
    SettingsDep,
    UserReader,
)
from backend.errors import error_responses
from backend.schemas.common import ListOf
from backend.schemas.tokens import TokenCreate, TokenCreated, TokenPublic
from backend.services import tokens as token_service
from backend.services.webhooks_signing import derive_secret

router = APIRouter(prefix="/tokens", tags=["tokens"])


@router.get("", response_model=ListOf[TokenPublic], responses=error_responses(401, 403))
def list_tokens(principal: UserReader, session: SessionDep) -> ListOf[TokenPublic]:
    rows, count = token_service.list_for(session=session, user=principal.user)
    return ListOf[TokenPublic](data=[TokenPublic.model_validate(r) for r in rows], count=count)


@router.post(
    "",
    response_model=TokenCreated,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 422, body=True),
)
def create_token(
    body: TokenCreate, principal: SessionPrincipal, session: SessionDep, settings: SettingsDep
) -> TokenCreated:
    """The token and its webhook secret are in this response only; the server keeps
    just the token's hash (the webhook secret is derived from it and the server key)."""
    token, secret = token_service.create(
        session=session, settings=settings, user=principal.user, name=body.name, scopes=body.scopes
    )
    return TokenCreated.model_validate(
        {
            **TokenPublic.model_validate(token).model_dump(),
            "token": secret,
            "webhook_secret": derive_secret(settings.secret_key, token.token_hash),
        }
    )


@router.delete(
    "/{token_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401, 403, 404)
)
def revoke_token(token_id: RowId, principal: CurrentPrincipal, session: SessionDep) -> Response:
    token_service.revoke(session=session, user=principal.user, token_id=token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
