"""Judging one run: its verdict from the exit status, the harness's markers and
exit codes (`graders.harness.protocol`) and the checker, as one `TestResult`,
without leaking hidden tests.

An IE test carries `feedback["internal_error"]`: "transient" when a sandbox failed
(retrying may help), "deterministic" when the judge's side failed on this output
(a checker crashed): the queue retries only the first.

Hidden tests report the verdict, time, memory and the checker's numeric summaries
only: nothing the learner's program printed reaches a hidden test's result, since a
program could print the test's input there. Messages for hidden tests are fixed
sentences chosen by the judge. Sample tests also carry input, expected output,
actual output and stderr, each capped.
"""

from __future__ import annotations

import builtins
import re
import signal as signals
from typing import Any

from graders.checkers.base import CheckContext, Checker, CheckResult
from graders.harness import protocol as wire
from graders.package.types import Package, TestCase
from graders.results import ShownData, TestResult
from graders.verdict import Verdict
from sandbox import RunResult, RunStatus, Sandbox
from sandbox.hiding import module_names

TEXT_CAP = 4096

INTERNAL_ERROR = "internal_error"
TRANSIENT, DETERMINISTIC = "transient", "deterministic"

_STATUS_VERDICT = {
    RunStatus.TLE: Verdict.TLE,
    RunStatus.MLE: Verdict.MLE,
    RunStatus.OLE: Verdict.OLE,
    RunStatus.SANDBOX_ERROR: Verdict.IE,
}


def cap(data: bytes, limit: int = TEXT_CAP) -> str:
    text = data[:limit].decode("utf-8", errors="replace")
    if len(data) > limit:
        text += f"\n... ({len(data) - limit} more bytes)"
    return text


def is_binary(data: bytes) -> bool:
    """An .npz (a zip) or anything with a NUL early on: not text to show."""
    return data.startswith(b"PK\x03\x04") or b"\x00" in data[:1024]


def display(data: bytes, limit: int = TEXT_CAP) -> str:
    """Text for the learner's eyes; binary data (npz) is summarised, not dumped."""
    if is_binary(data):
        return f"<{len(data)} bytes of binary data>"
    return cap(data, limit)


def shown(data: bytes) -> ShownData:
    """What `display(data)` stands for: text or binary, and the whole size."""
    return ShownData(binary=is_binary(data), size=len(data))


def banned_use(result: RunResult, banned: list[str]) -> tuple[str, str] | None:
    """("module" or "function", name) from the guard's marker, if the problem bans it.

    The marker comes from a process the learner controls, so only a name from the
    problem's own list is believed (anything else could smuggle data out). Dotted
    entries (`torch.nn.functional.layer_norm`) are functions the harness stubs out.
    """
    if result.exit_code in (None, 0):
        return None
    if result.exit_code != wire.BANNED_EXIT_CODE:
        # The session hid the module: a failed run whose error is that the module is
        # missing, for a module on the problem's own list, is the ban at work.
        missing = _MISSING_MODULE.search(_last_line(result.stderr))
        if missing is None:
            return None
        top = missing.group(1).split(".")[0]
        for module in (entry for entry in banned if "." not in entry):
            if top in module_names([module]):
                return ("module", module)
        return None
    for line in reversed(result.stderr.decode("utf-8", errors="replace").splitlines()):
        if not line.startswith(wire.BANNED_MARKER):
            continue
        text = line.removeprefix(wire.BANNED_MARKER).strip()
        for kind in ("module", "function"):
            prefix = f"uses banned {kind} "
            if text.startswith(prefix):
                name = text.removeprefix(prefix).strip()
                allowed = set(banned)
                if kind == "module":
                    allowed |= {entry.split(".")[0] for entry in banned}
                return (kind, name) if name in allowed else None
        return None
    return None


_MISSING_MODULE = re.compile(r"^(?:ModuleNotFoundError|ImportError): No module named '([\w.]+)'")

# Python's own exception classes: naming one on a hidden test says what went wrong
# (RecursionError) without quoting anything the program printed.
_BUILTIN_EXCEPTIONS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(:|$)")


def _builtin_exception(stderr: bytes) -> str | None:
    match = _EXCEPTION_LINE.match(_last_line(stderr))
    if match and match.group(1) in _BUILTIN_EXCEPTIONS:
        return match.group(1)
    return None


