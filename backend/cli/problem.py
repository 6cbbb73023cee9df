"""`gradebox problem validate | import-kattis | export-kattis | new`: authoring problem
packages.

Exit codes as everywhere in the CLI: 0 success, 1 the package failed validation,
2 usage errors (missing folder, no sandbox, unknown type).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backend.cli.grade import usage_error
from backend.cli.main import app, command_group

if TYPE_CHECKING:
    from rich.console import Console

    from graders import ValidationReport

# The graders, the sandbox and rich are imported when a command runs, not here
# (`gradebox --help` stays fast: tests/cli/test_startup.py).

problem_app = command_group("Author and check problem packages.")
app.add_typer(problem_app, name="problem")


@problem_app.command("validate")
def validate(
    folder: Annotated[Path, typer.Argument(help="the package folder")],
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    sandbox_name: Annotated[
        str | None,
        typer.Option("--sandbox", help="docker, bwrap, none or auto (default: GRADEBOX_SANDBOX)"),
    ] = None,
    skip_solutions: Annotated[
        bool, typer.Option("--skip-solutions", help="check the format only; run no solution")
    ] = False,
) -> None:
    """Load FOLDER, run every solution under submissions/ and check limits and generators."""
    from rich.console import Console

    from graders import validate_package
    from sandbox import SandboxError, get_sandbox

    if not folder.is_dir():
        raise usage_error(f"no such package folder: {folder}")
    logging.getLogger("graders").addHandler(logging.NullHandler())
    try:
        sandbox = get_sandbox(sandbox_name)
    except SandboxError as exc:
        raise usage_error(str(exc)) from None
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    if not as_json:
        console.print(f"validating [bold]{folder}[/] in sandbox {sandbox.name} ...")
    report = validate_package(folder, sandbox=sandbox, run_solutions=not skip_solutions)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        print_report(console, report)
    raise typer.Exit(0 if report.ok else 1)


def print_report(console: Console, report: ValidationReport) -> None:
    from rich.table import Table

    if report.solutions:
        table = Table(title=f"{report.package}: solutions")
        for column in ("solution", "expected", "got", "score", "slowest", "ok"):
            table.add_column(column)
        for entry in report.solutions:
            table.add_row(
                entry.path.removeprefix("submissions/"),
                entry.expected.value,
                entry.got.value if entry.got else "-",
                f"{entry.score:g}/{entry.max_score:g}",
                f"{entry.slowest_ms} ms ({entry.slowest_test})" if entry.slowest_test else "-",
                "[green]yes[/]" if entry.ok else "[red]NO[/]",
            )
        console.print(table)
    if report.hints:
        hints = Table(title=f"{report.package}: targeted hints")
        for column in ("wrong solution", "first failing test", "hint that fires", "ok"):
            hints.add_column(column)
        for check in report.hints:
            hints.add_row(
                check.solution,
                check.test or "-",
                check.fired or "none",
                "[green]yes[/]" if check.ok else "[red]NO[/]",
            )
        console.print(hints)
    facts = [f"{report.tests} tests"]
    if report.time_limit_ms is not None:
        facts.append(f"time limit {report.time_limit_ms} ms")
    if report.slowest_accepted_ms is not None:
        facts.append(f"slowest accepted {report.slowest_accepted_ms} ms")
    if report.generators_deterministic is not None:
        facts.append(
            "generators deterministic"
            if report.generators_deterministic
            else "generators NOT deterministic"
        )
    console.print(" · ".join(facts) + f" · {report.seconds:g} s")
    if report.gpu_only:
        console.print(
            f"GPU-only (not run here; scripts/gpu-check runs them): {', '.join(report.gpu_only)}",
            markup=False,
        )
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    for error in report.errors:
        console.print(f"[red]error:[/] {error}")
    console.print(
        "[bold green]OK[/]" if report.ok else f"[bold red]FAILED[/] ({len(report.errors)} errors)"
    )


@problem_app.command("import-kattis")
def import_kattis(
    source: Annotated[Path, typer.Argument(help="a package in the ICPC/Kattis problem format")],
    out: Annotated[Path, typer.Argument(help="the new Gradebox package folder")],
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", help="seconds, when the package gives none (default 5)"),
    ] = None,
) -> None:
    """Convert a Kattis-format package into a Gradebox package."""
    from rich.console import Console

    from graders import ProblemFormatError, load_package
    from graders import import_kattis as convert

    try:
        report = convert(source, out, time_limit=time_limit)
        load_package(out, generate=False)
    except ProblemFormatError as exc:  # every problem found, one line each
        raise usage_error(*(str(problem) for problem in exc.problems)) from None
    console = Console(highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    console.print(f"wrote {out}: {report.tests} tests in groups {', '.join(report.groups)}")
    console.print(f"next: gradebox problem validate {out}")


@problem_app.command("export-kattis")
def export_kattis(
    slug: Annotated[
        str, typer.Argument(help="a problem slug (in GRADEBOX_PROBLEMS_DIR) or a package folder")
    ],
    out: Annotated[Path, typer.Argument(help="the new Kattis package folder")],
    sandbox_name: Annotated[
        str | None,
        typer.Option("--sandbox", help="for generated tests: docker, bwrap, none or auto"),
    ] = None,
) -> None:
    """Write a Gradebox package in the Kattis format (generated tests as files)."""
    from rich.console import Console

    from backend.settings import get_settings
    from graders import ProblemFormatError, load_package
    from graders import export_kattis as convert
    from sandbox import SandboxError, get_sandbox

    root = Path(slug)
    if not root.is_dir():
        root = get_settings().problems_dir / slug
    if not (root / "problem.yaml").is_file():
        raise usage_error(f"no problem {slug!r} (neither a package folder nor in problems/)")
    try:
        sandbox = get_sandbox(sandbox_name)
        package = load_package(root, sandbox=sandbox)
        report = convert(package, out)
    except (ProblemFormatError, SandboxError) as exc:
        raise usage_error(str(exc)) from None
    console = Console(highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    console.print(f"wrote {out}: {report.tests} tests")


@problem_app.command("new")
def new(
    slug: Annotated[str, typer.Argument(help="folder name, e.g. two-sum")],
    problem_type: Annotated[
        str, typer.Option("--type", "-t", help="stdio, function or tensor")
    ] = "stdio",
    parent: Annotated[Path, typer.Option("--dir", help="where to create it")] = Path("problems"),
) -> None:
    """Scaffold a package that validates out of the box."""
    from rich.console import Console

    from graders import GraderError, ProblemType, scaffold_problem

    try:
        kind = ProblemType(problem_type)
    except ValueError:
        raise usage_error(f"unknown type {problem_type!r} (stdio, function, tensor)") from None
    try:
        root = scaffold_problem(slug, kind, parent)
    except GraderError as exc:
        raise usage_error(str(exc)) from None
    Console(highlight=False).print(
        f"created {root}; check it with: gradebox problem validate {root}"
    )
