"""One retry policy for every HTTP client of the service (judgehost, CLI), on `tenacity`.

Transport failures, 5xx and 429 are retried with exponential backoff (a 429's
`Retry-After` is honoured); any other answer is returned for the caller to read, since
only it knows what a 4xx means. Retrying stops when the next wait would pass the
caller's time budget, with `RetriesExhausted` naming the last problem. Retrying a POST
is safe only where the server makes it idempotent (judge calls by lease and test name,
submissions by `Idempotency-Key`).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception_type, retry_if_result

log = logging.getLogger(__name__)


class RetriesExhausted(Exception):
    """The server stayed unreachable or kept failing until the retries ran out."""

    def __init__(self, problem: str, response: httpx.Response | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.response = response


def _retryable(response: httpx.Response) -> bool:
    return response.status_code == 429 or response.status_code >= 500


def _retry_after(response: httpx.Response, default: float) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", default)))
    except ValueError:
        return default


def _problem(state: RetryCallState, target: str) -> tuple[str, httpx.Response | None]:
    """What went wrong in the attempt just made, and its response if one came."""
    assert state.outcome is not None
    exc = state.outcome.exception()
    if exc is not None:
        return f"cannot reach {target}: {exc or type(exc).__name__}", None
    response: httpx.Response = state.outcome.result()
    if response.status_code == 429:
        return "the server kept rate-limiting the request", response
    return f"server error {response.status_code}", response


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
    target = str(client.base_url or url)

    def wait(state: RetryCallState) -> float:
        attempt: int = state.attempt_number
        backoff: float = min(first_delay_s * 2 ** (attempt - 1), max_delay_s)
        _, response = _problem(state, target)
        if response is not None and response.status_code == 429:
            return _retry_after(response, backoff)
        return backoff

    def stop(state: RetryCallState) -> bool:
        upcoming: float = state.upcoming_sleep
        return time.monotonic() + upcoming > deadline

    def before_sleep(state: RetryCallState) -> None:
        problem, _ = _problem(state, target)
        log.warning("%s %s: %s; retrying in %.1f s", method, url, problem, state.upcoming_sleep)

    def give_up(state: RetryCallState) -> httpx.Response:
        raise RetriesExhausted(*_problem(state, target))

    retrying = Retrying(
        retry=retry_if_exception_type(httpx.TransportError) | retry_if_result(_retryable),
        wait=wait,
        stop=stop,
        before_sleep=before_sleep,
        retry_error_callback=give_up,
        reraise=False,
    )
    response: httpx.Response = retrying(client.request, method, url, **kwargs)
    return response
