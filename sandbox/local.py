"""A session whose workdir is a host temp directory and whose runs are local processes.

Backends differ only in how they wrap argv (`bwrap ...`, or nothing for `none`), so
they subclass `LocalSandbox` and override `wrap` and `environment`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from sandbox.errors import SandboxUnavailable
from sandbox.process import classify, rlimit_preexec, run_process
from sandbox.protocol import ClosesOnExit
from sandbox.spec import RunResult, RunSpec, Warm
from sandbox.workdir import make_workdir, remove_workdir, write_files


class LocalSandbox:
    name = "local"

    def wrap(self, spec: RunSpec, workdir: Path) -> tuple[list[str], str]:
        """Return the argv to execute on the host and the host cwd for it."""
        raise NotImplementedError

    def environment(self, spec: RunSpec, workdir: Path) -> dict[str, str]:
        raise NotImplementedError

    def run(self, spec: RunSpec) -> RunResult:
        with self.session() as session:
            return session.run(spec)

    def session(
        self,
        files: Mapping[str, bytes] | None = None,
        *,
        hidden_modules: Sequence[str] = (),
        gpu: bool = False,
        warm: Warm | None = None,
    ) -> LocalSession:
        """`hidden_modules` cannot be hidden without isolation (`none`, for grader
        unit tests): the harness's in-process guard is all such a session has."""
        if gpu:
            raise SandboxUnavailable(f"the {self.name} sandbox does not pass a GPU through")
        return LocalSession(self, files or {})

    def execute(self, spec: RunSpec, workdir: Path) -> RunResult:
        argv, cwd = self.wrap(spec, workdir)
        raw = run_process(
            argv,
            stdin=spec.stdin,
            env=self.environment(spec, workdir),
            cwd=cwd,
            limits=spec.limits,
            preexec=rlimit_preexec(spec.limits),
        )
        return classify(raw, spec.limits)


class LocalSession(ClosesOnExit):
    def __init__(self, sandbox: LocalSandbox, files: Mapping[str, bytes]) -> None:
        self._sandbox = sandbox
        self.workdir = make_workdir()
        write_files(self.workdir, files)

    def run(self, spec: RunSpec) -> RunResult:
        write_files(self.workdir, spec.files)
        return self._sandbox.execute(spec, self.workdir)

    def close(self) -> None:
        remove_workdir(self.workdir)


def runtime_path(
    runtime_dir: Path, extra: Sequence[str] = ("/usr/local/bin", "/usr/bin", "/bin")
) -> str:
    return ":".join([str(runtime_dir / "bin"), *extra])
