"""One program in one sandbox session: compile it once, then run it on test after test.

Shared by grading (the learner's submission), generated answers (the reference
solution) and validation (every solution under `submissions/`). The session keeps
the workdir, so the compile step's output is there for every run; each run is a
fresh process with the problem's per-test limits.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from graders.errors import UnsupportedLanguage
from graders.kinds import get_kind, hidden_modules, learner_filename, warm_preload
from graders.package.types import Package
from sandbox import Limits, RunResult, RunSpec, RunStatus, Sandbox, SandboxSession, Warm
from sandbox.languages import Language, get_language
from sandbox.languages.base import UnknownLanguage

COMPILE_OUTPUT_CAP = 8 * 1024
# Languages whose tests may run in a warm interpreter's own process (the others are
# exec'd, from an exec-only server where the sandbox has one).
IN_PROCESS_LANGUAGES = frozenset({"python"})
# Same environment for every run: one BLAS thread (stable timing on shared cores),
# no bytecode files, a fixed hash seed (reproducible set/dict order).
RUN_ENV = {
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0",
    "PYTHONIOENCODING": "utf-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


@dataclass(frozen=True)
class CompileOutcome:
    ok: bool
    message: str = ""  # compiler output, capped
    internal_error: bool = False  # the sandbox failed, not the compiler


def resolve_language(package: Package, language_id: str) -> Language:
    """The language, if it exists and the problem accepts it."""
    try:
        language = get_language(language_id)
    except UnknownLanguage as exc:
        raise UnsupportedLanguage(str(exc)) from None
    if language.id not in package.spec.languages:
        accepted = ", ".join(package.spec.languages)
        raise UnsupportedLanguage(
            f"problem {package.slug} does not accept {language.id} (accepts: {accepted})"
        )
    return language


def test_limits(package: Package, language: str | None = None) -> Limits:
    """A test's limits, with `language`'s overrides (`limits.languages`) when given."""
    limits = package.spec.limits
    if language is not None:
        limits = limits.for_language(language)
    return Limits(
        wall_s=limits.wall_s,
        cpu_s=limits.time_s,
        memory_mb=limits.memory_mb,
        output_bytes=limits.output_kb * 1024,
        cpus=float(limits.threads),
    )


def compile_limits(package: Package) -> Limits:
    seconds = package.spec.limits.compile_time_s
    return Limits(wall_s=2 * seconds + 5, cpu_s=seconds, memory_mb=2048, output_bytes=1024 * 1024)


def warm_spec(package: Package, language: Language) -> Warm | None:
    """The warm interpreters a problem's session asks for (its tests' environment and
    what its kind preloads); for a language that is not run in-process, a sealed
    server its tests are forked from (`Warm.exec_only`); None for cold starts."""
    env = tuple(sorted(RUN_ENV.items()))
    if language.id not in IN_PROCESS_LANGUAGES:
        return Warm(env=env, exec_only=True)
    preload = warm_preload(package, language)
    if preload is None:
        return None
    return Warm(preload=preload, env=env)


class Program:
    """A submission's source, placed in a sandbox session by its problem's kind."""

    def __init__(self, package: Package, source: str, language: Language, sandbox: Sandbox) -> None:
        self.package = package
        self.language = language
        kind = get_kind(package.spec.type)
        self._files = kind.workdir_files(package, source, language)
        self._argv = kind.run_argv(package, language)
        self._filename = learner_filename(package, language)
        self._sandbox = sandbox
        self._session: SandboxSession | None = None
        self.limits = test_limits(package, language.id)
        # A banned module is absent from the session's filesystem view: the harness's
        # in-process guard only reports, it is not what stops the import.
        self._hidden = hidden_modules(package)
        self.warm = warm_spec(package, language)

    def __enter__(self) -> Self:
        options: dict[str, Any] = {}
        if self._hidden:
            options["hidden_modules"] = self._hidden
        if self.warm is not None:
            options["warm"] = self.warm
        self._session = self._sandbox.session(self._files, **options)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    @property
    def session_kind(self) -> Hashable:
        """What makes two sessions alike to start (language, hidden modules, warm
        interpreter): what one took to open says what the next will."""
        return (self.language.id, tuple(self._hidden), self.warm)

    @property
    def session(self) -> SandboxSession:
        if self._session is None:
            raise RuntimeError("Program used outside its `with` block")
        return self._session

    def compile(self) -> CompileOutcome:
        """The language's compiler, or its syntax check (a SyntaxError is CE)."""
        argv = self.language.check_step(self._filename)
        if argv is None:
            return CompileOutcome(ok=True)
        spec = RunSpec(argv=argv, env=RUN_ENV, limits=compile_limits(self.package))
        result = self.session.run(spec)
        text = (result.stderr + result.stdout).decode("utf-8", errors="replace")[
            -COMPILE_OUTPUT_CAP:
        ]
        if result.status is RunStatus.SANDBOX_ERROR:
            return CompileOutcome(ok=False, message=result.detail, internal_error=True)
        if result.status is RunStatus.TLE:
            return CompileOutcome(ok=False, message=f"compilation took too long ({result.detail})")
        if result.status is not RunStatus.OK or result.exit_code != 0:
            return CompileOutcome(ok=False, message=text.strip() or result.detail)
        return CompileOutcome(ok=True, message=text.strip())

    def run(self, stdin: bytes, limits: Limits | None = None) -> RunResult:
        return self.session.run(self.run_spec(stdin, limits))

    def run_spec(self, stdin: bytes = b"", limits: Limits | None = None) -> RunSpec:
        """What `run` runs (interactive problems stream it instead)."""
        return RunSpec(argv=self._argv, stdin=stdin, env=RUN_ENV, limits=limits or self.limits)
