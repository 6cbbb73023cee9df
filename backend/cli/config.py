"""Loading settings for a CLI command: a bad GRADEBOX_ variable is a usage error with
the variable's name, never a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import typer

if TYPE_CHECKING:
    from pydantic_settings import BaseSettings

S = TypeVar("S", bound="BaseSettings")
EXIT_USAGE = 2


def load_settings(cls: type[S]) -> S:
    from pydantic import ValidationError  # here, not at import: `gradebox --help` stays fast

    try:
        return cls()
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            name = f"GRADEBOX_{field.upper()}" if field else "settings"
            typer.echo(f"error: {name}: {error['msg']}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
