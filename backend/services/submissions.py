"""Submitting code and reading submissions back.

A submission pins the problem version current when it arrived and enqueues one judge
job in the same transaction. Learners see their own; the problem's instructors and
admins see all of a problem's. Hidden tests' outputs are never served.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.auth.principal import Principal
from backend.db.kept_connection import KeptConnection
from backend.db.models import JudgeJob, Problem, Submission, TestResultRow, User
from backend.db.types import utcnow
from backend.enums import SubmissionStatus
from backend.errors import InvalidInput, NotFound, PayloadTooLarge, RateLimited
from backend.metrics import Metrics
from backend.schemas.submissions import (
    ScanFinding,
    SubmissionCreate,
    SubmissionPublic,
    SubmissionSummary,
    group_results,
)
from backend.services import problems as problem_service
from backend.services import webhooks
from backend.settings import Settings
from graders import ProblemType, ShownData, TestResult, Verdict, scan_kernel_source, scan_source
from sandbox import UnknownLanguage, get_language

# Every submission starts as a `cpu` job. A kernel one is judged for correctness there
# (Triton's interpreter); its finish re-queues the job for a `gpu` judgehost while timing
# needs a GPU (`judge.await_gpu`): "awaiting_gpu" is a visible state, not a silent queue.
# Statuses with a verdict a client may stop waiting on (`?wait`, the event stream):
# `awaiting_gpu` has its correctness verdict; its timing rows come later.
SETTLED = frozenset({SubmissionStatus.JUDGED, SubmissionStatus.AWAITING_GPU})


def check_source(settings: Settings, source: str) -> None:
    size = len(source.encode("utf-8"))
    if size > settings.max_source_bytes:
        raise PayloadTooLarge(
            f"source is {size} bytes; the limit is {settings.max_source_bytes}",
            code="source_too_large",
            details={"size": size, "limit": settings.max_source_bytes},
        )
    if not source.strip():
        raise InvalidInput("source is empty", code="empty_source")


def _check_rate(session: Session, settings: Settings, user: User) -> None:
    since = utcnow() - timedelta(seconds=settings.rate_limit_window_s)
    recent = session.execute(
        select(func.count(), func.min(Submission.created_at)).where(
            Submission.user_id == user.id, Submission.created_at > since
        )
    ).one()
    count, oldest = recent
    if count >= settings.rate_limit_submissions and oldest is not None:
        free_at = oldest + timedelta(seconds=settings.rate_limit_window_s)
        retry = max(1, math.ceil((free_at - utcnow()).total_seconds()))
        raise RateLimited(
            f"at most {settings.rate_limit_submissions} submissions per "
            f"{settings.rate_limit_window_s} s; retry in {retry} s",
            retry_after=retry,
        )


def _check_callback(settings: Settings, principal: Principal, url: str) -> None:
    """A callback is signed with the submitting token's webhook secret, so it needs a
    token; and it must pass the SSRF guard now (it is checked again when sent)."""
    if principal.token_id is None:
        raise InvalidInput(
            "callback_url needs an API token: its webhook secret signs the callback",
            code="callback_needs_token",
        )
    webhooks.check_callback(settings=settings, url=url)


def _by_key(session: Session, user: User, key: str) -> Submission | None:
    return session.scalar(
        select(Submission).where(Submission.user_id == user.id, Submission.idempotency_key == key)
    )


def create(
    *,
    session: Session,
    settings: Settings,
    metrics: Metrics,
    principal: Principal,
    data: SubmissionCreate,
    idempotency_key: str | None,
) -> tuple[Submission, bool]:
    """Returns (submission, created); a known Idempotency-Key returns the first one."""
    user = principal.user
    if idempotency_key is not None:
        if not 1 <= len(idempotency_key) <= 200:
            raise InvalidInput(
                "Idempotency-Key must be 1..200 characters", code="bad_idempotency_key"
            )
        existing = _by_key(session, user, idempotency_key)
        if existing is not None:
            # End the read: on SQLite every transaction holds the write lock, and the
            # route may now wait (?wait=) while the judge needs to write.
            session.commit()
            return existing, False
    check_source(settings, data.source)
    problem = problem_service.get_visible(session=session, viewer=principal, slug=data.problem)
    version = problem.current_version
    assert version is not None
    problem_service.check_language(problem, data.language)
    _check_rate(session, settings, user)
    if data.callback_url is not None:
        _check_callback(settings, principal, data.callback_url)
    submission = Submission(
        user_id=user.id,
        problem_id=problem.id,
        problem_version_id=version.id,
        language=data.language,
        source=data.source,
        idempotency_key=idempotency_key,
        callback_url=data.callback_url,
        token_id=principal.token_id,
        status=SubmissionStatus.QUEUED,
        groups=[],
    )
    session.add(submission)
    try:
        session.flush()
    except IntegrityError:  # the same key raced in from a parallel retry
        session.rollback()
        existing = _by_key(session, user, idempotency_key or "")
        if existing is None:
            raise
        session.commit()
        return existing, False
    session.add(JudgeJob(submission_id=submission.id, capability="cpu"))
    session.commit()
    metrics.submissions_created.inc()
    return submission, True


def _may_view(viewer: Principal, submission: Submission) -> bool:
    return submission.user_id == viewer.user.id or problem_service.can_manage(
        viewer, submission.problem
    )


def get(*, session: Session, viewer: Principal, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    if submission is None or not _may_view(viewer, submission):
        raise NotFound(f"no submission {submission_id}", code="submission_not_found")
    return submission


def tests_of(*, session: Session, submission_id: int, after_id: int = 0) -> list[TestResultRow]:
    return list(
        session.scalars(
            select(TestResultRow)
            .where(TestResultRow.submission_id == submission_id, TestResultRow.id > after_id)
            .order_by(TestResultRow.id)
        )
    )


def test_public(row: TestResultRow) -> TestResult:
    views = row.views or {}
    return TestResult(
        name=row.name,
        group=row.group,
        verdict=Verdict(row.verdict),
        time_ms=row.time_ms,
        memory_kb=row.memory_kb,
        visible=row.visible,
        message=row.message,
        feedback=dict(row.feedback or {}),
        hint=row.hint,
        input=row.input,
        expected=row.expected,
        actual=row.actual,
        stderr=row.stderr,
        input_view=_view(views, "input"),
        expected_view=_view(views, "expected"),
        actual_view=_view(views, "actual"),
    ).redacted()


def _view(views: dict[str, Any], name: str) -> ShownData | None:
    """One entry of the row's JSON `views` (absent in rows stored before 0010_enums)."""
    view = views.get(name)
    return None if view is None else ShownData.model_validate(view)


