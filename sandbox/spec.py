"""What a sandbox is asked to run and what it reports back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class RunStatus(StrEnum):
    """How the process ended, as seen from outside it."""

    OK = "OK"  # exited on its own (any exit code)
    TLE = "TLE"  # wall or CPU time limit hit
    MLE = "MLE"  # memory limit hit
    OLE = "OLE"  # stdout/stderr or file size limit hit
    RE = "RE"  # killed by a signal or non-zero exit
    SANDBOX_ERROR = "SANDBOX_ERROR"  # the isolation layer failed


@dataclass(frozen=True, slots=True)
class Limits:
    wall_s: float = 10.0
    cpu_s: float = 5.0
    memory_mb: int = 256
    pids: int = 64
    output_bytes: int = 8 * 1024 * 1024
    file_bytes: int = 16 * 1024 * 1024
    # CPUs all the test's processes together may use at once (a cgroup CPU quota
    # where the backend has one; a container's --cpus otherwise).
    cpus: float = 1.0


@dataclass(frozen=True, slots=True)
class Warm:
    """A session's warm interpreters (`sandbox/zygote.py`): its Python tests fork from
    one interpreter that has imported `preload` with `env` (the runs' own
    environment, which acts at start-up: hash seed, thread pools). A module the
    session hides is refused as a preload.

    `exec_only`: the session's programs are not Python run in-process (a compiled
    language): the server only forks the children, which exec the program. It is
    sealed wherever the sandbox can seal one (`agent.seal_fork_server`), so a test
    inherits the PID view and the filter instead of making its own each time, or
    not started at all (cold starts)."""

    preload: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    exec_only: bool = False


@dataclass(frozen=True, slots=True)
class RunSpec:
    """One process to run.

    `files` are written into the sandbox's working directory (`/work` inside) before
    the run; names are relative, without `..` or absolute parts. Network is never
    available: there is no switch for it.
    """

    argv: tuple[str, ...]
    files: Mapping[str, bytes] = field(default_factory=dict)
    stdin: bytes = b""
    env: Mapping[str, str] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    gpu: bool = False


@dataclass(frozen=True, slots=True)
class RunResult:
    status: RunStatus
    exit_code: int | None
    signal: int | None
    stdout: bytes
    stderr: bytes
    wall_s: float
    cpu_s: float
    peak_memory_kb: int
    detail: str = ""  # human-readable note from the sandbox (e.g. which limit)
