"""The judge queue (DESIGN.md section 5): claim, heartbeat, per-test results, finish.

The queue is the `judge_jobs` table. A claim is one UPDATE ... RETURNING whose
subquery picks the oldest claimable row: queued, or running with an expired lease.
On PostgreSQL the subquery locks with FOR UPDATE SKIP LOCKED, so concurrent claims
pass over each other's rows; SQLite serialises writers, so the single statement is
already atomic. Every claim gets a fresh lease id; calls carrying an older lease id
are refused with 409, so a judgehost that lost its lease cannot overwrite the
attempt that replaced it. A job whose lease expired `max_attempts` times, or that
failed that often, is finished as IE with the reason.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from backend.db.models import Judgehost, JudgeJob, Submission, TestResultRow
from backend.db.types import utcnow
from backend.enums import JobState, SubmissionStatus
from backend.errors import Conflict, NotFound
from backend.metrics import Metrics
from backend.schemas.judge import FinishPublic, JobPublic
from backend.services import webhooks
from backend.settings import Settings
from graders import GradeResult, TestResult, Verdict

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE = JobState.QUEUED, JobState.RUNNING, JobState.DONE
_SEEN_EVERY = timedelta(seconds=5)


def _provides(capabilities: list[str]) -> list[str]:
    """`gpu:H100` provides `gpu`; the job's capability is the coarse kind."""
    out = {c.split(":", 1)[0] for c in capabilities}
    return sorted(out)


def _touch_judgehost(session: Session, name: str, capabilities: list[str], claimed: bool) -> None:
    now = utcnow()
    host = session.get(Judgehost, name)
    if host is None:
        session.add(
            Judgehost(
                name=name, capabilities=capabilities, last_seen_at=now, jobs_claimed=int(claimed)
            )
        )
        return
    if not claimed and host.capabilities == capabilities and now - host.last_seen_at < _SEEN_EVERY:
        return  # an idle poll need not write the row every time
    host.capabilities = capabilities
    host.last_seen_at = now
    if claimed:
        host.jobs_claimed = (host.jobs_claimed or 0) + 1


def _fail_submission(session: Session, submission_id: int, reason: str) -> None:
    session.execute(
        update(Submission)
        .where(Submission.id == submission_id)
        .values(
            status=SubmissionStatus.JUDGED,
            verdict=Verdict.IE,
            score=0.0,
            message=reason,
            judged_at=utcnow(),
        )
    )
    submission = session.get(Submission, submission_id)
    if submission is not None:
        webhooks.enqueue(session, submission)


def reap_expired(*, session: Session, settings: Settings, metrics: Metrics) -> int:
    """Finish as IE the running jobs whose lease expired on their last allowed attempt."""
    now = utcnow()
    rows = session.execute(
        update(JudgeJob)
        .where(
            JudgeJob.state == RUNNING,
            JudgeJob.lease_expires_at < now,
            JudgeJob.attempts >= settings.max_attempts,
        )
        .values(state=DONE, finished_at=now, lease_id=None)
        .returning(JudgeJob.submission_id, JudgeJob.attempts, JudgeJob.judgehost)
    ).all()
    for submission_id, attempts, host in rows:
        reason = (
            f"judging failed {attempts} times: the lease expired (last judgehost {host}); "
            "the submission was not graded"
        )
        _fail_submission(session, submission_id, reason)
        metrics.judge_failures.inc(reason="lease_expired")
        metrics.submissions_judged.inc(verdict=Verdict.IE.value)
        log.warning("submission %s: %s", submission_id, reason)
    session.commit()
    return len(rows)


