"""The judgehost loop: claim a job, fetch its package (cached by hash), grade, report.

While a job is graded a heartbeat thread renews its lease; if the lease is lost (409),
results stop being sent and the job is left to whoever holds it now. A grading failure
(including a retryable IE verdict) is reported as an error, so the queue retries the
job and gives it IE with the reason after the last attempt; an IE the submission
causes deterministically (`GradeResult.retryable` false) is reported as the result.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from backend.judgehost.errors import JudgehostRefused, LeaseLost
from backend.judgehost.live_results import LiveResults
from backend.judgehost.package_cache import PackageCache
from backend.judgehost.transport import Transport
from backend.schemas.judge import JobPublic
from graders import (
    GradeResult,
    HintBook,
    Verdict,
    grade_submission,
    load_package,
    pooled,
)
from graders import get_settings as grader_settings
from sandbox import Sandbox

log = logging.getLogger(__name__)


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
        wake: threading.Event | None = None,
        workers: int = 1,
    ) -> None:
        """`wake`: set when a job was queued in this process (the embedded judge);
        the loop then claims at once instead of after its poll. `workers`: jobs
        graded at once, each by a thread of its own that claims and judges."""
        self.transport = transport
        self.name = name
        self.capabilities = capabilities
        self.cache = PackageCache(cache_dir, transport.package)
        # Sessions started ahead (GRADEBOX_WARM_POOL), torch already imported in them.
        self._sandbox = pooled(sandbox, grader_settings().warm_pool)
        self.poll_s = poll_s
        self._wake = wake
        self.workers = max(1, workers)
        # Workers (thread idents) whose latest claim found a job: one that has just
        # finished still counts until a claim comes back empty, so another grading
        # does not widen into the moment between its finish and its next claim.
        self._busy: set[int] = set()
        self._busy_lock = threading.Lock()

    def run(self, stop: threading.Event) -> None:
        log.info("judgehost %s: polling for %s", self.name, ",".join(self.capabilities))
        # Each worker is a thread that lives as long as the loop: bwrap's
        # --die-with-parent ends a session with the thread that started it.
        others = [
            threading.Thread(target=self._work_or_stop, args=(stop,), name=f"judge-worker-{i}")
            for i in range(1, self.workers)
        ]
        for thread in others:
            thread.start()
        try:
            self._work(stop)
        finally:
            stop.set()  # one worker refused (or failed): all of them stop
            for thread in others:
                thread.join()

    def _work_or_stop(self, stop: threading.Event) -> None:
        try:
            self._work(stop)
        except JudgehostRefused as exc:
            log.error("judgehost %s: refused by the server: %s", self.name, exc)
            stop.set()

    def _work(self, stop: threading.Event) -> None:
        while not stop.is_set():
            if self._wake is not None:
                self._wake.clear()  # before the claim: a job queued after it wakes the wait
            try:
                worked = self.run_once()
            except JudgehostRefused:
                raise
            except Exception:
                log.exception("judgehost %s: claim failed", self.name)
                worked = False
            if not worked:
                (self._wake or stop).wait(self.poll_s)

    def run_once(self) -> bool:
        """Claim and judge one job; False when the queue had nothing for us."""
        job = self.transport.claim(self.name, self.capabilities)
        with self._busy_lock:
            if job is None:
                self._busy.discard(threading.get_ident())
            else:
                self._busy.add(threading.get_ident())
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

    def _lanes_left(self, worker: int) -> int:
        """Test lanes for `worker`'s grading at this moment: the cores the other busy
        workers leave (each of them keeps at least one). Asked again as the grading
        goes on (`graders.lanes`): the last job of a batch widens once the others end."""
        with self._busy_lock:
            others = len(self._busy - {worker})
        return max(1, grader_settings().test_parallelism - others)

    def judge(self, job: JobPublic) -> None:
        done, lost = threading.Event(), threading.Event()
        beat = threading.Thread(
            target=self._heartbeat,
            args=(job, done, lost),
            name=f"heartbeat-{job.job_id}",
            daemon=True,
        )
        beat.start()

        live = LiveResults(
            f"results-{job.job_id}", lambda tests: self.transport.results(job, tests), lost
        )
        result: GradeResult | None = None
        error: str | None = None
        try:
            sandbox = self._sandbox()
            # Generated tests and hint outputs live beside the packages, never in the
            # grader's own default cache (`GRADEBOX_CACHE_DIR`, for the local CLI).
            derived = self.cache.root / "generated"
            package = self.cache.load(
                job.package_hash,
                lambda root: load_package(root, sandbox=sandbox, cache_dir=derived),
            )
            result = grade_submission(
                package,
                source=job.source,
                language=job.language,
                sandbox=sandbox,
                on_test=live.put,
                hints=HintBook.for_package(package, sandbox, cache_dir=derived),
                parallelism=functools.partial(self._lanes_left, threading.get_ident()),
            )
            if result.verdict is Verdict.IE and result.retryable:
                error, result = f"internal error while grading: {result.message}", None
            # A deterministic IE (a checker failed on this output) is reported as a
            # result: the queue records it at once instead of retrying.
        except Exception as exc:
            log.exception("job %s: grading failed", job.job_id)
            error = f"{type(exc).__name__}: {exc}"
        finally:
            live.close()
            done.set()
            beat.join(timeout=5)
        if lost.is_set():
            log.warning("job %s: lease lost; dropping the result", job.job_id)
            return
        try:
            self.transport.finish(job, result=result, error=error)
        except LeaseLost:
            log.warning("job %s: lease lost before finish; dropping the result", job.job_id)
