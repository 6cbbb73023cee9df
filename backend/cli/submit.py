"""`gradebox submit`: the CI client. Talks to a server over the public REST API only.

Exit codes: 0 accepted; 1 judged but not accepted; 2 usage error (missing file,
rejected request: unknown problem or language, bad token); 3 the server could not
be reached or did not finish judging in time.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from pydantic_settings import BaseSettings, SettingsConfigDict
from rich.console import Console

from backend.cli.config import load_settings
from backend.cli.main import app

EXIT_ACCEPTED, EXIT_REJECTED, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3
_RETRIES = 4


class ClientSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRADEBOX_", extra="ignore")

    url: str = "http://127.0.0.1:8000"
    token: str = ""


class _Fail(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
        return str(body["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:300] or response.reason_phrase


def _request(client: httpx.Client, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """Retry transport failures and 5xx with backoff; the Idempotency-Key makes POST safe."""
    delay = 0.5
    for attempt in range(_RETRIES):
        try:
            response = client.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            if attempt == _RETRIES - 1:
                raise _Fail(f"cannot reach {client.base_url}: {exc}", EXIT_UNAVAILABLE) from exc
        else:
            if response.status_code == 429:
                time.sleep(float(response.headers.get("Retry-After", delay)))
                continue
            if response.status_code < 500:
                if response.status_code >= 400:
                    raise _Fail(
                        f"server refused the request ({response.status_code}): "
                        f"{_error_message(response)}",
                        EXIT_USAGE,
                    )
                return response
            if attempt == _RETRIES - 1:
                message = f"server error {response.status_code}: {_error_message(response)}"
                raise _Fail(message, EXIT_UNAVAILABLE)
        time.sleep(delay)
        delay *= 2
    raise _Fail("server kept rate-limiting the request", EXIT_UNAVAILABLE)


def _await_judged(
    client: httpx.Client, submission: dict[str, Any], deadline: float
) -> dict[str, Any]:
    path = f"/api/v1/submissions/{submission['id']}"
    while submission.get("status") not in ("judged", "awaiting_gpu"):
        if time.monotonic() >= deadline:
            status = submission.get("status")
            raise _Fail(f"{path} not judged in time (status {status})", EXIT_UNAVAILABLE)
        time.sleep(1.0)
        submission = _request(client, "GET", path).json()
    return submission


def _print_result(console: Console, result: dict[str, Any]) -> None:
    for test in result.get("tests") or []:
        time_ms, memory_kb = test.get("time_ms", 0), test.get("memory_kb", 0)
        line = f"  {test['name']:<24} {test['verdict']:<4} {time_ms:>6} ms {memory_kb:>8} KB"
        if test.get("message"):
            line += f"  {test['message']}"
        console.print(line, markup=False, highlight=False)
    if result.get("compile_output"):
        console.print(result["compile_output"], markup=False, highlight=False)
    score, max_score = result.get("score") or 0, result.get("max_score") or 0
    console.print(
        f"{result['verdict']}  score {score:g}/{max_score:g}  submission {result['id']}",
        markup=False,
        highlight=False,
    )


@app.command("submit")
def submit(
    source: Annotated[Path, typer.Argument(help="file with the solution")],
    problem: Annotated[str, typer.Option("--problem", "-p", help="problem slug")],
    language: Annotated[str, typer.Option("--language", "-l")] = "python",
    url: Annotated[str | None, typer.Option(help="server URL (env GRADEBOX_URL)")] = None,
    token: Annotated[str | None, typer.Option(help="API token (env GRADEBOX_TOKEN)")] = None,
    timeout: Annotated[float, typer.Option(help="seconds to wait for the verdict")] = 600,
    as_json: Annotated[bool, typer.Option("--json", help="print the submission as JSON")] = False,
    junit: Annotated[Path | None, typer.Option(help="also write JUnit XML here")] = None,
) -> None:
    """Submit SOURCE to a Gradebox server and wait for the verdict (for CI)."""
    console = Console(stderr=False)
    err = Console(stderr=True)
    settings = load_settings(ClientSettings)
    base = url or settings.url
    secret = token or settings.token
    try:
        if not source.is_file():
            raise _Fail(f"no such file: {source}", EXIT_USAGE)
        code = source.read_text(encoding="utf-8", errors="replace")
        if not secret:
            raise _Fail("no API token: pass --token or set GRADEBOX_TOKEN", EXIT_USAGE)
        headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": str(uuid.uuid4())}
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=base, headers=headers, timeout=httpx.Timeout(90.0)) as client:
            created = _request(
                client,
                "POST",
                "/api/v1/submissions",
                params={"wait": int(min(timeout, 60))},
                json={"problem": problem, "language": language, "source": code},
            ).json()
            result = _await_judged(client, created, deadline)
            if junit is not None:
                xml = _request(client, "GET", f"/api/v1/submissions/{result['id']}/junit").text
                junit.write_text(xml, encoding="utf-8")
    except _Fail as fail:
        err.print(f"error: {fail}", markup=False, highlight=False)
        raise typer.Exit(fail.code) from None
    if as_json:
        console.print_json(json.dumps(result))
    else:
        _print_result(console, result)
    raise typer.Exit(EXIT_ACCEPTED if result.get("verdict") == "AC" else EXIT_REJECTED)
