"""`custom`: the package's `checker.py` (or `output_validator/`, a folder of Python
or C/C++ sources, see `graders.checkers.program`), run in a sandbox of its own.

The checker is instructor code, trusted less than the judge: it never runs in the
learner's sandbox and never unsandboxed on the judgehost. It follows the Kattis
output-validator convention (see `graders/harness/checker_runner.py`). Options:
`time_s` (default 10) and `memory_mb` (default 1024) bound each checker run;
`flags` (a list) are passed after the feedback folder (Kattis `validator_flags`).

What reaches the learner: `teammessage.txt` always; `judgemessage.txt` and the
last line of the checker's stderr only on visible (sample) tests, since either may
quote the expected answer.

A checker that crashes or breaks the convention is IE (the judge's side failed),
but deterministic for this output, so the queue does not retry it; only a failing
sandbox is a transient IE.
"""

from __future__ import annotations

import json

from pydantic import Field

from graders.checkers.base import CheckContext, CheckerOptions, CheckResult
from graders.checkers.program import ValidatorProgram, prepare_validator
from graders.checkers.registry import register_checker
from graders.errors import GraderError
from graders.harness import harness_files
from graders.harness import protocol as wire
from graders.verdict import Verdict
from sandbox import Limits, RunSpec, RunStatus

CHECKER_FILE = "checker.py"
VALIDATOR_DIR = "output_validator"

_ENV = {"PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def runner_files() -> dict[str, bytes]:
    """The checker runner and the protocol module it imports, for a validator's sandbox."""
    return harness_files(wire.CHECKER_RUNNER_FILE)


class CustomOptions(CheckerOptions):
    time_s: float = Field(default=10.0, gt=0, le=120)
    memory_mb: int = Field(default=1024, ge=16, le=8192)
    flags: list[str | int | float] = Field(default_factory=list)  # Kattis validator flags


class CustomChecker:
    name = "custom"
    Options = CustomOptions

    def check(self, ctx: CheckContext) -> CheckResult:
        if ctx.package is None or ctx.sandbox is None:
            return CheckResult(Verdict.IE, "custom checker called without a package and a sandbox")
        try:
            program = checker_program(ctx)
        except GraderError as exc:
            return CheckResult(Verdict.IE, str(exc))
        time_s = float(ctx.options.get("time_s", 10.0))
        limits = Limits(
            wall_s=2 * time_s + 2,
            cpu_s=time_s,
            memory_mb=int(ctx.options.get("memory_mb", 1024)),
        )
        spec = RunSpec(
            argv=("python3", wire.CHECKER_RUNNER_FILE, *flags_args(ctx.options), *program.argv),
            files={
                **program.files,
                **runner_files(),
                "input": ctx.input,
                "judge_answer": ctx.answer,
            },
            stdin=ctx.output,
            env=_ENV,
            limits=limits,
        )
        result = ctx.sandbox.run(spec)
        if result.status is RunStatus.SANDBOX_ERROR:
            return CheckResult(
                Verdict.IE,
                f"the checker could not run: {result.status} {result.detail}",
                transient=True,
            )
        if result.status is not RunStatus.OK or result.exit_code != 0:
            return CheckResult(Verdict.IE, f"the checker could not run: {result.status}")
        try:
            report = json.loads(result.stdout)
        except (ValueError, RecursionError):
            report = None
        if not isinstance(report, dict):
            return CheckResult(Verdict.IE, "the checker runner printed no report")
        code = report.get("exit")
        team = str(report.get("teammessage", "")).strip()
        judge = str(report.get("judgemessage", "")).strip()
        message = team or (judge if ctx.visible else "")
        if code == wire.VALIDATOR_ACCEPT:
            return CheckResult(Verdict.AC, message, score=_score(report.get("score")))
        if code == wire.VALIDATOR_REJECT:
            return CheckResult(Verdict.WA, message or "rejected by the checker", score=0.0)
        expected = f"{wire.VALIDATOR_ACCEPT} or {wire.VALIDATOR_REJECT}"
        message = f"the checker exited with code {code} (expected {expected})"
        if ctx.visible:  # its stderr may quote the answer: never on hidden tests
            stderr = str(report.get("stderr", "")).strip().splitlines()
            if stderr:
                message += f" {stderr[-1][:200]}"
        return CheckResult(Verdict.IE, message)


def checker_program(ctx: CheckContext) -> ValidatorProgram:
    """`checker.py` as it always was, else the `output_validator/` folder."""
    assert ctx.package is not None and ctx.sandbox is not None
    root = ctx.package.root
    where = CHECKER_FILE if (root / CHECKER_FILE).is_file() else VALIDATOR_DIR
    return prepare_validator(root, where, ctx.sandbox)


def flags_args(options: dict[str, object]) -> tuple[str, ...]:
    flags = options.get("flags") or []
    if not isinstance(flags, list) or not flags:
        return ()
    return ("--flags", ",".join(str(flag) for flag in flags))


def _score(raw: object) -> float | None:
    try:
        value = float(str(raw))
    except ValueError:
        return None
    return min(1.0, max(0.0, value))


register_checker(CustomChecker())
