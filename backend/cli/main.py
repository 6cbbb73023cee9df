"""The `gradebox` command. Each command group lives in its own module here.

Exit codes: 0 success / accepted, 1 graded but not accepted (or a check failed),
2 usage error (missing file, unknown language, bad package); commands that talk to a
server add 3 (server or network error after retries) and 4 (timed out waiting): the
table is in `backend/cli/client.py` and docs/ci.md.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Gradebox: practice and auto-grading.",
    # Plain help: rich's renderer (typer.rich_utils) costs 120 ms of start-up.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def command_group(help: str) -> typer.Typer:
    """A sub-command group (`gradebox problem ...`), with the same plain help."""
    return typer.Typer(no_args_is_help=True, help=help, rich_markup_mode=None)


@app.callback()
def _root() -> None:
    """Gradebox: coding practice and auto-grading for ML-systems engineers."""


def _register() -> None:
    # Each module adds its commands to `app`; imported here so adding one is one line.
    import importlib

    for module in (
        "grade",
        "problem",
        "server",
        "admin",
        "judgehost",
        "submit",
        "account",
        "remote",
    ):
        try:
            importlib.import_module(f"backend.cli.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"backend.cli.{module}":
                raise


_register()

if __name__ == "__main__":
    app()
