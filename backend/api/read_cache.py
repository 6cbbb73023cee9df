"""A cache of whole answers for the hot read routes, in front of FastAPI.

Profiled, a read spent most of its 8 ms of CPU in FastAPI's routing, dependency
solving, thread-pool hops and serialization, not in the service (docs/performance.md),
so one server process saturated near 120 requests/s. An answer kept here is sent
again with none of that: the credential hashed, one dict lookup, one one-row
`SELECT`.

What makes a kept answer right:
- it is keyed by the path, the query and the caller's credentials (every
  `Authorization` and `Cookie` header), so no caller ever gets another's answer;
- it is kept with the data generation read *before* the route ran
  (`backend.db.generation`), and sent again only while the counter still has that
  value: any commit anywhere (a verdict, a revoked token, a role change, an upload, a
  new submission; this process or another on the same database) retires every
  answer at once;
- a route opts in (`mark_cacheable`), only a 200 without `Set-Cookie` is kept, and
  never past `read_cache_max_age_s` or the credential's own expiry.

What a hit skips: the token's `last_used_at`, refreshed once a minute on a miss, may
lag by up to `read_cache_max_age_s` more.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.db.generation import GenerationReader
from backend.db.types import utcnow

_MARK = "gradebox_read_cache"  # in the scope's state: the route allows keeping its answer
_EXPIRES = "gradebox_credential_expires_at"
HIT_HEADER = (b"x-read-cache", b"hit")
_CREDENTIAL_HEADERS = frozenset({b"authorization", b"cookie"})


async def mark_cacheable(request: Request) -> None:
    """A dependency for routes whose 200 depends only on the path, the query, the
    caller and the database (`async`: no thread-pool hop for it)."""
    request.scope.setdefault("state", {})[_MARK] = True


def note_credential_expiry(request: Request, expires_at: datetime) -> None:
    request.scope.setdefault("state", {})[_EXPIRES] = expires_at


@dataclass(slots=True)
class _Entry:
    generation: int
    deadline: float  # monotonic
    start: Message
    body: bytes
    route: Any


def _credential(scope: Scope) -> bytes:
    """Every `Authorization` and `Cookie` header, in order, hashed: whichever one the
    app believes, two requests share a key only if they carry the same ones."""
    digest = hashlib.sha256()
    for name, value in scope["headers"]:
        if name in _CREDENTIAL_HEADERS:
            digest.update(b"%s:%d:%s" % (name, len(value), value))
    return digest.digest()


class ReadCache:
    """Pure ASGI; sits inside the request-id and metrics middleware, so a hit is
    logged and counted like any other answer."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        generation: GenerationReader,
        max_bytes: int,
        max_age_s: float,
        prefix: str = "/api/",
    ) -> None:
        self.app = app
        self.generation = generation
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_bytes // 8
        self.max_age_s = max_age_s
        self.prefix = prefix
        self._entries: OrderedDict[tuple[str, bytes, bytes], _Entry] = OrderedDict()
        self._bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not self.max_bytes
            or not scope["path"].startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        generation = self.generation.read()
        if generation is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""), _credential(scope))
        entry = self._entries.get(key)
        if entry is not None:
            if entry.generation == generation and time.monotonic() < entry.deadline:
                self._entries.move_to_end(key)
                scope["route"] = entry.route
                await send(entry.start)
                await send({"type": "http.response.body", "body": entry.body})
                return
            self._drop(key)
        await self._miss(scope, receive, send, key, generation)

    async def _miss(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        key: tuple[str, bytes, bytes],
        generation: int,
    ) -> None:
        started = time.monotonic()
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        whole = False

        async def capture(message: Message) -> None:
            nonlocal start, size, whole
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and size <= self.max_entry_bytes:
                body = message.get("body", b"")
                chunks.append(body)
                size += len(body)
                whole = not message.get("more_body", False)
            await send(message)

        state: dict[str, Any] = scope.setdefault("state", {})
        await self.app(scope, receive, capture)
        if not (state.get(_MARK) and whole and start is not None and start["status"] == 200):
            return
        if size > self.max_entry_bytes or any(
            name.lower() == b"set-cookie" for name, _ in start.get("headers", [])
        ):
            return
        deadline = started + self.max_age_s
        expires_at: datetime | None = state.get(_EXPIRES)
        if expires_at is not None:
            deadline = min(deadline, started + (expires_at - utcnow()).total_seconds())
        headers = [*start.get("headers", []), HIT_HEADER]
        self._store(
            key,
            _Entry(
                generation=generation,
                deadline=deadline,
                start={**start, "headers": headers},
                body=b"".join(chunks),
                route=scope.get("route"),
            ),
        )

    def _store(self, key: tuple[str, bytes, bytes], entry: _Entry) -> None:
        self._drop(key)
        self._entries[key] = entry
        self._bytes += len(entry.body)
        while self._bytes > self.max_bytes and self._entries:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple[str, bytes, bytes]) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.body)
