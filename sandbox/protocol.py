"""The plugin interface every sandbox backend implements.

A *session* is one isolated environment kept for one submission: a compile step and
then every test run inside it, each a fresh process with its own limits, so the
start-up cost of the isolation is paid once per submission instead of per test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from sandbox.spec import RunResult, RunSpec, Warm


@runtime_checkable
class SandboxSession(Protocol):
    def run(self, spec: RunSpec) -> RunResult:
        """Run one process; `spec.files` are added to the session's workdir first."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


@runtime_checkable
class Sandbox(Protocol):
    name: str

    def run(self, spec: RunSpec) -> RunResult:
        """Run one process in a fresh, throw-away environment."""
        ...

    def session(
        self,
        files: Mapping[str, bytes] | None = None,
        *,
        hidden_modules: Sequence[str] = (),
        gpu: bool = False,
        warm: Warm | None = None,
    ) -> SandboxSession:
        """Open an environment whose workdir persists across runs until closed.

        `hidden_modules` are top-level Python modules (a problem's banned ones) that
        are absent from the session's filesystem view (`sandbox.hiding`). `gpu` passes
        the host's GPU in (kernel timing); a backend that cannot raises
        SandboxUnavailable rather than run without it. `warm` asks for warm Python
        interpreters (a backend without them, or with `GRADEBOX_WARM=false`, starts
        every test cold, with the same results).
        """
        ...


class ClosesOnExit:
    """Context-manager half of `SandboxSession` for concrete sessions: `with` closes."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
