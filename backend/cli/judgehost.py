"""`gradebox judgehost`: a judging worker that talks to a server over REST."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from backend.cli.config import load_settings
from backend.cli.main import app


@app.command("judgehost")
def judgehost(
    url: Annotated[str, typer.Option(envvar="GRADEBOX_URL", help="server URL")],
    token: Annotated[str, typer.Option(envvar="GRADEBOX_TOKEN", help="a judge token")],
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
) -> None:
    """Claim submissions, grade them in the sandbox, report per-test results."""
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
