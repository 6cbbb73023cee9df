"""`gradebox grade`: grade one source file against a local problem package, no server.

Exit 0 when accepted, 1 for any other verdict, 2 for usage errors (missing file,
unknown language, bad package, no sandbox), always with a one-line message.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backend.cli.main import app

if TYPE_CHECKING:
    from graders import GradeResult, Package, TestResult, Verdict
    from sandbox import Sandbox

# The graders and the sandbox are imported when a command runs, not here:
# `gradebox --help` and `gradebox grade --help` stay fast (tests/cli/test_startup.py).

_COLOURS = {"AC": "green", "WA": "red", "CE": "yellow", "IE": "magenta"}


def usage_error(*messages: str) -> typer.Exit:
    """Print each message as an error line; the caller raises the returned exit (2)."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True, soft_wrap=True, highlight=False)
    for message in messages:
        console.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(2)


def _verdict(verdict: Verdict) -> str:
    return f"[{_COLOURS.get(verdict.value, 'red')}]{verdict.value:<3}[/]"


def _test_line(test: TestResult) -> str:
    memory_mb = test.memory_kb // 1024
    line = f"{_verdict(test.verdict)} {test.name:<28} {test.time_ms:>6} ms {memory_mb:>5} MB"
    return f"{line}  {test.message}" if test.message else line


@app.command("grade")
def grade(
    source: Annotated[Path, typer.Argument(help="the solution file to grade")],
    problem: Annotated[Path, typer.Option("--problem", "-p", help="problem package folder")],
    language: Annotated[
        str | None,
        typer.Option("--language", "-l", help="python, cpp, ... (default: from the extension)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    sandbox_name: Annotated[
        str | None,
        typer.Option("--sandbox", help="docker, bwrap, none or auto (default: GRADEBOX_SANDBOX)"),
    ] = None,
) -> None:
    """Grade SOURCE against the problem package in --problem."""
    from graders import (
        EXTENSIONS,
        GraderError,
        ProblemFormatError,
        Verdict,
        load_package,
        resolve_language,
    )
    from sandbox import SandboxError, get_sandbox

    if not source.is_file():
        raise usage_error(f"no such file: {source}")
    language = language or EXTENSIONS.get(source.suffix)
    if language is None:
        raise usage_error(f"cannot tell the language of {source.name}; pass --language")
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise usage_error(f"cannot read {source}: {exc}") from None
    try:
        sandbox = get_sandbox(sandbox_name)
        package = load_package(problem, sandbox=sandbox)
    except ProblemFormatError as exc:
        raise usage_error(f"bad problem package {problem}: {exc}") from None
    except SandboxError as exc:
        raise usage_error(str(exc)) from None
    logging.getLogger("graders").addHandler(logging.NullHandler())  # results carry the messages
    try:
        resolve_language(package, language)
        result = _run(package, text, language, sandbox, quiet=as_json)
    except GraderError as exc:
        raise usage_error(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json")))
    raise typer.Exit(0 if result.verdict is Verdict.AC else 1)


def _run(
    package: Package, text: str, language: str, sandbox: Sandbox, *, quiet: bool
) -> GradeResult:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from graders import Verdict, grade_submission

    if quiet:
        return grade_submission(package, source=text, language=language, sandbox=sandbox)
    console = Console(highlight=False)
    console.print(
        f"[bold]{package.spec.name}[/] ({package.slug}) · {language} · sandbox {sandbox.name}"
    )
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("grading", total=len(package.tests))

        def on_test(test: TestResult) -> None:
            progress.console.print(_test_line(test))
            progress.advance(task)

        result = grade_submission(
            package, source=text, language=language, sandbox=sandbox, on_test=on_test
        )
    if result.verdict is Verdict.CE:
        console.print(result.compile_output, markup=False)
    if result.message:
        console.print(result.message, markup=False)
    for advisory in result.advisories:
        console.print(f"  advisory (for review, not a verdict): {advisory}", markup=False)
    for group in result.groups:
        console.print(
            f"  group {group.name:<12} {_verdict(group.verdict)} "
            f"{group.score:g}/{group.max_score:g}"
        )
    console.print(
        f"[bold]{_verdict(result.verdict)}[/] {result.verdict.description} · "
        f"score {result.score:g}/{result.max_score:g}"
    )
    return result
