"""`gradebox server run`: migrate, load the bundled problems, serve (with a judgehost)."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer

from backend.cli.config import load_settings
from backend.cli.main import app, command_group

server_app = command_group("Run the Gradebox web service.")
app.add_typer(server_app, name="server")

DEMO_USERS = (("demo", "demo", "learner"), ("teacher", "teacher", "instructor"))


@server_app.command("run")
def run(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    embedded_judge: Annotated[
        bool, typer.Option("--embedded-judge/--no-embedded-judge", help="judge in this process")
    ] = True,
    load_problems: Annotated[
        bool, typer.Option("--load-problems/--no-load-problems", help="import problems/")
    ] = True,
    workers: Annotated[
        int, typer.Option(min=1, help="server processes (more than 1 needs --no-embedded-judge)")
    ] = 1,
    forwarded_allow_ips: Annotated[
        str, typer.Option(help="proxies whose X-Forwarded-* headers are trusted (comma list)")
    ] = "127.0.0.1",
) -> None:
    """Apply migrations, import problems/ (new versions when changed), create the demo
    logins when absent, and serve the API and the UI."""
    import uvicorn
    from rich.console import Console

    from backend.app import create_app
    from backend.db.migrate import upgrade
    from backend.db.session import make_engine, make_sessionmaker
    from backend.enums import Role
    from backend.logs import configure
    from backend.services import problems as problem_service
    from backend.services import users as user_service
    from backend.settings import Settings
    from sandbox import SandboxSettings

    console = Console(stderr=True)
    if workers > 1 and embedded_judge:
        console.print("error: --workers above 1 needs --no-embedded-judge", highlight=False)
        raise typer.Exit(2)
    settings = load_settings(Settings)
    load_settings(SandboxSettings)  # checked now: a bad variable is named, not a traceback
    settings = settings.model_copy(update={"embedded_judgehost": embedded_judge})
    configure(fmt=settings.log_format, level=settings.log_level)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    demo: list[str] = []
    bundled: list[str] = []
    try:
        with make_sessionmaker(engine)() as session:
            if load_problems:
                for slug, version, created in problem_service.sync_bundled(
                    session=session, problems_dir=settings.problems_dir
                ):
                    bundled.append(slug)
                    note = "new version" if created else "unchanged"
                    console.print(f"problem {slug} v{version} ({note})", highlight=False)
            if settings.demo_users and settings.environment == "development":
                for username, password, role in DEMO_USERS:
                    user_service.ensure_user(
                        session=session, username=username, password=password, role=Role(role)
                    )
                    demo.append(f"{username} / {password} ({role})")
                    if Role(role) is Role.INSTRUCTOR:
                        # Bundled problems belong to the admins; the demo instructor
                        # is granted them so the instructor pages show something.
                        for slug in bundled:
                            problem_service.grant_maintainer(
                                session=session, slug=slug, username=username
                            )
    finally:
        engine.dispose()
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    console.print(f"\nGradebox is at http://{shown}:{port}/  (API docs: /docs)", highlight=False)
    for line in demo:
        console.print(f"  demo login: {line}", highlight=False)
    if embedded_judge:
        # Chosen now so a missing backend stops start-up, not the first submission.
        from backend.service_sandbox import service_sandbox
        from sandbox import SandboxError

        try:
            backend = service_sandbox().name
        except SandboxError as exc:
            console.print(f"error: {exc}", highlight=False)
            raise typer.Exit(2) from None
        console.print(f"  sandbox: {backend}", highlight=False)
    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_config": None,
        "access_log": False,
        "proxy_headers": True,
        "forwarded_allow_ips": forwarded_allow_ips,
    }
    if workers == 1:
        uvicorn.run(create_app(settings), **common)
        return
    # Several workers: uvicorn's own command line takes over this process (its
    # multiprocessing workers re-import the main module, which must be uvicorn's: under
    # our console script they never finish starting). Each worker builds its app from
    # the environment, with the embedded judgehost off whatever the environment said.
    os.environ["GRADEBOX_EMBEDDED_JUDGEHOST"] = "false"
    argv = [sys.executable, "-m", "uvicorn", "--factory", "backend.app:create_app"]
    argv += ["--host", host, "--port", str(port), "--workers", str(workers)]
    argv += ["--proxy-headers", "--forwarded-allow-ips", forwarded_allow_ips, "--no-access-log"]
    # a worker importing the app on a busy host takes longer than the 5 s default
    argv += ["--timeout-worker-healthcheck", "120"]
    os.execv(sys.executable, argv)
