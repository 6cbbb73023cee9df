"""Submissions: create (idempotent, optionally waiting), read, list, stream, JUnit."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from functools import partial
from typing import Annotated

import anyio
from fastapi import APIRouter, Header, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from backend.api.deps import MetricsDep, RowId, SessionDep, SettingsDep, Submitter, UserReader
from backend.errors import error_responses
from backend.schemas.common import MAX_ID, ListOf
from backend.schemas.submissions import SubmissionCreate, SubmissionPublic, SubmissionSummary
from backend.services import junit
from backend.services import submissions as submission_service

router = APIRouter(prefix="/submissions", tags=["submissions"])

_POLL_S = 0.1
_SSE_POLL_S = 0.25
_SSE_KEEPALIVE_S = 15.0


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
    request: Request,
    response: Response,
    principal: Submitter,
    session: SessionDep,
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
    if not created:
        response.status_code = status.HTTP_200_OK
    factory = request.app.state.sessionmaker

    def finished() -> bool:
        with factory() as fresh:
            return submission_service.is_done(session=fresh, submission_id=submission.id)

    deadline = time.monotonic() + min(wait, settings.max_wait_s)
    while time.monotonic() < deadline and not await run_in_threadpool(finished):
        await anyio.sleep(_POLL_S)

    def answer() -> SubmissionPublic:
        session.expire_all()
        return submission_service.public(session=session, submission=submission, viewer=principal)

    return await run_in_threadpool(answer)


@router.get("", response_model=ListOf[SubmissionSummary], responses=error_responses(401, 403, 422))
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
    "/{submission_id}", response_model=SubmissionPublic, responses=error_responses(401, 403, 404)
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


def _sse(event: str, data: str, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return (
        head + f"event: {event}\n" + "".join(f"data: {line}\n" for line in data.splitlines()) + "\n"
    )


@router.get(
    "/{submission_id}/events",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "`event: status` ({status}), `event: test` (a TestResult, `id:` "
            "orders them; resume with Last-Event-ID), `event: done` (SubmissionPublic)",
        },
        **error_responses(401, 403, 404),
    },
)
def submission_events(
    submission_id: RowId,
    request: Request,
    principal: UserReader,
    session: SessionDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """Server-Sent Events: each test result as it lands, then the judged submission."""
    submission_service.get(session=session, viewer=principal, submission_id=submission_id)
    session.rollback()
    factory = request.app.state.sessionmaker
    after = _event_id(last_event_id)

    def poll(after_id: int) -> submission_service.Progress:
        with factory() as fresh:
            return submission_service.progress(
                session=fresh, submission_id=submission_id, after_id=after_id
            )

    async def stream() -> AsyncIterator[str]:
        last_id, last_status, last_sent = after, None, time.monotonic()
        while not await request.is_disconnected():
            state, tests, final = await anyio.to_thread.run_sync(poll, last_id)
            if state != last_status:
                last_status = state
                yield _sse("status", json.dumps({"status": state}))
            for row_id, payload in tests:
                last_id = row_id
                yield _sse("test", payload, row_id)
            if final is not None:
                yield _sse("done", final)
                return
            if tests:
                last_sent = time.monotonic()
            elif time.monotonic() - last_sent > _SSE_KEEPALIVE_S:
                last_sent = time.monotonic()
                yield ": keep-alive\n\n"
            await anyio.sleep(_SSE_POLL_S)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


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
