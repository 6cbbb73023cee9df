"""The judgehost: claim a job, fetch its package (cached by hash), grade, report.

One loop, two transports: `HttpTransport` for `gradebox judgehost --url ...` (any
number of processes or containers), `LocalTransport` for the judgehost embedded in
`gradebox server run`, which calls the same queue functions in-process. While a job
is graded a heartbeat thread renews its lease; if the lease is lost (409), results
stop being sent and the job is left to whoever holds it now. A grading failure
(including a retryable IE verdict) is reported as an error, so the queue retries the
job and gives it IE with the reason after the last attempt; an IE the submission
causes deterministically (`GradeResult.retryable` false) is reported as the result.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from backend.archive import ArchiveLimits, unpack
from backend.errors import Conflict
from backend.http_retry import RetriesExhausted, request_with_retry
from backend.schemas.judge import (
    ClaimRequest,
    FinishRequest,
    JobPublic,
    LeaseRequest,
    ResultsRequest,
)
from graders import (
    DeviceInfo,
    GradeResult,
    TestResult,
    Verdict,
    describe_device,
    grade_submission,
    load_package,
    pooled,
)
from graders import get_settings as grader_settings
from sandbox import Sandbox

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy.orm import Session, sessionmaker

    from backend.metrics import Metrics
    from backend.services.watch import Notifier
    from backend.settings import Settings

log = logging.getLogger(__name__)


class JudgehostError(Exception):
    """The server refused a judgehost request for a reason retrying won't fix."""


class JudgehostRefused(JudgehostError):
    """The server does not accept this judgehost's token (401/403): retrying is useless."""


class LeaseLost(JudgehostError):
    """The job was reassigned or finished by someone else (HTTP 409)."""


class Transport(Protocol):
    def claim(self, judgehost: str, capabilities: list[str]) -> JobPublic | None: ...
    def heartbeat(self, job: JobPublic) -> None: ...
    def results(self, job: JobPublic, results: list[TestResult]) -> None: ...
    def finish(self, job: JobPublic, *, result: GradeResult | None, error: str | None) -> None: ...
    def package(self, content_hash: str) -> bytes: ...


# --- transports -------------------------------------------------------------------------


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


