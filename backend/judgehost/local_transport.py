"""The in-process transport: the embedded judgehost calls the queue service directly,
one database session per call, and wakes this process's `watch()` after each change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from backend.errors import Conflict
from backend.judgehost.errors import LeaseLost
from backend.schemas.judge import JobPublic
from graders import GradeResult, TestResult

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from backend.metrics import Metrics
    from backend.services.watch import Notifier
    from backend.settings import Settings


class LocalTransport:
    """Calls the queue service directly, one database session per call."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: Settings,
        metrics: Metrics,
        notifier: Notifier | None = None,
    ):
        self._sessions, self._settings, self._metrics = sessions, settings, metrics
        self._notifier = notifier  # wakes `watch()` (`?wait=`, events) in this process

    def _wake(self, job: JobPublic) -> None:
        if self._notifier is not None:
            self._notifier.notify(job.submission_id)

    def _call(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        with self._sessions() as session:
            try:
                return fn(session=session, **kwargs)
            except Conflict as exc:
                raise LeaseLost(str(exc)) from None

    def claim(self, judgehost: str, capabilities: list[str]) -> JobPublic | None:
        from backend.services import judge

        job: JobPublic | None = self._call(
            judge.claim,
            settings=self._settings,
            metrics=self._metrics,
            judgehost=judgehost,
            capabilities=capabilities,
        )
        if job is not None:
            self._wake(job)
        return job

    def heartbeat(self, job: JobPublic) -> None:
        from backend.services import judge

        self._call(
            judge.heartbeat, settings=self._settings, job_id=job.job_id, lease_id=job.lease_id
        )

    def results(self, job: JobPublic, results: list[TestResult]) -> None:
        from backend.services import judge

        self._call(judge.store_results, job_id=job.job_id, lease_id=job.lease_id, results=results)
        self._wake(job)

    def finish(self, job: JobPublic, *, result: GradeResult | None, error: str | None) -> None:
        from backend.services import judge

        self._call(
            judge.finish,
            settings=self._settings,
            metrics=self._metrics,
            job_id=job.job_id,
            lease_id=job.lease_id,
            result=result,
            error=error,
        )
        self._wake(job)

    def package(self, content_hash: str) -> bytes:
        from backend.services import problems

        data: bytes = self._call(problems.package_blob, content_hash=content_hash)
        return data
