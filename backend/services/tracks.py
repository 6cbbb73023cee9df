"""Tracks, built from the problems' own `track: {id, position}`: no table of their own,
so a track is exactly the visible problems that name it, in position order."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backend.auth.principal import Principal
from backend.errors import NotFound
from backend.schemas.problems import ProblemSummary
from backend.schemas.tracks import TrackDetail, TrackSummary
from backend.services import problems as problem_service


def title_of(track_id: str) -> str:
    """`activations-and-losses` -> `Activations and losses`."""
    words = track_id.replace("_", "-").split("-")
    return " ".join(w for w in words if w).capitalize()


def _ordered(rows: list[ProblemSummary]) -> list[ProblemSummary]:
    return sorted(rows, key=lambda p: (p.track.position if p.track else 0, p.slug))


def _detail(track_id: str, rows: list[ProblemSummary]) -> TrackDetail:
    ordered = _ordered(rows)
    unsolved = [p for p in ordered if not p.solved]
    return TrackDetail(
        id=track_id,
        title=title_of(track_id),
        total=len(ordered),
        solved=len(ordered) - len(unsolved),
        next=unsolved[0].slug if unsolved else None,
        problems=ordered,
    )


def list_tracks(*, session: Session, viewer: Principal | None) -> list[TrackSummary]:
    by_track: dict[str, list[ProblemSummary]] = {}
    for row in problem_service.list_problems(session=session, viewer=viewer):
        if row.track is not None:
            by_track.setdefault(row.track.id, []).append(row)
    return [
        TrackSummary(**_detail(track_id, rows).model_dump(exclude={"problems"}))
        for track_id, rows in sorted(by_track.items())
    ]


def get_track(*, session: Session, viewer: Principal | None, track_id: str) -> TrackDetail:
    rows = problem_service.list_problems(session=session, viewer=viewer, track=track_id)
    if not rows:
        raise NotFound(f"no track {track_id!r}", code="track_not_found")
    return _detail(track_id, rows)
