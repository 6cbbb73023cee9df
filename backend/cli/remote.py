"""`gradebox problem push | list` and `gradebox submissions list`: the server side of
an instructor's or a CI's scripts (exit codes as in `backend.cli.client`)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backend.cli.client import (
    EXIT_NOT_ACCEPTED,
    EXIT_USAGE,
    CliError,
    JsonOpt,
    TokenOpt,
    UrlOpt,
    connect,
    error_code,
    error_message,
    fail,
    reporting,
)
from backend.cli.main import app, command_group
from backend.cli.problem import print_report, problem_app

if TYPE_CHECKING:
    from rich.console import Console

submissions_app = command_group("Read submissions on a server.")
app.add_typer(submissions_app, name="submissions")


def _pack(folder: Path) -> tuple[str, bytes]:
    """The package as the zip the server takes (`<slug>/...`), from the same file list
    the server hashes."""
    from backend.archive import pack_dir
    from graders import ProblemFormatError, load_package
    from graders import scan_files as scan

    try:
        package = load_package(folder, generate=False)
    except ProblemFormatError as exc:
        raise CliError(f"bad problem package {folder}: {exc}", EXIT_NOT_ACCEPTED) from None
    return package.slug, pack_dir(folder, scan(folder), prefix=package.slug)


def _validate_locally(folder: Path, console: Console, quiet: bool) -> None:
    from graders import validate_package
    from sandbox import SandboxError, get_sandbox

    logging.getLogger("graders").addHandler(logging.NullHandler())
    try:
        sandbox = get_sandbox(None)
    except SandboxError as exc:
        raise CliError(f"{exc} (or pass --no-validate to let the server check)", 2) from None
    if not quiet:
        console.print(f"validating {folder} locally in sandbox {sandbox.name} ...")
    report = validate_package(folder, sandbox=sandbox)
    if not report.ok:
        if quiet:
            typer.echo(report.model_dump_json(indent=2))
        else:
            print_report(console, report)
        fail(f"{folder} failed validation; nothing was uploaded", EXIT_NOT_ACCEPTED)


@problem_app.command("push")
def push(
    folder: Annotated[Path, typer.Argument(help="the package folder")],
    url: UrlOpt = None,
    token: TokenOpt = None,
    validate: Annotated[
        bool, typer.Option("--validate/--no-validate", help="validate here before uploading")
    ] = True,
    as_json: JsonOpt = False,
) -> None:
    """Validate FOLDER locally, upload it, print the server's report; exit 1 if invalid."""
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)
    with reporting():
        if not folder.is_dir():
            raise CliError(f"no such package folder: {folder}", EXIT_USAGE)
        slug, data = _pack(folder)
        with connect(url, token) as api:
            if validate:
                _validate_locally(folder, console, as_json)
            response = api.call(
                "POST",
                "/api/v1/problems",
                files={"file": (f"{slug}.zip", data, "application/zip")},
                allow=(422,),
            )
        body: dict[str, Any] = response.json()
        if response.status_code == 422:
            report = (body.get("error") or {}).get("details")
            if as_json:
                typer.echo(json.dumps(body, indent=2))
            elif error_code(response) == "validation_failed" and isinstance(report, dict):
                from graders import ValidationReport

                print_report(console, ValidationReport.model_validate(report))
            raise CliError(f"the server refused {slug}: {error_message(response)}", 1)
    if as_json:
        typer.echo(json.dumps(body, indent=2))
        return
    report = body.get("report")
    if isinstance(report, dict):
        from graders import ValidationReport

        print_report(console, ValidationReport.model_validate(report))
    state = "new version" if body.get("created") else "unchanged"
    console.print(f"{body['slug']} v{body['version']} ({state}) on {api.url}")


@problem_app.command("list")
def list_problems(url: UrlOpt = None, token: TokenOpt = None, as_json: JsonOpt = False) -> None:
    """The problems the caller can see on the server."""
    with reporting(), connect(url, token, need_token=False) as api:
        rows = api.call("GET", "/api/v1/problems").json()["data"]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    from rich.table import Table

    table = Table()
    for column in ("slug", "name", "type", "difficulty", "visibility", "solved"):
        table.add_column(column)
    for row in rows:
        solved = "yes" if row.get("solved") else ("tried" if row.get("attempted") else "")
        table.add_row(
            row["slug"], row["name"], row["type"], row["difficulty"], row["visibility"], solved
        )
    from rich.console import Console

    Console(highlight=False).print(table)


@submissions_app.command("list")
def list_submissions(
    problem: Annotated[str | None, typer.Option("--problem", "-p")] = None,
    user: Annotated[str | None, typer.Option(help="only this user's (instructors)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
    url: UrlOpt = None,
    token: TokenOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Recent submissions the caller can see, newest first."""
    params: dict[str, Any] = {"limit": limit}
    if problem:
        params["problem"] = problem
    if user:
        params["user"] = user
    with reporting(), connect(url, token) as api:
        body = api.call("GET", "/api/v1/submissions", params=params).json()
    if as_json:
        typer.echo(json.dumps(body, indent=2))
        return
    from rich.table import Table

    table = Table(title=f"{len(body['data'])} of {body['count']}")
    for column in ("id", "problem", "user", "language", "status", "verdict", "score", "created"):
        table.add_column(column)
    for row in body["data"]:
        score = f"{row['score'] or 0:g}/{row['max_score'] or 0:g}" if row["verdict"] else ""
        table.add_row(
            str(row["id"]),
            row["problem"],
            row["user"],
            row["language"],
            row["status"],
            row["verdict"] or "",
            score,
            row["created_at"][:19],
        )
    from rich.console import Console

    Console(highlight=False).print(table)
