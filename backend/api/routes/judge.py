"""The judgehost protocol over REST (DESIGN.md section 5). Judge tokens only."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from sqlalchemy.orm import Session

from backend.api.deps import (
    JudgePrincipal,
    MetricsDep,
    NotifierDep,
    RowId,
    SessionDep,
    SettingsDep,
)
from backend.errors import error_responses
from backend.schemas.judge import (
    ClaimRequest,
    FinishPublic,
    FinishRequest,
    JobPublic,
    LeasePublic,
    LeaseRequest,
    ResultsAccepted,
    ResultsRequest,
)
from backend.services import judge as judge_service
from backend.services import problems as problem_service
from backend.services.watch import Notifier

router = APIRouter(prefix="/judge", tags=["judge"])


def _wake(session: Session, notifier: Notifier, job_id: int) -> None:
    """Wake this process's watchers of the job's submission (`?wait=`, events)."""
    submission_id = judge_service.submission_of(session=session, job_id=job_id)
    if submission_id is not None:
        notifier.notify(submission_id)


@router.post(
    "/claim",
    response_model=JobPublic,
    responses={
        204: {"description": "Nothing to judge right now"},
        **error_responses(401, 403, 422, body=True),
    },
)
def claim(
    body: ClaimRequest,
    _: JudgePrincipal,
    session: SessionDep,
    settings: SettingsDep,
    metrics: MetricsDep,
    notifier: NotifierDep,
) -> JobPublic | Response:
    """Take the oldest job this judgehost can run, with a lease of `lease_s` seconds."""
    job = judge_service.claim(
        session=session,
        settings=settings,
        metrics=metrics,
        judgehost=body.judgehost,
        capabilities=body.capabilities,
    )
    if job is None:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    notifier.notify(job.submission_id)
    return job


@router.post(
    "/{job_id}/heartbeat",
    response_model=LeasePublic,
    responses=error_responses(401, 403, 404, 409, 422, body=True),
)
def heartbeat(
    job_id: RowId, body: LeaseRequest, _: JudgePrincipal, session: SessionDep, settings: SettingsDep
) -> LeasePublic:
    """Renew the lease; 409 `lease_lost` when the job went to someone else."""
    expires = judge_service.heartbeat(
        session=session, settings=settings, job_id=job_id, lease_id=body.lease_id
    )
    return LeasePublic(lease_expires_at=expires)


@router.post(
    "/{job_id}/results",
    response_model=ResultsAccepted,
    responses=error_responses(401, 403, 404, 409, 422, body=True),
)
def results(
    job_id: RowId,
    body: ResultsRequest,
    _: JudgePrincipal,
    session: SessionDep,
    notifier: NotifierDep,
) -> ResultsAccepted:
    """Store finished tests; a test name already stored is ignored (idempotent)."""
    stored = judge_service.store_results(
        session=session, job_id=job_id, lease_id=body.lease_id, results=body.results
    )
    _wake(session, notifier, job_id)
    return ResultsAccepted(stored=stored)


@router.post(
    "/{job_id}/finish",
    response_model=FinishPublic,
    responses=error_responses(401, 403, 404, 409, 422, body=True),
)
def finish(
    job_id: RowId,
    body: FinishRequest,
    _: JudgePrincipal,
    session: SessionDep,
    settings: SettingsDep,
    metrics: MetricsDep,
    notifier: NotifierDep,
) -> FinishPublic:
    """Record the verdict, or with `error` give the job back to the queue (IE after the
    last attempt). Repeating a finish with the same lease returns the same answer."""
    finished = judge_service.finish(
        session=session,
        settings=settings,
        metrics=metrics,
        job_id=job_id,
        lease_id=body.lease_id,
        result=body.result,
        error=body.error,
    )
    _wake(session, notifier, job_id)
    return finished


@router.get(
    "/packages/{content_hash}",
    response_class=Response,
    responses={
        200: {"content": {"application/zip": {}}, "description": "The package as a zip"},
        **error_responses(401, 403, 404),
    },
)
def package(content_hash: str, _: JudgePrincipal, session: SessionDep) -> Response:
    data = problem_service.package_blob(session=session, content_hash=content_hash)
    return Response(data, media_type="application/zip")