def _last_line(stderr: bytes) -> str:
    lines = [line for line in stderr.decode("utf-8", errors="replace").splitlines() if line.strip()]
    return lines[-1].strip()[:200] if lines else ""


def _crash_message(result: RunResult, visible: bool, package: Package) -> str:
    if result.exit_code == wire.MISSING_ENTRY_EXIT_CODE and package.spec.function is not None:
        spec = package.spec.function
        return f"{spec.module}.py does not define {spec.entry}"
    if result.signal is not None:
        try:
            name = signals.Signals(result.signal).name
        except ValueError:
            name = f"signal {result.signal}"
        base = f"killed by {name}"
        if result.signal == signals.SIGSEGV:
            base += " (a crash, often a stack overflow from deep recursion)"
        return base
    if visible:
        last = _last_line(result.stderr)
        if last:
            return last
    exception = _builtin_exception(result.stderr)
    if exception is not None:
        return f"{exception} (exit code {result.exit_code})"
    return f"run-time error (exit code {result.exit_code})"


def _kind_refusal(package: Package, result: RunResult) -> tuple[Verdict, str] | None:
    """A harness refusal the problem's kind names with a fixed sentence (kernel)."""
    from graders.kinds import get_kind
    from graders.kinds.base import InterpretsExit

    kind = get_kind(package.spec.type)
    if not isinstance(kind, InterpretsExit) or result.signal is not None:
        return None
    return kind.exit_verdict(result.exit_code)


def judge_run(
    *,
    package: Package,
    test: TestCase,
    result: RunResult,
    checker: Checker,
    options: dict[str, Any],
    sandbox: Sandbox,
) -> tuple[TestResult, float]:
    """The TestResult of one run and its score fraction in [0, 1]."""
    verdict, message = Verdict.AC, ""
    feedback: dict[str, Any] = {"wall_ms": round(result.wall_s * 1000)}
    fraction = 0.0
    banned = banned_use(result, package.spec.banned_modules)
    if result.status in _STATUS_VERDICT:
        verdict = _STATUS_VERDICT[result.status]
        message = result.detail if verdict is not Verdict.IE else "the sandbox failed"
        if verdict is Verdict.IE:
            feedback[INTERNAL_ERROR] = TRANSIENT
    elif banned is not None:
        kind, name = banned
        verdict, message = Verdict.RE, f"uses banned {kind} {name}"
        feedback[f"banned_{kind}"] = name
    elif (refusal := _kind_refusal(package, result)) is not None:
        verdict, message = refusal
    elif result.status is RunStatus.RE or result.exit_code != 0:
        if result.exit_code == wire.RESULT_EXIT_CODE and package.spec.function is not None:
            verdict, message = Verdict.WA, "the returned value could not be serialised"
        else:
            verdict, message = Verdict.RE, _crash_message(result, test.visible, package)
    else:
        checked = _check(checker, package, test, result.stdout, options, sandbox)
        verdict, message = checked.verdict, checked.message
        feedback.update(checked.feedback)
        if verdict is Verdict.IE:
            feedback[INTERNAL_ERROR] = TRANSIENT if checked.transient else DETERMINISTIC
        if verdict is Verdict.AC:
            fraction = 1.0 if checked.score is None else checked.score
    test_result = TestResult(
        name=test.name,
        group=test.group,
        verdict=verdict,
        time_ms=round(result.cpu_s * 1000),
        memory_kb=result.peak_memory_kb,
        visible=test.visible,
        message=message,
        feedback=feedback,
    )
    if test.visible:
        test_result.input = display(test.input)
        test_result.expected = display(test.answer)
        test_result.actual = display(result.stdout)
        test_result.input_view = shown(test.input)
        test_result.expected_view = shown(test.answer)
        test_result.actual_view = shown(result.stdout)
        test_result.stderr = cap(result.stderr)
    return test_result, fraction


def _check(
    checker: Checker,
    package: Package,
    test: TestCase,
    output: bytes,
    options: dict[str, Any],
    sandbox: Sandbox,
) -> CheckResult:
    ctx = CheckContext(
        input=test.input,
        answer=test.answer,
        output=output,
        visible=test.visible,
        options=options,
        package=package,
        sandbox=sandbox,
    )
    try:
        return checker.check(ctx)
    except Exception as exc:  # noqa: BLE001 - a checker bug is the judge's fault: IE
        # Deterministic: the same output would crash it again, so it is not retried.
        return CheckResult(Verdict.IE, f"checker {checker.name} failed: {type(exc).__name__}")
