"""The one retry policy of the judgehost and the CLI (`backend.http_retry`)."""

from __future__ import annotations

import httpx
import pytest

from backend.http_retry import RetriesExhausted, request_with_retry


def _client(answers: list[httpx.Response | Exception]) -> tuple[httpx.Client, list[str]]:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.Client(base_url="http://judge.test", transport=httpx.MockTransport(handler)), calls


FAST = {"first_delay_s": 0.001, "max_delay_s": 0.002}


def test_5xx_429_and_transport_errors_are_retried_until_an_answer() -> None:
    client, calls = _client(
        [
            httpx.Response(503),
            httpx.ConnectError("refused"),
            httpx.Response(429, headers={"Retry-After": "0"}),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    response = request_with_retry(client, "GET", "/x", retry_for_s=60, **FAST)
    assert response.json() == {"ok": True} and len(calls) == 4


def test_a_4xx_is_the_callers_to_read() -> None:
    client, calls = _client([httpx.Response(404), httpx.Response(200)])
    assert request_with_retry(client, "POST", "/x", retry_for_s=60, **FAST).status_code == 404
    assert len(calls) == 1


def test_giving_up_names_the_last_problem_and_keeps_its_response() -> None:
    client, calls = _client([httpx.Response(500)])
    with pytest.raises(RetriesExhausted, match="server error 500") as info:
        request_with_retry(client, "GET", "/x", retry_for_s=0.05, **FAST)
    assert info.value.response is not None and info.value.response.status_code == 500
    assert len(calls) > 1


def test_a_retry_after_past_the_budget_gives_up_at_once() -> None:
    client, calls = _client([httpx.Response(429, headers={"Retry-After": "3600"})])
    with pytest.raises(RetriesExhausted, match="rate-limiting"):
        request_with_retry(client, "GET", "/x", retry_for_s=60, **FAST)
    assert len(calls) == 1


def test_an_unreachable_server_is_one_message() -> None:
    client, _ = _client([httpx.ConnectError("refused")])
    with pytest.raises(RetriesExhausted, match="cannot reach http://judge.test") as info:
        request_with_retry(client, "GET", "/x", retry_for_s=0.02, **FAST)
    assert info.value.response is None
