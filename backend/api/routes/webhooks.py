"""Webhook deliveries: each callback of the caller's submissions, with its attempts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend.api.deps import RowId, SessionDep, UserReader
from backend.errors import error_responses
from backend.schemas.common import MAX_ID, ListOf
from backend.schemas.webhooks import DeliveryPublic
from backend.services import webhooks as webhook_service

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.get(
    "/deliveries", response_model=ListOf[DeliveryPublic], responses=error_responses(401, 403, 422)
)
def list_deliveries(
    principal: UserReader,
    session: SessionDep,
    submission: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> ListOf[DeliveryPublic]:
    """The caller's own deliveries, newest first (only the owner sees them)."""
    rows, count = webhook_service.list_for(
        session=session,
        user_id=principal.user.id,
        submission_id=submission,
        limit=limit,
        offset=offset,
    )
    return ListOf[DeliveryPublic](
        data=[DeliveryPublic.model_validate(webhook_service.describe(r)) for r in rows],
        count=count,
    )


@router.get(
    "/deliveries/{delivery_id}",
    response_model=DeliveryPublic,
    responses=error_responses(401, 403, 404),
)
def get_delivery(delivery_id: RowId, principal: UserReader, session: SessionDep) -> DeliveryPublic:
    row = webhook_service.get_for(
        session=session, user_id=principal.user.id, delivery_id=delivery_id
    )
    return DeliveryPublic.model_validate(webhook_service.describe(row))
