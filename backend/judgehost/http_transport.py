"""The REST transport of `gradebox judgehost --url ...`: the judge routes of
`backend/api/routes/judge.py`, through the shared retry policy (`backend/http_retry.py`);
the 4xx are turned into the judgehost's own errors here.
"""

from __future__ import annotations

from typing import Any

import httpx

from backend.http_retry import RetriesExhausted, request_with_retry
from backend.judgehost.errors import JudgehostError, JudgehostRefused, LeaseLost
from backend.schemas.judge import (
    ClaimRequest,
    FinishRequest,
    JobPublic,
    LeaseRequest,
    ResultsRequest,
)
from graders import GradeResult, TestResult


class HttpTransport:
    """The REST protocol; transport errors and 5xx are retried with backoff, so a server
    restart only pauses the judgehost."""

    def __init__(self, url: str, token: str, *, timeout: float = 60.0, retry_for_s: float = 120.0):
        self._client = httpx.Client(
            base_url=url.rstrip("/") + "/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )
        self._retry_for_s = retry_for_s

    def close(self) -> None:
        self._client.close()

    def _request(self, method: str, path: str, json: Any = None) -> httpx.Response:
        try:
            response = request_with_retry(
                self._client, method, path, json=json, retry_for_s=self._retry_for_s
            )
        except RetriesExhausted as exc:
            raise JudgehostError(f"{method} {path}: {exc.problem}") from None
        if response.status_code == 409:
            raise LeaseLost(response.text)
        if response.status_code in (401, 403):
            raise JudgehostRefused(
                f"the server refused the token ({response.status_code}): {response.text[:300]}"
            )
        if response.status_code >= 400:
            raise JudgehostError(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response

    def claim(self, judgehost: str, capabilities: list[str]) -> JobPublic | None:
        body = ClaimRequest(judgehost=judgehost, capabilities=capabilities)
        response = self._request("POST", "/judge/claim", body.model_dump())
        if response.status_code == 204:
            return None
        return JobPublic.model_validate(response.json())

    def heartbeat(self, job: JobPublic) -> None:
        body = LeaseRequest(lease_id=job.lease_id)
        self._request("POST", f"/judge/{job.job_id}/heartbeat", body.model_dump())

    def results(self, job: JobPublic, results: list[TestResult]) -> None:
        body = ResultsRequest(lease_id=job.lease_id, results=results)
        self._request("POST", f"/judge/{job.job_id}/results", body.model_dump(mode="json"))

    def finish(self, job: JobPublic, *, result: GradeResult | None, error: str | None) -> None:
        body = FinishRequest(lease_id=job.lease_id, result=result, error=error)
        self._request("POST", f"/judge/{job.job_id}/finish", body.model_dump(mode="json"))

    def package(self, content_hash: str) -> bytes:
        return self._request("GET", f"/judge/packages/{content_hash}").content
