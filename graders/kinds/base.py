"""The plugin interface of a problem type.

A kind owns every fact about its type: whether a harness of the judge's runs the
learner's code (`harnessed`: a function is called, not a program run) and so where
the learner's file goes (`learner_filename`), which languages it takes
(`languages`, None for any), and whether part of its judging needs a GPU judgehost
(`needs_gpu`). Code that uses kinds asks them instead of switching on type names.

A kind decides what goes into the sandbox workdir and how a test is run; every
test's input arrives on stdin and the value to judge leaves on stdout. For
`function`/`tensor` the harness moves the learner's own prints to stderr, so stdout
carries only the serialised result. Comparison happens outside, in a checker.

Optional hooks a kind may also define (looked up with `isinstance` on the
runtime-checkable protocols below): `check_test` validates a test file's contents
at package load time, `checker_options` adds options for the default checker.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from graders.errors import ProblemFormatError, UnsupportedLanguage
from graders.package.model import ProblemType
from graders.package.types import Package, TestCase
from graders.verdict import Verdict
from sandbox.languages import Language


class ProblemKind(Protocol):
    type: ProblemType
    default_checker: str
    harnessed: bool  # the judge's harness imports and calls the learner's code
    languages: frozenset[str] | None  # language ids it takes; None: every language
    needs_gpu: bool  # a phase of judging (kernel timing) runs only on a GPU judgehost

    def learner_filename(self, package: Package, language: Language) -> str:
        """Where the learner's source goes in the workdir."""
        ...

    def workdir_files(self, package: Package, source: str, language: Language) -> dict[str, bytes]:
        """Files for the sandbox: the learner's source and, for harnessed types, the harness."""
        ...

    def run_argv(self, package: Package, language: Language) -> tuple[str, ...]:
        """The command that runs one test (after the language's compile step, if any)."""
        ...


@runtime_checkable
class ChecksTests(Protocol):
    def check_test(self, package: Package, test: TestCase) -> None:
        """Raise ProblemFormatError when a test file's contents don't fit the type."""
        ...


@runtime_checkable
class HasCheckerOptions(Protocol):
    def checker_options(self, package: Package) -> dict[str, Any]:
        """Options for the checker taken from the type's own spec (e.g. tolerances)."""
        ...


# Modules a framework cannot import without: for its problems a ban on one of them
# stays a reporting layer (the in-process guard) instead of an absence, since torch
# loads `_ctypes` itself (its function bans are refused at the dispatcher instead).
# What a harnessed kind takes: its harness needs the CPython runtime (NumPy, torch).
HARNESS_LANGUAGES: frozenset[str] = frozenset({"python"})

FRAMEWORK_NEEDS: dict[str, frozenset[str]] = {"torch": frozenset({"ctypes"})}


def hidden_modules(package: Package) -> list[str]:
    """Banned top-level modules the sandbox session leaves out of the filesystem view
    (dotted entries are function bans, enforced elsewhere)."""
    spec = package.spec.function
    keep = FRAMEWORK_NEEDS.get(spec.framework, frozenset()) if spec is not None else frozenset()
    return [m for m in package.spec.banned_modules if "." not in m and m not in keep]


# What a problem's warm interpreter (`sandbox.Warm`) imports ahead, by framework. The
# harness's autograd warm-up (`warm_up_torch`) makes torch import symbolic_shapes
# (and sympy) lazily: 0.5 s of every torch test unless the server has it already.
FRAMEWORK_PRELOAD: dict[str, tuple[str, ...]] = {
    "numpy": ("numpy",),
    "torch": ("torch", "torch.fx.experimental.symbolic_shapes"),
}
# What a kind's Python runner imports before the learner's code, imported once in the
# warm interpreter instead of in every test: the stdio runner's `runpy.run_path`
# imports `pkgutil`, 4 ms of CPU and a third of a warm stdio test's copied pages.
RUNNER_PRELOAD: dict[ProblemType, tuple[str, ...]] = {
    ProblemType.STDIO: ("runpy", "pkgutil"),
    ProblemType.INTERACTIVE: ("runpy", "pkgutil"),
}
# Kinds whose Python tests fork from a warm interpreter (kernel problems start cold:
# Triton and the GPU are not fork-safe).
WARM_TYPES = frozenset(
    {ProblemType.STDIO, ProblemType.FUNCTION, ProblemType.TENSOR, ProblemType.INTERACTIVE}
)


def warm_preload(package: Package, language: Language) -> tuple[str, ...] | None:
    """What the session's fork server imports for this problem, or None (cold starts:
    not Python, or a kind that is not warm). Never a module the session hides."""
    if language.id != "python" or package.spec.type not in WARM_TYPES:
        return None
    spec = package.spec.function
    wanted = FRAMEWORK_PRELOAD.get(spec.framework, ()) if spec is not None else ()
    wanted = RUNNER_PRELOAD.get(package.spec.type, ()) + wanted
    hidden = set(hidden_modules(package))
    return tuple(m for m in wanted if m.split(".")[0] not in hidden)


@runtime_checkable
class ComputesAnswers(Protocol):
    def answer(self, package: Package, input_data: bytes) -> bytes:
        """A generated test's answer, computed by the judge itself (no reference run)."""
        ...


@runtime_checkable
class InterpretsExit(Protocol):
    def exit_verdict(self, exit_code: int | None) -> tuple[Verdict, str] | None:
        """A fixed verdict and sentence for a harness exit code the kind defines."""
        ...


def harness_module_file(package: Package) -> str:
    """A harnessed kind's learner file: the module the harness imports."""
    if package.spec.function is None:
        raise ProblemFormatError(
            f"required for {package.spec.type} problems", file="problem.yaml", field="function"
        )
    return f"{package.spec.function.module}.py"


def python_launcher(kind: ProblemKind, language: Language) -> tuple[str, ...]:
    """The interpreter that runs a harnessed kind's Python harness for `language`."""
    if language.launcher is None or (
        kind.languages is not None and language.id not in kind.languages
    ):
        raise UnsupportedLanguage(
            f"{kind.type} problems take Python solutions, not {language.display_name}"
        )
    return language.launcher
