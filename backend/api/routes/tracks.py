"""Tracks: the problems of a topic in order, and how far the caller has come."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from backend.api.deps import Reader, SessionDep
from backend.errors import error_responses
from backend.schemas.common import ListOf
from backend.schemas.tracks import TrackDetail, TrackSummary
from backend.services import tracks as track_service

router = APIRouter(prefix="/tracks", tags=["tracks"])

TrackId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]


@router.get("", response_model=ListOf[TrackSummary], responses=error_responses(401, 403))
def list_tracks(principal: Reader, session: SessionDep) -> ListOf[TrackSummary]:
    """Every track with a problem the caller can see, with their progress."""
    rows = track_service.list_tracks(session=session, viewer=principal)
    return ListOf[TrackSummary](data=rows, count=len(rows))


@router.get(
    "/{track_id}", response_model=TrackDetail, responses=error_responses(401, 403, 404, 422)
)
def get_track(track_id: TrackId, principal: Reader, session: SessionDep) -> TrackDetail:
    """The track's problems easy to hard, the caller's progress and next unsolved problem."""
    return track_service.get_track(session=session, viewer=principal, track_id=track_id)