class HttpTransport:
    """The REST protocol; transport errors and 5xx are retried with backoff, so a server
    restart only pauses the judgehost."""

    def __init__(self, url: str, token: str, *, timeout: float = 60.0, retry_for_s: float = 120.0):
        self._client = httpx.Client(
            base_url=url.rstrip("/") + "/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )
        self._retry_for_s = retry_for_s

    def close(self) -> None:
        self._client.close()

    def _request(self, method: str, path: str, json: Any = None) -> httpx.Response:
        try:
            response = request_with_retry(
                self._client, method, path, json=json, retry_for_s=self._retry_for_s
            )
        except RetriesExhausted as exc:
            raise JudgehostError(f"{method} {path}: {exc.problem}") from None
        if response.status_code == 409:
            raise LeaseLost(response.text)
        if response.status_code in (401, 403):
            raise JudgehostRefused(
                f"the server refused the token ({response.status_code}): {response.text[:300]}"
            )
        if response.status_code >= 400:
            raise JudgehostError(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response

    def claim(self, judgehost: str, capabilities: list[str]) -> JobPublic | None:
        body = ClaimRequest(judgehost=judgehost, capabilities=capabilities)
        response = self._request("POST", "/judge/claim", body.model_dump())
        if response.status_code == 204:
            return None
        return JobPublic.model_validate(response.json())

    def heartbeat(self, job: JobPublic) -> None:
        body = LeaseRequest(lease_id=job.lease_id)
        self._request("POST", f"/judge/{job.job_id}/heartbeat", body.model_dump())

    def results(self, job: JobPublic, results: list[TestResult]) -> None:
        body = ResultsRequest(lease_id=job.lease_id, results=results)
        self._request("POST", f"/judge/{job.job_id}/results", body.model_dump(mode="json"))

    def finish(self, job: JobPublic, *, result: GradeResult | None, error: str | None) -> None:
        body = FinishRequest(lease_id=job.lease_id, result=result, error=error)
        self._request("POST", f"/judge/{job.job_id}/finish", body.model_dump(mode="json"))

    def package(self, content_hash: str) -> bytes:
        return self._request("GET", f"/judge/packages/{content_hash}").content


# --- package cache ----------------------------------------------------------------------

_HASH = re.compile(r"[0-9a-f]{16,128}")
_CACHE_LIMITS = ArchiveLimits(max_files=20000, max_entry_bytes=1 << 30, max_total_bytes=4 << 30)


class PackageCache:
    """Unpacked packages by content hash under `root/<hash>/<slug>/`. Filled atomically
    (unpack to a temporary folder, then rename), so processes can share one root."""

    def __init__(self, root: Path, fetch: Callable[[str], bytes]) -> None:
        self.root = root
        self._fetch = fetch
        self._lock = threading.Lock()

    def get(self, content_hash: str) -> Path:
        if not _HASH.fullmatch(content_hash):
            raise JudgehostError(f"bad package hash {content_hash!r}")
        final = self.root / content_hash
        with self._lock:
            if not final.is_dir():
                self.root.mkdir(parents=True, exist_ok=True)
                data = self._fetch(content_hash)
                tmp = Path(tempfile.mkdtemp(prefix=f".{content_hash[:12]}-", dir=self.root))
                try:
                    unpack(data, tmp, limits=_CACHE_LIMITS)
                    try:
                        tmp.rename(final)
                    except OSError:  # another process won the race; theirs is identical
                        if not final.is_dir():
                            raise
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
            entries = [p for p in final.iterdir() if p.is_dir()]
        if len(entries) != 1:
            raise JudgehostError(f"package {content_hash} does not hold one problem folder")
        return entries[0]


# --- the loop ---------------------------------------------------------------------------


def default_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class Judgehost:
    def __init__(
        self,
        transport: Transport,
        *,
        name: str,
        capabilities: list[str],
        cache_dir: Path,
        sandbox: Callable[[], Sandbox],
        poll_s: float = 1.0,
    ) -> None:
        self.transport = transport
        self.name = name
        self.capabilities = capabilities
        self.cache = PackageCache(cache_dir, transport.package)
        # Sessions started ahead (GRADEBOX_WARM_POOL), torch already imported in them.
        self._sandbox = pooled(sandbox, grader_settings().warm_pool)
        self.poll_s = poll_s

    def run(self, stop: threading.Event) -> None:
        log.info("judgehost %s: polling for %s", self.name, ",".join(self.capabilities))
        while not stop.is_set():
            try:
                worked = self.run_once()
            except JudgehostRefused:
                raise
            except Exception:
                log.exception("judgehost %s: claim failed", self.name)
                worked = False
            if not worked:
                stop.wait(self.poll_s)

    def run_once(self) -> bool:
        """Claim and judge one job; False when the queue had nothing for us."""
        job = self.transport.claim(self.name, self.capabilities)
        if job is None:
            return False
        log.info(
            "judgehost %s: job %s (submission %s, attempt %s)",
            self.name,
            job.job_id,
            job.submission_id,
            job.attempt,
        )
        self.judge(job)
        return True

    def _heartbeat(self, job: JobPublic, done: threading.Event, lost: threading.Event) -> None:
        interval = max(0.2, job.lease_s / 3)
        while not done.wait(interval):
            try:
                self.transport.heartbeat(job)
            except LeaseLost:
                lost.set()
                return
            except Exception as exc:  # keep trying: the lease is longer than the interval
                log.warning("job %s: heartbeat failed: %s", job.job_id, exc)

    def judge(self, job: JobPublic) -> None:
        done, lost = threading.Event(), threading.Event()
        beat = threading.Thread(
            target=self._heartbeat,
            args=(job, done, lost),
            name=f"heartbeat-{job.job_id}",
            daemon=True,
        )
        beat.start()

        def on_test(test: TestResult) -> None:
            if lost.is_set():
                return
            try:
                self.transport.results(job, [test])
            except LeaseLost:
                lost.set()

        result: GradeResult | None = None
        error: str | None = None
        try:
            root = self.cache.get(job.package_hash)
            sandbox = self._sandbox()
            package = load_package(root, sandbox=sandbox, cache_dir=self.cache.root / "generated")
            if package.content_hash != job.package_hash:
                raise JudgehostError(
                    f"package hash mismatch: {package.content_hash} != {job.package_hash}"
                )
            result = grade_submission(
                package,
                source=job.source,
                language=job.language,
                sandbox=sandbox,
                on_test=on_test,
            )
            if result.verdict is Verdict.IE and result.retryable:
                error, result = f"internal error while grading: {result.message}", None
            # A deterministic IE (a checker failed on this output) is reported as a
            # result: the queue records it at once instead of retrying.
        except Exception as exc:
            log.exception("job %s: grading failed", job.job_id)
            error = f"{type(exc).__name__}: {exc}"
        finally:
            done.set()
            beat.join(timeout=5)
        if lost.is_set():
            log.warning("job %s: lease lost; dropping the result", job.job_id)
            return
        try:
            self.transport.finish(job, result=result, error=error)
        except LeaseLost:
            log.warning("job %s: lease lost before finish; dropping the result", job.job_id)


def advertised_capabilities(
    requested: list[str], describe: Callable[[], DeviceInfo | None] | None = None
) -> list[str]:
    """What a judgehost may claim: `gpu` only when a GPU answers (nvidia-smi lists one),
    refined to `gpu:<model>`; without one it is dropped, loudly, so kernel timing waits
    in the queue for a real GPU instead of being "timed" on a CPU."""
    wants_gpu = [c for c in requested if c.split(":", 1)[0] == "gpu"]
    if not wants_gpu:
        return list(requested)
    info = (describe or describe_device)()
    others = [c for c in requested if c not in wants_gpu]
    if info is None:
        log.warning("no GPU answers on this host: not claiming %s jobs", ",".join(wants_gpu))
        return others
    model = info.model.replace(" ", "-")
    return [*others, *(c if ":" in c else f"gpu:{model}" for c in wants_gpu)]


def start_embedded(app: FastAPI, stop: threading.Event) -> threading.Thread:
    """The judgehost of `gradebox server run`: a thread with the in-process transport."""
    settings = app.state.settings
    host = Judgehost(
        LocalTransport(app.state.sessionmaker, settings, app.state.metrics, app.state.notifier),
        name=f"embedded-{default_name()}",
        capabilities=advertised_capabilities(list(settings.embedded_capabilities)),
        cache_dir=settings.data_dir / "judge-cache",
        sandbox=app.state.sandbox,
        poll_s=settings.judge_poll_s,
    )
    thread = threading.Thread(target=host.run, args=(stop,), name="embedded-judgehost", daemon=True)
    thread.start()
    return thread
