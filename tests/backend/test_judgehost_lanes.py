"""How many test lanes a judgehost's grading may use (`Judgehost._lanes_left`): the
cores its other busy workers leave, asked again as the grading goes on, and a worker
that has just finished a job counts as busy until its next claim comes back empty."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backend.judgehost.loop import Judgehost
from backend.schemas.judge import JobPublic
from graders import get_settings as grader_settings


class _Queue:
    """A transport whose queue holds what the test puts in it."""

    def __init__(self) -> None:
        self.jobs: list[JobPublic] = []

    def claim(self, judgehost: str, capabilities: list[str]) -> JobPublic | None:
        return self.jobs.pop(0) if self.jobs else None

    def package(self, content_hash: str) -> bytes:
        raise AssertionError("not fetched here")


def _job(job_id: int) -> JobPublic:
    return JobPublic(
        job_id=job_id,
        lease_id="lease",
        lease_expires_at=datetime.now(UTC),
        lease_s=60,
        attempt=1,
        submission_id=job_id,
        problem="p",
        package_hash="0" * 64,
        language="python",
        source="",
    )


@pytest.fixture
def host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Judgehost]:
    monkeypatch.setenv("GRADEBOX_TEST_PARALLELISM", "2")
    monkeypatch.setenv("GRADEBOX_WARM_POOL", "0")
    grader_settings.cache_clear()
    judged: list[int] = []
    made = Judgehost(
        _Queue(),  # type: ignore[arg-type]
        name="lanes",
        capabilities=["cpu"],
        cache_dir=tmp_path,
        sandbox=lambda: None,  # type: ignore[arg-type, return-value]
        workers=2,
    )
    made.judge = lambda job: judged.append(job.job_id)  # type: ignore[method-assign]
    yield made
    grader_settings.cache_clear()


def test_a_grading_gets_the_cores_other_workers_leave(host: Judgehost) -> None:
    me = threading.get_ident()
    assert host._lanes_left(me) == 2  # nobody else has claimed anything
    step, stepped = threading.Event(), threading.Event()

    def other_worker() -> None:
        host.transport.jobs.append(_job(1))  # type: ignore[attr-defined]
        assert host.run_once() is True  # claimed and judged job 1
        stepped.set()
        step.wait(60)
        assert host.run_once() is False  # the queue is empty now
        stepped.set()

    thread = threading.Thread(target=other_worker)
    thread.start()
    assert stepped.wait(60)
    # The other worker has finished its job but not yet looked for the next: its
    # core is not lent to this grading for the moment between finish and claim.
    assert host._lanes_left(me) == 1
    stepped.clear()
    step.set()
    assert stepped.wait(60)
    thread.join(60)
    # Its claim came back empty: this grading may widen onto its core.
    assert host._lanes_left(me) == 2
