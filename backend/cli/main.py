"""The `gradebox` command. Each command group lives in its own module here.

Exit codes: 0 success / accepted, 1 graded but not accepted (or a check failed),
2 usage error (missing file, unknown language, bad package); commands that talk to a
server add 3 (server or network error after retries) and 4 (timed out waiting): the
table is in `backend/cli/client.py` and docs/ci.md.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup


class _Group(TyperGroup):
    """A group whose help flag defaults to False: typer coerces a flag left at None
    (its default) through pydantic, whose import costs 100-150 ms of every
    sub-command's start (`gradebox grade ...`)."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None and option.default is None:
            option.default = False
        return option


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    add_completion=False,
    help="Gradebox: practice and auto-grading.",
    # Plain help: rich's renderer (typer.rich_utils) costs 120 ms of start-up.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def command_group(help: str) -> typer.Typer:
    """A sub-command group (`gradebox problem ...`), with the same plain help."""
    return typer.Typer(cls=_Group, no_args_is_help=True, help=help, rich_markup_mode=None)


@app.callback()
def _root() -> None:
    """Gradebox: coding practice and auto-grading for ML-systems engineers."""


MODULES = ("grade", "problem", "server", "admin", "judgehost", "submit", "account", "remote")
# The modules a top-level command lives in. typer turns the parameters of every
# registered command into click's at each start (through pydantic: 10-20 ms per
# module), so `gradebox grade ...` registers its own module alone; a command not
# listed here (or help for all) registers every module.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "grade": ("grade",),
    "judgehost": ("judgehost",),
    "submit": ("submit",),
    "login": ("account",),
    "token": ("account",),
    "problem": ("problem", "remote"),
    "server": ("server",),
    "admin": ("admin",),
    "submissions": ("remote",),
}


def _modules(argv: list[str]) -> tuple[str, ...]:
    """What to register for this process: the command's own modules when it is the
    `gradebox` console script (tests and other importers get every command)."""
    if not argv or os.path.basename(argv[0]) != "gradebox":
        return MODULES
    first = next((arg for arg in argv[1:] if not arg.startswith("-")), None)
    return COMMAND_MODULES.get(first or "", MODULES)


def _register() -> None:
    # Each module adds its commands to `app`; imported here so adding one is one line.
    import importlib

    for module in _modules(sys.argv):
        try:
            importlib.import_module(f"backend.cli.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"backend.cli.{module}":
                raise


_register()

if __name__ == "__main__":
    app()
