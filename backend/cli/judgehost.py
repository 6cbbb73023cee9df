"""`gradebox judgehost`: a judging worker that talks to a server over REST."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from backend.cli.client import client_settings
from backend.cli.config import load_settings
from backend.cli.main import app


@app.command("judgehost")
def judgehost(
    url: Annotated[str | None, typer.Option(help="server URL (env GRADEBOX_URL)")] = None,
    token: Annotated[str | None, typer.Option(help="a judge token (env GRADEBOX_TOKEN)")] = None,
    capability: Annotated[
        list[str], typer.Option("--capability", "-c", help="cpu, gpu or gpu:<model>; repeatable")
    ] = ["cpu"],  # noqa: B006  (typer reads the default)
    name: Annotated[str | None, typer.Option(help="defaults to <hostname>-<pid>")] = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option(help="unpacked packages by hash (default: GRADEBOX_JUDGE_CACHE)"),
    ] = None,
    poll: Annotated[float, typer.Option(help="seconds between claims when idle")] = 1.0,
    once: Annotated[bool, typer.Option(help="judge at most one job, then exit")] = False,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="jobs graded at once (default: GRADEBOX_JUDGE_WORKERS, 1)"),
    ] = None,
) -> None:
    """Claim submissions, grade them in the sandbox, report per-test results.

    The server and the token come from the options or from `ClientSettings` (the one
    owner of GRADEBOX_URL and GRADEBOX_TOKEN); a judgehost never falls back to a
    stored user login: a judge token is its own credential."""
    from backend.judgehost import (
        HttpTransport,
        Judgehost,
        JudgehostRefused,
        advertised_capabilities,
        default_name,
    )
    from backend.logs import configure
    from backend.service_sandbox import service_sandbox
    from backend.settings import Settings
    from sandbox import SandboxError, SandboxSettings

    client = client_settings()
    url, token = url or client.url, token or client.token
    if not url or not token:
        missing = " and ".join(n for n, v in (("--url", url), ("--token", token)) if not v)
        typer.echo(
            f"error: a judgehost needs {missing} (or GRADEBOX_URL / GRADEBOX_TOKEN)", err=True
        )
        raise typer.Exit(2)
    settings = load_settings(Settings)
    configure(fmt=settings.log_format, level=settings.log_level)
    load_settings(SandboxSettings)
    try:
        sandbox = service_sandbox()  # fail now, not at the first job, if unusable
    except SandboxError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    transport = HttpTransport(url, token)
    host = Judgehost(
        transport,
        name=name or default_name(),
        capabilities=advertised_capabilities(capability),
        cache_dir=cache_dir or settings.judge_cache_dir,
        sandbox=lambda: sandbox,
        poll_s=poll,
        workers=workers or settings.judge_workers,
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        if once:
            host.run_once()
        else:
            host.run(stop)
    except JudgehostRefused as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        transport.close()