def summary(submission: Submission) -> SubmissionSummary:
    return SubmissionSummary(
        id=submission.id,
        problem=submission.problem.slug,
        language=submission.language,
        user=submission.user.username,
        status=SubmissionStatus(submission.status),
        verdict=Verdict(submission.verdict) if submission.verdict else None,
        score=submission.score,
        max_score=submission.max_score,
        created_at=submission.created_at,
        judged_at=submission.judged_at,
    )


def _reads_as_python(language_id: str) -> bool:
    try:
        return get_language(language_id).runs_python
    except UnknownLanguage:  # a language since removed: nothing to scan
        return False


def integrity_scan(viewer: Principal | None, submission: Submission) -> list[ScanFinding] | None:
    """The advisory static scans, for the problem's managers only (a learner would learn
    from them what to hide); None for anyone else, [] for languages they cannot read.
    Kernel problems add the kernel scan (`graders.kernel.scan`: streams, timers,
    subclasses, fallbacks), the same one `GradeResult.advisories` reports at judging.
    Both are computed on read: they depend on the source alone, so storing them would
    only freeze an older scanner's findings."""
    if (
        viewer is None
        or not viewer.is_staff
        or not problem_service.can_manage(viewer, submission.problem)
    ):
        return None
    if not _reads_as_python(submission.language):
        return []
    banned = list((submission.version.spec or {}).get("banned_modules") or [])
    findings = scan_source(submission.source, banned)
    if submission.version.type is ProblemType.KERNEL:
        findings += scan_kernel_source(submission.source)
    return [ScanFinding(**f) for f in findings]


