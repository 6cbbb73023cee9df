"""`gradebox submit`: the CI client. Talks to a server over the public REST API only.

It creates the submission with an Idempotency-Key (derived from the problem,
language and source unless `--idempotency-key` names one), so retrying the request,
or the whole command, returns the same submission instead of a second one. Then it
follows `/events` (SSE), showing each test as it is judged, until the verdict; a
broken stream resumes from the last event, and falls back to polling. Exit codes are
those of `backend.cli.client` (0 AC, 1 not AC, 2 input, 3 server, 4 timed out).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backend.cli.client import (
    EXIT_NOT_ACCEPTED,
    EXIT_OK,
    EXIT_TIMEOUT,
    EXIT_USAGE,
    Api,
    CliError,
    connect,
    read_source,
    reporting,
)
from backend.cli.main import app

if TYPE_CHECKING:
    from rich.console import Console

# A kernel submission whose correctness is judged waits for a GPU judgehost to time
# it ("awaiting_gpu"): its verdict is known, so the CLI does not wait for the timing.
_SETTLED = ("judged", "awaiting_gpu")
_COLOURS = {"AC": "green", "WA": "red", "CE": "yellow", "IE": "magenta"}


class _TimedOut(CliError):
    def __init__(self, submission: dict[str, Any], timeout: float) -> None:
        super().__init__(
            f"submission {submission['id']} not judged within {timeout:g} s "
            f"(status {submission.get('status')}); `gradebox submissions list` shows it later",
            EXIT_TIMEOUT,
        )


def default_key(problem: str, language: str, source: str) -> str:
    """The same submission text for the same problem is the same submission."""
    digest = hashlib.sha256(f"{problem}\0{language}\0{source}".encode()).hexdigest()
    return f"cli-{digest[:40]}"


def sse_events(lines: Iterator[str]) -> Iterator[tuple[str, str, str | None]]:
    """(event, data, id) for each Server-Sent Event in `lines`; comments skipped."""
    event, event_id = "message", None
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield event, "\n".join(data), event_id
            event, data, event_id = "message", [], None
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            event = value
        elif name == "data":
            data.append(value)
        elif name == "id":
            event_id = value


def _test_line(test: dict[str, Any]) -> str:
    verdict = str(test.get("verdict", "?"))
    time_ms, memory_kb = test.get("time_ms", 0), test.get("memory_kb", 0)
    line = f"  {test.get('name', '?'):<24} {verdict:<4} {time_ms:>6} ms {memory_kb:>8} KB"
    return f"{line}  {test['message']}" if test.get("message") else line


class _Follower:
    """Follows one submission to its verdict: SSE first, polling when the stream breaks."""

    def __init__(self, api: Api, submission: dict[str, Any], console: Console | None) -> None:
        self.api, self.submission, self.console = api, submission, console
        self.path = f"/api/v1/submissions/{submission['id']}"
        self.last_id: str | None = None
        self.shown = 0

    def _show(self, test: dict[str, Any]) -> None:
        self.shown += 1
        if self.console is not None:
            colour = _COLOURS.get(str(test.get("verdict")), "red")
            self.console.print(f"[{colour}]{_test_line(test)}[/]", highlight=False)

    def _stream(self, deadline: float) -> dict[str, Any] | None:
        import httpx

        headers = {"Last-Event-ID": self.last_id} if self.last_id else {}
        remaining = max(0.1, deadline - time.monotonic())
        timeout = httpx.Timeout(30.0, read=min(remaining, 30.0))
        with self.api.client.stream(
            "GET", f"{self.path}/events", headers=headers, timeout=timeout
        ) as response:
            if not response.is_success:
                return None
            for event, data, event_id in sse_events(response.iter_lines()):
                if event == "test":
                    self.last_id = event_id or self.last_id
                    self._show(json.loads(data))
                elif event == "done":
                    done: dict[str, Any] = json.loads(data)
                    return done
                if time.monotonic() >= deadline:
                    return None
        return None

    def follow(self, deadline: float, timeout: float) -> dict[str, Any]:
        import httpx

        if self.submission.get("status") in _SETTLED:
            for test in self.submission.get("tests") or []:
                self._show(test)
            return self.submission
        while time.monotonic() < deadline:
            try:
                done = self._stream(deadline)
            except (httpx.TransportError, ValueError):
                done = None
            if done is not None:
                return done
            current = self.api.call("GET", self.path).json()  # retried; may raise exit 3
            if current.get("status") in _SETTLED:
                tests = current.get("tests") or []
                for test in tests[self.shown :]:
                    self._show(test)
                return dict(current)
            self.submission = current
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
        raise _TimedOut(self.submission, timeout)


def _summary(console: Console, result: dict[str, Any]) -> None:
    if result.get("compile_output"):
        console.print(result["compile_output"], markup=False, highlight=False)
    if result.get("message"):
        console.print(result["message"], markup=False, highlight=False)
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
    timeout: Annotated[
        float, typer.Option(min=0, help="seconds to wait for the verdict (exit 4 after)")
    ] = 600,
    as_json: Annotated[bool, typer.Option("--json", help="print the submission as JSON")] = False,
    junit: Annotated[Path | None, typer.Option(help="also write JUnit XML here")] = None,
    idempotency_key: Annotated[
        str | None,
        typer.Option(
            envvar="GRADEBOX_IDEMPOTENCY_KEY",
            help="default: derived from problem, language and source",
        ),
    ] = None,
    callback_url: Annotated[
        str | None, typer.Option(help="POST the signed result here when judged")
    ] = None,
) -> None:
    """Submit SOURCE to a Gradebox server and wait for the verdict (for CI)."""
    from rich.console import Console

    out = Console(stderr=False, soft_wrap=True)
    with reporting():
        code = read_source(source)
        deadline = time.monotonic() + timeout
        key = idempotency_key or default_key(problem, language, code)
        body: dict[str, Any] = {"problem": problem, "language": language, "source": code}
        if callback_url:
            body["callback_url"] = callback_url
        with connect(url, token) as api:
            created = api.call(
                "POST",
                "/api/v1/submissions",
                headers={"Idempotency-Key": key},
                json=body,
            ).json()
            if not as_json:
                out.print(
                    f"submission {created['id']}: {problem} ({language}) at {api.url}",
                    highlight=False,
                )
            follower = _Follower(api, created, None if as_json else out)
            if as_json or not out.is_terminal:
                result = follower.follow(deadline, timeout)
            else:
                with out.status("judging ..."):
                    result = follower.follow(deadline, timeout)
            if junit is not None:
                xml = api.call("GET", f"/api/v1/submissions/{result['id']}/junit").text
                try:
                    junit.write_text(xml, encoding="utf-8")
                except OSError as exc:
                    raise CliError(f"cannot write {junit}: {exc.strerror}", EXIT_USAGE) from None
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        _summary(out, result)
    raise typer.Exit(EXIT_OK if result.get("verdict") == "AC" else EXIT_NOT_ACCEPTED)
