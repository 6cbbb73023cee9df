"""Request limits: a cap on request bodies, and a per-user sliding window for runs.

The body cap is applied before anything parses a request.

A declared `Content-Length` over the cap is refused at once; a body that streams in
without one is counted, and reading past the cap raises `BodyTooLarge` inside the app,
where the error mapping turns it into the usual 413 JSON body. (It is an
HTTPException because FastAPI turns any other error raised while reading a body
into a 400.)
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    code = "body_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes")


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
            error = {"code": "body_too_large", "message": f"request body over {limit} bytes"}
            body = json.dumps({"error": {**error, "details": None}}).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 413,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
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