def public(
    *, session: Session, submission: Submission, viewer: Principal | None = None
) -> SubmissionPublic:
    rows = tests_of(session=session, submission_id=submission.id)
    return SubmissionPublic(
        **summary(submission).model_dump(),
        tests=[test_public(r) for r in rows],
        groups=group_results(submission.groups or []),
        compile_output=submission.compile_output,
        message=submission.message,
        source=submission.source,
        problem_version=submission.version.version,
        callback_url=submission.callback_url,
        integrity_scan=integrity_scan(viewer, submission),
    )


def list_visible(
    *,
    session: Session,
    viewer: Principal,
    problem: str | None = None,
    username: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Submission], int]:
    query = select(Submission).join(Problem, Submission.problem_id == Problem.id)
    if problem:
        query = query.where(Problem.slug == problem)
    if username:
        query = query.join(User, Submission.user_id == User.id).where(User.username == username)
    if viewer.is_admin:
        pass
    elif viewer.is_staff:
        # Own submissions, plus every submission on problems this instructor manages.
        query = query.where(
            (Submission.user_id == viewer.user.id)
            | Problem.owner_id.is_(None)
            | (Problem.owner_id == viewer.user.id)
        )
    else:
        query = query.where(Submission.user_id == viewer.user.id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Submission.id.desc()).limit(limit).offset(offset)).all()
    return list(rows), total


def is_done(*, session: Session, submission_id: int) -> bool:
    status = session.scalar(select(Submission.status).where(Submission.id == submission_id))
    return status in SETTLED


def change_mark(
    *, kept: KeptConnection, submission_id: int, with_tests: bool = True
) -> tuple[str, int] | None:
    """What moves whenever `progress` would read something new: the status and the
    newest stored test's row id (0 without `with_tests`), read on the kept connection
    (tens of microseconds, where `progress` takes milliseconds). None for no such
    submission or a failed read: the caller then reads the whole."""
    mark, subs, tests = kept.placeholder, Submission.__tablename__, TestResultRow.__tablename__
    if with_tests:
        newest = f"SELECT max(t.id) FROM {tests} t WHERE t.submission_id = {mark}"
        sql = f"SELECT s.status, ({newest}) FROM {subs} s WHERE s.id = {mark}"  # noqa: S608
        row = kept.fetchone(sql, (submission_id, submission_id))
    else:
        sql = f"SELECT status, 0 FROM {subs} WHERE id = {mark}"  # noqa: S608
        row = kept.fetchone(sql, (submission_id,))
    return None if row is None else (str(row[0]), int(row[1] or 0))


# (status, [(test row id, TestResult JSON)], SubmissionPublic JSON once judged)
Progress = tuple[str, list[tuple[int, str]], str | None]


def progress(
    *, session: Session, submission_id: int, after_id: int, with_tests: bool = True
) -> Progress:
    """What an event stream has not sent yet: tests after `after_id` (none read
    without `with_tests`: a `?wait=` needs only the end), and the end."""
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(f"no submission {submission_id}", code="submission_not_found")
    rows = (
        tests_of(session=session, submission_id=submission_id, after_id=after_id)
        if with_tests
        else []
    )
    tests = [(row.id, test_public(row).model_dump_json()) for row in rows]
    final = None
    if submission.status in SETTLED:
        final = public(session=session, submission=submission).model_dump_json()
    return submission.status, tests, final
