"""What the loop needs from a server: the `Transport` protocol.

Two implementations: `HttpTransport` (`http_transport.py`, the REST protocol of
`gradebox judgehost --url ...`) and `LocalTransport` (`local_transport.py`, the
queue service called in-process by the judgehost embedded in `gradebox server run`).
"""

from __future__ import annotations

from typing import Protocol

from backend.schemas.judge import JobPublic
from graders import GradeResult, TestResult


class Transport(Protocol):
    def claim(self, judgehost: str, capabilities: list[str]) -> JobPublic | None: ...
    def heartbeat(self, job: JobPublic) -> None: ...
    def results(self, job: JobPublic, results: list[TestResult]) -> None: ...
    def finish(self, job: JobPublic, *, result: GradeResult | None, error: str | None) -> None: ...
    def package(self, content_hash: str) -> bytes: ...
