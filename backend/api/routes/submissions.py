"""Submissions: create (idempotent, optionally waiting), read, list, stream, JUnit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from functools import partial
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Header, Query, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.sse import EventSourceResponse, ServerSentEvent

from backend.api.deps import (
    CacheableRead,
    MarksDep,
    MetricsDep,
    NotifierDep,
    RowId,
    SessionDep,
    SessionFactoryDep,
    SettingsDep,
    Submitter,
    UserReader,
)
from backend.enums import SubmissionStatus
from backend.errors import error_responses
from backend.schemas.common import MAX_ID, ListOf
from backend.schemas.submissions import (
    StatusEvent,
    SubmissionCreate,
    SubmissionEvents,
    SubmissionPublic,
    SubmissionSummary,
)
from backend.services import junit
from backend.services import submissions as submission_service
from backend.services.watch import watch

router = APIRouter(prefix="/submissions", tags=["submissions"])


@router.post(
    "",
    response_model=SubmissionPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {
            "model": SubmissionPublic,
            "description": "Idempotency-Key seen before: the same one",
        },
        **error_responses(401, 403, 404, 422, 429, body=True),
    },
)
async def create_submission(
    body: SubmissionCreate,
    response: Response,
    principal: Submitter,
    session: SessionDep,
    sessions: SessionFactoryDep,
    notifier: NotifierDep,
    marks: MarksDep,
    settings: SettingsDep,
    metrics: MetricsDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    wait: Annotated[float, Query(ge=0, description="seconds to block until judged")] = 0,
) -> SubmissionPublic:
    """Queue a submission; with `?wait=S` answer once judged or after S seconds
    (capped by the server), whichever comes first. Waiting holds no worker thread, so
    many CI jobs may wait at once."""
    submission, created = await run_in_threadpool(
        partial(
            submission_service.create,
            session=session,
            settings=settings,
            metrics=metrics,
            principal=principal,
            data=body,
            idempotency_key=idempotency_key,
        )
    )
    if created:
        notifier.job_queued()
    else:
        response.status_code = status.HTTP_200_OK
    if wait > 0:
        progress = watch(
            sessions=sessions,
            notifier=notifier,
            submission_id=submission.id,
            with_tests=False,
            marks=marks,
        )
        with anyio.move_on_after(min(wait, settings.max_wait_s)):
            async with aclosing(progress):
                async for step in progress:
                    if step.final is not None:
                        break

    def answer() -> SubmissionPublic:
        session.expire_all()
        return submission_service.public(session=session, submission=submission, viewer=principal)

    return await run_in_threadpool(answer)


@router.get(
    "",
    response_model=ListOf[SubmissionSummary],
    responses=error_responses(401, 403, 422),
    dependencies=[CacheableRead],
)
def list_submissions(
    principal: UserReader,
    session: SessionDep,
    problem: str | None = None,
    user: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> ListOf[SubmissionSummary]:
    """Learners see their own; instructors also those on problems they manage; admins all."""
    rows, count = submission_service.list_visible(
        session=session,
        viewer=principal,
        problem=problem,
        username=user,
        limit=limit,
        offset=offset,
    )
    return ListOf[SubmissionSummary](
        data=[submission_service.summary(r) for r in rows], count=count
    )


@router.get(
    "/{submission_id}",
    response_model=SubmissionPublic,
    responses=error_responses(401, 403, 404),
    dependencies=[CacheableRead],
)
def get_submission(
    submission_id: RowId, principal: UserReader, session: SessionDep
) -> SubmissionPublic:
    submission = submission_service.get(
        session=session, viewer=principal, submission_id=submission_id
    )
    return submission_service.public(session=session, submission=submission, viewer=principal)


def _event_id(header: str | None) -> int:
    """The Last-Event-ID to resume after; anything but a row id restarts the stream."""
    if header and header.isascii() and header.isdigit() and int(header) <= MAX_ID:
        return int(header)
    return 0


def _json_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`error_responses` for a stream route: its errors are JSON, not the stream's type
    (a `model` alone would be documented under `text/event-stream`)."""
    schema = {"$ref": "#/components/schemas/ErrorResponse"}
    return {
        status: {
            "description": spec["description"],
            "content": {"application/json": {"schema": schema}},
        }
        for status, spec in error_responses(*statuses).items()
    }


def visible_submission(submission_id: RowId, principal: UserReader, session: SessionDep) -> int:
    """The id of a submission the caller may read (404/403 before any stream starts)."""
    submission_service.get(session=session, viewer=principal, submission_id=submission_id)
    session.rollback()  # the stream reads with sessions of its own
    return submission_id


@router.get(
    "/{submission_id}/events",
    response_class=EventSourceResponse,
    responses={
        200: {
            "model": SubmissionEvents,
            "description": "`event: status` (StatusEvent), `event: test` (a TestResult, "
            "`id:` orders them; resume with Last-Event-ID), `event: done` (SubmissionPublic); "
            "the schema maps each event name to its data",
        },
        **_json_errors(401, 403, 404),
    },
)
async def submission_events(
    submission_id: Annotated[int, Depends(visible_submission)],
    sessions: SessionFactoryDep,
    notifier: NotifierDep,
    marks: MarksDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> AsyncIterator[ServerSentEvent]:
    """Server-Sent Events: each test result as it lands, then the judged submission."""
    last_status = None
    progress = watch(
        sessions=sessions,
        notifier=notifier,
        submission_id=submission_id,
        after_id=_event_id(last_event_id),
        marks=marks,
    )
    async with aclosing(progress):
        async for step in progress:
            if step.status != last_status:
                last_status = step.status
                yield ServerSentEvent(
                    event="status", data=StatusEvent(status=SubmissionStatus(step.status))
                )
            for row_id, payload in step.tests:
                yield ServerSentEvent(event="test", raw_data=payload, id=str(row_id))
            if step.final is not None:
                yield ServerSentEvent(event="done", raw_data=step.final)


@router.get(
    "/{submission_id}/junit",
    response_class=Response,
    responses={
        200: {"content": {"application/xml": {}}, "description": "JUnit XML report"},
        **error_responses(401, 403, 404),
    },
)
def submission_junit(submission_id: RowId, principal: UserReader, session: SessionDep) -> Response:
    submission = submission_service.get(
        session=session, viewer=principal, submission_id=submission_id
    )
    xml = junit.render(submission_service.public(session=session, submission=submission))
    return Response(xml, media_type="application/xml")
