"""Problems found in a package, collected rather than raised one at a time.

The package loader (`graders/package/loader.py`) and the Kattis import
(`graders/kattis/importer.py`) check a package in independent steps; each step
reports what it finds to one `Diagnostics`, and only when a later step cannot run
without an earlier one's result (no readable `problem.yaml`, say) does the error
stop there. `raise_errors` then raises the layer's usual error
(`ProblemFormatError`, `KattisImportError`) carrying every `Diagnostic`, so
`gradebox problem validate`, the upload API and `gradebox problem import-kattis`
show all of them at once. `ValidationReport` (`graders/validate.py`) lists the same
`Diagnostic`s. The idea is problemtools' `diagnostics.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Literal, TypeVar

from pydantic import BaseModel

if TYPE_CHECKING:
    from graders.errors import ProblemFormatError

T = TypeVar("T")


class Diagnostic(BaseModel):
    """One problem: where (file, then field inside it) and what is wrong."""

    severity: Literal["error", "warning"]
    message: str
    file: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.field) if part)
        return f"{where}: {self.message}" if where else self.message


class Diagnostics:
    """Collects the errors and warnings of one check of a package."""

    def __init__(self) -> None:
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def error(self, message: str, *, file: str | None = None, field: str | None = None) -> None:
        self.errors.append(Diagnostic(severity="error", message=message, file=file, field=field))

    def warn(self, message: str, *, file: str | None = None, field: str | None = None) -> None:
        self.warnings.append(
            Diagnostic(severity="warning", message=message, file=file, field=field)
        )

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Run a step that raises on its first problem; what it raised is collected
        and the check goes on with the next step."""
        from graders.errors import ProblemFormatError  # errors.py imports this module

        try:
            yield
        except ProblemFormatError as exc:
            self.errors.extend(exc.problems)

    def attempt(self, step: Callable[[], T], default: T) -> T:
        """`step()`, or `default` (with its problems collected) when it raised."""
        with self.collecting():
            return step()
        return default

    def raise_errors(self, error: type[ProblemFormatError]) -> None:
        """Raise `error` with every collected error, if there is any."""
        if self.errors:
            raise error.collected(self.errors)