def claim(
    *,
    session: Session,
    settings: Settings,
    metrics: Metrics,
    judgehost: str,
    capabilities: list[str],
) -> JobPublic | None:
    reap_expired(session=session, settings=settings, metrics=metrics)
    now = utcnow()
    expires = now + timedelta(seconds=settings.lease_s)
    lease_id = secrets.token_hex(16)
    candidate = (
        select(JudgeJob.id)
        .where(
            JudgeJob.capability.in_(_provides(capabilities)),
            (JudgeJob.state == QUEUED)
            | (
                (JudgeJob.state == RUNNING)
                & (JudgeJob.lease_expires_at < now)
                & (JudgeJob.attempts < settings.max_attempts)
            ),
        )
        .order_by(JudgeJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    row = session.execute(
        update(JudgeJob)
        .where(JudgeJob.id == candidate)
        .values(
            state=RUNNING,
            attempts=JudgeJob.attempts + 1,
            lease_id=lease_id,
            lease_expires_at=expires,
            judgehost=judgehost,
            claimed_at=now,
        )
        .returning(JudgeJob.id, JudgeJob.submission_id, JudgeJob.attempts)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    _touch_judgehost(session, judgehost, capabilities, claimed=row is not None)
    if row is None:
        session.commit()
        return None
    job_id, submission_id, attempt = row
    submission = session.get(Submission, submission_id)
    assert submission is not None
    # A new attempt starts from nothing: results of an abandoned one are dropped.
    session.execute(delete(TestResultRow).where(TestResultRow.submission_id == submission_id))
    submission.status = SubmissionStatus.RUNNING
    session.commit()
    if attempt == 1:
        metrics.queue_wait.observe((now - submission.created_at).total_seconds())
    return JobPublic(
        job_id=job_id,
        lease_id=lease_id,
        lease_expires_at=expires,
        lease_s=settings.lease_s,
        attempt=attempt,
        submission_id=submission_id,
        problem=submission.problem.slug,
        package_hash=submission.version.content_hash,
        language=submission.language,
        source=submission.source,
    )


def _leased(session: Session, job_id: int, lease_id: str) -> JudgeJob:
    job = session.get(JudgeJob, job_id)
    if job is None:
        raise NotFound(f"no job {job_id}", code="job_not_found")
    if job.lease_id != lease_id or job.state != RUNNING:
        raise Conflict(
            f"job {job_id}: the lease is no longer held (the job was reassigned or finished)",
            code="lease_lost",
        )
    return job


def submission_of(*, session: Session, job_id: int) -> int | None:
    """The submission a job judges (for waking its watchers), None if no such job."""
    return session.scalar(select(JudgeJob.submission_id).where(JudgeJob.id == job_id))


def heartbeat(*, session: Session, settings: Settings, job_id: int, lease_id: str) -> datetime:
    job = _leased(session, job_id, lease_id)
    now = utcnow()
    if job.lease_expires_at is not None and job.lease_expires_at < now:
        # Expired but not yet reclaimed: still ours, as nobody else took it.
        log.info("job %s: heartbeat after lease expiry, renewing", job_id)
    job.lease_expires_at = now + timedelta(seconds=settings.lease_s)
    if job.judgehost:
        host = session.get(Judgehost, job.judgehost)
        if host is not None:
            host.last_seen_at = now
    session.commit()
    return job.lease_expires_at


def _store(session: Session, submission_id: int, results: list[TestResult]) -> int:
    known = set(
        session.scalars(
            select(TestResultRow.name).where(TestResultRow.submission_id == submission_id)
        )
    )
    stored = 0
    for result in results:
        if result.name in known:
            continue  # idempotent: a retried post changes nothing
        known.add(result.name)
        shown = result.redacted()
        session.add(
            TestResultRow(
                submission_id=submission_id,
                name=result.name,
                group=result.group,
                verdict=result.verdict.value,
                time_ms=result.time_ms,
                memory_kb=result.memory_kb,
                visible=shown.visible,
                message=result.message,
                feedback=result.feedback,
                hint=result.hint,
                input=shown.input,
                expected=shown.expected,
                actual=shown.actual,
                stderr=shown.stderr,
                views=_views(shown) or None,
            )
        )
        stored += 1
    return stored


def _views(result: TestResult) -> dict[str, Any]:
    """The `ShownData` of a visible test's files, as the row's JSON column keeps them."""
    views = {
        "input": result.input_view,
        "expected": result.expected_view,
        "actual": result.actual_view,
    }
    return {name: view.model_dump(mode="json") for name, view in views.items() if view}


def store_results(
    *, session: Session, job_id: int, lease_id: str, results: list[TestResult]
) -> int:
    job = _leased(session, job_id, lease_id)
    stored = _store(session, job.submission_id, results)
    session.commit()
    return stored


def _release(session: Session, job_id: int, lease: str, values: dict[str, object]) -> None:
    """Compare-and-set on the lease: changes the job only while this lease holds it, so
    a finish racing a reclaim after expiry cannot both win."""
    changed = session.execute(
        update(JudgeJob)
        .where(JudgeJob.id == job_id, JudgeJob.lease_id == lease, JudgeJob.state == RUNNING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict(
            f"job {job_id}: the lease is no longer held (the job was reassigned or finished)",
            code="lease_lost",
        )


def finish(
    *,
    session: Session,
    settings: Settings,
    metrics: Metrics,
    job_id: int,
    lease_id: str,
    result: GradeResult | None,
    error: str | None,
) -> FinishPublic:
    job = session.get(JudgeJob, job_id)
    if job is None:
        raise NotFound(f"no job {job_id}", code="job_not_found")
    submission = session.get(Submission, job.submission_id)
    assert submission is not None
    if job.state == DONE and job.lease_id == lease_id:
        return FinishPublic(state=DONE, verdict=submission.verdict)  # a retried finish
    now = utcnow()
    attempts, claimed_at = job.attempts, job.claimed_at
    if result is None:
        reason = (error or "the judgehost reported no result")[:2000]
        if attempts >= settings.max_attempts:
            _release(
                session,
                job_id,
                lease_id,
                {"state": DONE, "finished_at": now, "last_error": reason},
            )
            _fail_submission(session, submission.id, f"judging failed {attempts} times: {reason}")
            verdict: Verdict | None = Verdict.IE
            state = DONE
        else:
            _release(
                session,
                job_id,
                lease_id,
                {"state": QUEUED, "lease_id": None, "lease_expires_at": None, "last_error": reason},
            )
            submission.status = SubmissionStatus.QUEUED
            verdict, state = None, QUEUED
        session.commit()
        metrics.judge_failures.inc(reason="error")
        if verdict is not None:
            metrics.submissions_judged.inc(verdict=verdict)
        return FinishPublic(state=state, verdict=verdict)
    _release(session, job_id, lease_id, {"state": DONE, "finished_at": now})
    _store(session, submission.id, result.tests)
    submission.status = SubmissionStatus.JUDGED
    submission.verdict = result.verdict
    submission.score = result.score
    submission.max_score = result.max_score
    submission.groups = [g.model_dump(mode="json") for g in result.groups]
    submission.compile_output = result.compile_output
    submission.message = result.message
    submission.judged_at = now
    if await_gpu(job, submission, result):
        session.commit()
        return FinishPublic(state=QUEUED, verdict=result.verdict)
    webhooks.enqueue(session, submission)
    session.commit()
    metrics.submissions_judged.inc(verdict=result.verdict.value)
    if result.verdict is Verdict.IE:  # deterministic (the judgehost retries the others)
        metrics.judge_failures.inc(reason="deterministic")
    if claimed_at is not None:
        metrics.judge_time.observe((now - claimed_at).total_seconds())
    return FinishPublic(state=DONE, verdict=result.verdict)


def await_gpu(job: JudgeJob, submission: Submission, result: GradeResult) -> bool:
    """A kernel submission judged correct on a host without a GPU: its job goes back to
    the queue for a `gpu` judgehost, and the submission shows `awaiting_gpu` with the
    CPU results until one claims it (the GPU run then re-checks and times everything).
    A `gpu` job that still could not be timed is final (no loop)."""
    if result.timing != "needs_gpu" or job.capability != "cpu":
        return False
    job.capability = "gpu"
    job.state = QUEUED
    job.attempts = 0
    job.lease_id = None
    job.lease_expires_at = None
    job.finished_at = None
    submission.status = SubmissionStatus.AWAITING_GPU
    return True


def queue_stats(*, session: Session, settings: Settings) -> dict[str, int]:
    counts = dict(
        session.execute(
            select(JudgeJob.state, func.count())
            .where(JudgeJob.state != DONE)
            .group_by(JudgeJob.state)
        ).all()
    )
    seen_since = utcnow() - timedelta(seconds=settings.judgehost_seen_s)
    hosts = session.scalar(
        select(func.count()).select_from(Judgehost).where(Judgehost.last_seen_at > seen_since)
    )
    return {
        QUEUED.value: int(counts.get(QUEUED, 0)),
        RUNNING.value: int(counts.get(RUNNING, 0)),
        "judgehosts": int(hosts or 0),
    }
