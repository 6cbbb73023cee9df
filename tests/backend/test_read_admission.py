"""Reads past the server's capacity wait for a turn, then are refused fast
(`backend.limits.ReadAdmission`); writes, waits and streams never wait."""

from __future__ import annotations

import asyncio
import json

from backend.limits import ReadAdmission


class _Gate:
    """An app whose requests stay inside until the test opens the gate."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.calls = 0
        self.opened = asyncio.Event()

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        self.inside += 1
        self.most = max(self.most, self.inside)
        try:
            await self.opened.wait()
        finally:
            self.inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def _request(app, method="GET", path="/api/v1/problems", query=b""):
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": query, "headers": []}
    await app(scope, receive, send)
    return sent


async def _settle():
    for _ in range(5):
        await asyncio.sleep(0)


async def _one_held(max_wait_s: float):
    """An admission of one turn, and a read holding it behind the shut gate."""
    gate = _Gate()
    admission = ReadAdmission(gate, max_in_flight=1, max_wait_s=max_wait_s)
    held = asyncio.create_task(_request(admission))
    await _settle()
    return gate, admission, held


def test_a_read_waits_for_its_turn_and_then_runs():
    async def main():
        gate = _Gate()
        admission = ReadAdmission(gate, max_in_flight=2, max_wait_s=60)
        tasks = [asyncio.create_task(_request(admission)) for _ in range(5)]
        await _settle()
        assert gate.inside == 2 and gate.calls == 2  # three wait outside
        gate.opened.set()
        answers = await asyncio.gather(*tasks)
        assert [a[0]["status"] for a in answers] == [200] * 5
        assert gate.most == 2 and gate.calls == 5 and admission._in_flight == 0

    asyncio.run(main())


def test_a_read_that_waits_too_long_is_refused_without_running():
    async def main():
        gate, admission, first = await _one_held(0.05)
        # The gate stays shut: this one must be refused (a broken limit fails here
        # rather than hanging the test).
        refused = await asyncio.wait_for(_request(admission), 10)
        assert refused[0]["status"] == 503
        assert dict(refused[0]["headers"])[b"retry-after"] == b"1"
        assert json.loads(refused[1]["body"])["error"]["code"] == "overloaded"
        assert gate.calls == 1
        gate.opened.set()
        assert (await first)[0]["status"] == 200
        assert admission._in_flight == 0

    asyncio.run(main())


def test_writes_waits_streams_and_other_paths_never_wait():
    async def main():
        gate, admission, held = await _one_held(0.05)
        passing = [
            asyncio.create_task(_request(admission, "POST", "/api/v1/submissions")),
            asyncio.create_task(_request(admission, query=b"problem=x&wait=30")),
            asyncio.create_task(_request(admission, path="/api/v1/submissions/3/events")),
            asyncio.create_task(_request(admission, path="/api/v1/judge/packages/ab12")),
            asyncio.create_task(_request(admission, path="/healthz")),
            asyncio.create_task(_request(admission, path="/assets/app.js")),
        ]
        await asyncio.sleep(0.2)  # well past max_wait_s: none of them was refused
        assert gate.inside == 7
        gate.opened.set()
        for answer in await asyncio.gather(held, *passing):
            assert answer[0]["status"] == 200
        assert admission._in_flight == 0

    asyncio.run(main())


def test_a_waiter_that_is_cancelled_gives_its_turn_back():
    async def main():
        gate, admission, held = await _one_held(60)
        gone = asyncio.create_task(_request(admission))
        await _settle()
        gone.cancel()
        await _settle()
        later = asyncio.create_task(_request(admission))
        await _settle()
        gate.opened.set()
        assert (await held)[0]["status"] == 200
        assert (await later)[0]["status"] == 200
        assert gone.cancelled() and admission._in_flight == 0 and not admission._waiting
        assert gate.calls == 2

    asyncio.run(main())


def test_off_when_its_limit_is_zero():
    async def main():
        gate = _Gate()
        admission = ReadAdmission(gate, max_in_flight=0, max_wait_s=0.05)
        tasks = [asyncio.create_task(_request(admission)) for _ in range(3)]
        await asyncio.sleep(0.2)
        assert gate.inside == 3
        gate.opened.set()
        await asyncio.gather(*tasks)

    asyncio.run(main())
