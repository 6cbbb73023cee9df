"""One retry policy for every HTTP client of the service (judgehost, CLI).

Transport failures, 5xx and 429 are retried with exponential backoff (a 429's
`Retry-After` is honoured); any other answer is returned for the caller to read, since
only it knows what a 4xx means. Retrying a POST is safe only where the server makes it
idempotent (judge calls by lease and test name, submissions by `Idempotency-Key`).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx

log = logging.getLogger(__name__)


class RetriesExhausted(Exception):
    """The server stayed unreachable or kept failing until the retries ran out."""

    def __init__(self, problem: str, response: httpx.Response | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.response = response


def _retry_after(response: httpx.Response, default: float) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", default)))
    except ValueError:
        return default


def request_with_retry(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    retry_for_s: float,
    first_delay_s: float = 0.5,
    max_delay_s: float = 10.0,
    **kwargs: Any,
) -> httpx.Response:
    """Send until the answer is neither a transport error, a 5xx nor a 429, or until
    `retry_for_s` would be exceeded by the next wait (then `RetriesExhausted`)."""
    deadline = time.monotonic() + retry_for_s
    delay = first_delay_s
    while True:
        response: httpx.Response | None = None
        try:
            response = client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            problem = f"cannot reach {client.base_url or url}: {exc or type(exc).__name__}"
        else:
            if response.status_code == 429:
                problem = "the server kept rate-limiting the request"
                wait = _retry_after(response, delay)
            elif response.status_code >= 500:
                problem = f"server error {response.status_code}"
                wait = delay
            else:
                return response
        wait = delay if response is None else wait
        if time.monotonic() + wait > deadline:
            raise RetriesExhausted(problem, response)
        log.warning("%s %s: %s; retrying in %.1f s", method, url, problem, wait)
        time.sleep(wait)
        delay = min(delay * 2, max_delay_s)
