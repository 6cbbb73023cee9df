"""`watch()`: one read now, then one per notification (this process) or poll (others)."""

from __future__ import annotations

import json
from contextlib import aclosing
from functools import partial

import anyio
import pytest
from fastapi.testclient import TestClient

from backend.judgehost import LocalTransport
from backend.schemas.judge import JobPublic
from backend.services import submissions as submission_service
from backend.services.watch import Notifier, watch
from backend.settings import Settings
from tests.backend.conftest import Actors, submit

HANG_GUARD_S = 120  # fails a test that would otherwise hang; nothing is timed


async def _statuses(
    client: TestClient, settings: Settings, submission_id: int, notifier: Notifier, poll_s: float
) -> tuple[list[str], str | None]:
    """Drive one submission claim -> failed finish (IE, one attempt) while watching it."""
    state = client.app.state  # type: ignore[attr-defined]
    once = settings.model_copy(update={"max_attempts": 1})
    transport = LocalTransport(state.sessionmaker, once, state.metrics, state.notifier)
    seen: list[str] = []
    final = None
    job: JobPublic | None = None
    progress = watch(
        sessions=state.sessionmaker, notifier=notifier, submission_id=submission_id, poll_s=poll_s
    )
    with anyio.fail_after(HANG_GUARD_S):
        async with aclosing(progress):
            async for step in progress:
                seen.append(step.status)
                final = step.final
                if step.status == "queued":
                    job = await anyio.to_thread.run_sync(transport.claim, "watch-test", ["cpu"])
                elif step.status == "running" and job is not None:
                    finish = partial(transport.finish, job, result=None, error="judge broke")
                    await anyio.to_thread.run_sync(finish)
                    job = None
    return seen, final


def test_the_notifier_wakes_a_watcher_that_would_not_poll_for_an_hour(
    client: TestClient, settings: Settings, actors: Actors
) -> None:
    notifier: Notifier = client.app.state.notifier  # type: ignore[attr-defined]
    created = submit(client, actors.learner, "print(1)\n").json()
    seen, final = anyio.run(_statuses, client, settings, created["id"], notifier, 3600.0)
    assert seen == ["queued", "running", "judged"]
    assert final is not None and json.loads(final)["verdict"] == "IE"
    assert notifier.watched() == 0, "a finished watch leaves no waiter behind"


def test_a_change_made_by_another_process_is_seen_by_polling(
    client: TestClient, settings: Settings, actors: Actors
) -> None:
    created = submit(client, actors.learner, "print(1)\n").json()
    nobody_notifies = Notifier()  # as if the judge's results landed in another worker
    seen, final = anyio.run(_statuses, client, settings, created["id"], nobody_notifies, 0.05)
    assert seen[0] == "queued" and seen[-1] == "judged" and "running" in seen
    assert final is not None


def test_notify_from_a_thread_wakes_only_that_submissions_waiters() -> None:
    notifier = Notifier()

    async def scenario() -> tuple[bool, bool]:
        with notifier.subscribe(1) as mine, notifier.subscribe(2) as other:
            await anyio.to_thread.run_sync(notifier.notify, 1)
            with anyio.fail_after(HANG_GUARD_S):
                await mine.wait()
            await anyio.sleep(0)
            return mine.is_set(), other.is_set()

    assert anyio.run(scenario) == (True, False)
    assert notifier.watched() == 0


def test_a_poll_that_finds_nothing_new_reads_nothing_more(
    client: TestClient, settings: Settings, actors: Actors, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A CI job's `?wait=` polls four times a second: while the submission's status and
    # tests stay as they were, each poll reads only its change mark, never the whole.
    state = client.app.state  # type: ignore[attr-defined]
    created = submit(client, actors.learner, "print(1)\n").json()
    reads: list[int] = []
    marks: list[int] = []
    real_progress, real_mark = submission_service.progress, submission_service.change_mark
    monkeypatch.setattr(
        submission_service, "progress", lambda **kw: reads.append(1) or real_progress(**kw)
    )
    monkeypatch.setattr(
        submission_service, "change_mark", lambda **kw: marks.append(1) or real_mark(**kw)
    )
    transport = LocalTransport(state.sessionmaker, settings, state.metrics, state.notifier)

    async def scenario() -> tuple[str, str]:
        progress = watch(
            sessions=state.sessionmaker,
            notifier=Notifier(),  # nobody notifies: only the polls see the claim
            submission_id=created["id"],
            poll_s=0.01,
            marks=state.marks,
        )
        steps: list[str] = []
        with anyio.fail_after(HANG_GUARD_S):
            async with aclosing(progress):
                steps.append((await progress.__anext__()).status)

                async def next_step() -> None:
                    steps.append((await progress.__anext__()).status)

                async with anyio.create_task_group() as group:
                    group.start_soon(next_step)
                    while len(marks) < 20 and len(steps) < 2:
                        await anyio.sleep(0.01)
                    before_claim.append(len(reads))
                    await anyio.to_thread.run_sync(transport.claim, "watch-test", ["cpu"])
        return steps[0], steps[1]

    before_claim: list[int] = []
    assert anyio.run(scenario) == ("queued", "running")
    assert before_claim == [1], "polls that found nothing new read the whole submission"
    assert len(reads) == 2
