"""Sign-in throttling: failed attempts counted per account and per client address.

A sliding window of failure times per key; past the limit, sign-in for that key is
refused (429 with Retry-After) until the oldest failure leaves the window, even with
the right password, so a password cannot be guessed by trying fast. Per account
stops a distributed guess at one account; per address stops one client spraying
many accounts. A success clears the account's failures (not the address's).

State is in the server process: with several API processes each counts its own (a
limit per process is still a limit); it is lost on restart, which only forgives.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class LoginThrottle:
    def __init__(
        self,
        *,
        per_account: int,
        per_address: int,
        window_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits = {"account": per_account, "address": per_address}
        self._window = window_s
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _keys(self, username: str, address: str) -> list[tuple[str, str]]:
        return [("account", username.casefold()), ("address", address)]

    def _prune(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - self._window:
            times.popleft()
        if not times:
            del self._failures[key]
            return deque()
        return times

    def retry_after(self, username: str, address: str) -> int | None:
        """Seconds until a sign-in may be tried again, or None when it may be now."""
        now = self._clock()
        with self._lock:
            waits = []
            for key in self._keys(username, address):
                times = self._prune(key, now)
                if len(times) >= self._limits[key[0]]:
                    waits.append(times[0] + self._window - now)
        return max(1, math.ceil(max(waits))) if waits else None

    def failed(self, username: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            for key in self._keys(username, address):
                self._failures[key].append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(("account", username.casefold()), None)
