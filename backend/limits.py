"""Request limits: a cap on request bodies, and a per-user sliding window for runs.

The body cap is applied before anything parses a request.

A declared `Content-Length` over the cap is refused at once; a body that streams in
without one is counted, and reading past the cap raises `BodyTooLarge` inside the app,
where the error mapping turns it into the usual 413 JSON body. (It is an
HTTPException because FastAPI turns any other error raised while reading a body
into a 400.)
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.errors import error_body


class BodyTooLarge(HTTPException):
    code = "body_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes")


async def send_error(
    send: Send, status: int, code: str, message: str, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    """The API's error body, from a middleware that answers before the app runs."""
    body = json.dumps(error_body(code, message)).encode()
    start_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": start_headers})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    def __init__(self, app: ASGIApp, *, default: int, uploads: int) -> None:
        self.app = app
        self.default = default
        self.uploads = uploads

    def _limit(self, scope: Scope) -> int:
        if scope["method"] == "POST" and scope["path"].rstrip("/") == "/api/v1/problems":
            return self.uploads
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await send_error(send, 413, "body_too_large", f"request body over {limit} bytes")
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counting_receive, send)


class SlidingWindow:
    """At most `limit` events per key in any `window_s` seconds, counted in memory.

    For requests that leave no row behind to count (runs are not submissions); one
    per server process, which is what bounds that process's sandbox work.
    """

    def __init__(self, *, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._events: dict[object, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: object, now: float | None = None) -> float | None:
        """Record an event; None if allowed, else seconds until one is."""
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window_s:
                events.popleft()
            if len(events) >= self.limit:
                return events[0] + self.window_s - now
            events.append(now)
            return None


class ReadAdmission:
    """At most `max_in_flight` reads in the app at once; a read that waits longer than
    `max_wait_s` for its turn is refused at once with 503 `overloaded`.

    Past saturation an unbounded server keeps working on requests whose clients have
    given up, and answers almost nothing in time (docs/performance.md, fifth pass).
    Waiting here costs nothing, and what is refused costs nothing either, so the
    server goes on answering at its full rate. Only plain GETs wait: writes (never
    shed), waits (`?wait=`) and event streams, which hold a request open on purpose,
    and the judgehosts' package downloads pass straight through. It sits inside the
    read cache: a hit never waits.
    """

    def __init__(self, app: ASGIApp, *, max_in_flight: int, max_wait_s: float) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.max_wait_s = max_wait_s
        self._in_flight = 0
        self._waiting: deque[asyncio.Future[None]] = deque()

    @staticmethod
    def _admitted(scope: Scope) -> bool:
        """Requests that pass without a turn."""
        return (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith("/api/")  # the UI's files, health, metrics
            or scope["path"].startswith("/api/v1/judge/")  # judgehosts' packages
            or scope["path"].endswith("/events")
            or b"wait=" in scope.get("query_string", b"")
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.max_in_flight or self._admitted(scope):
            await self.app(scope, receive, send)
            return
        if self._in_flight >= self.max_in_flight:
            turn = asyncio.get_running_loop().create_future()
            self._waiting.append(turn)
            try:
                await asyncio.wait_for(asyncio.shield(turn), self.max_wait_s)
            except TimeoutError:
                pass
            except BaseException:  # cancelled while waiting: give back what was given
                self._abandon(turn)
                raise
            if not turn.done():
                self._waiting.remove(turn)
                await send_error(
                    send,
                    503,
                    "overloaded",
                    "the server is past its capacity for reads; retry later",
                    [(b"retry-after", str(max(1, round(self.max_wait_s))).encode())],
                )
                return
            # handed a turn by `_release`: the slot was passed on, already counted
        else:
            self._in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._release()

    def _abandon(self, turn: asyncio.Future[None]) -> None:
        if turn.done():
            self._release()
        else:
            self._waiting.remove(turn)

    def _release(self) -> None:
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(None)  # the slot passes to it; the count stays
                return
        self._in_flight -= 1
