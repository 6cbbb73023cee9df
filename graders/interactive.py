"""Judging one test of an interactive problem.

The learner's program (in its grading session) and the interactor (instructor code,
in a fresh sandbox of its own) are joined by `sandbox.stream.run_pair`: each one's
stdout is the other's stdin, relayed by the judge. The interactor follows the Kattis
convention: `interactor input judge_answer feedback_dir/`, exit 42 accepts, 43
rejects, messages in the feedback folder (`graders/harness/checker_runner.py
--interactive` runs it and reports on stderr).

Verdicts, as Kattis decides them: an interactor that rejects before the program has
ended means WA (the program is then stopped: whatever it does next cannot matter);
otherwise the program's own fate comes first (TLE, MLE, RE, including a deadlock,
which ends at the wall-clock limit as TLE), then the interactor's judgement. An
interactor that fails, hangs or breaks the convention is an internal error, whatever
the program did.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from typing import Any, Self, Union

from graders.checkers.base import CheckContext, CheckResult
from graders.checkers.custom import _score as score_fraction
from graders.checkers.custom import runner_files
from graders.checkers.program import prepare_validator
from graders.errors import GraderError, GradingError
from graders.harness import protocol as wire
from graders.judging import judge_run
from graders.package.model import ProblemType
from graders.package.types import Package, TestCase
from graders.results import TestResult
from graders.runner import Program
from graders.verdict import Verdict
from sandbox import Limits, RunResult, RunSpec, RunStatus, Sandbox
from sandbox.stream import StreamingSession, run_pair

INTERACTOR_FILE, INTERACTOR_DIR = "interactor.py", "interactor"
NOT_STREAMING = "the {} sandbox cannot run interactive problems (use bwrap or docker)"
_ENV = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1", "OMP_NUM_THREADS": "1"}


def interactor_spec(package: Package, sandbox: Sandbox) -> RunSpec:
    """The interactor's run: its own CPU limit (`checker.options.time_s`, default 10 s)
    and a wall clock longer than the learner's, so the learner's limit ends first."""
    root = package.root
    where = INTERACTOR_FILE if (root / INTERACTOR_FILE).is_file() else INTERACTOR_DIR
    program = prepare_validator(root, where, sandbox)
    options = package.spec.checker.options
    time_s = float(options.get("time_s", 10.0))
    learner_wall = package.spec.limits.wall_s
    limits = Limits(
        wall_s=max(2 * time_s + 2, learner_wall + 5),
        cpu_s=time_s,
        memory_mb=int(options.get("memory_mb", 1024)),
    )
    flags = [str(flag) for flag in options.get("flags", [])]
    return RunSpec(
        argv=(
            "python3",
            wire.CHECKER_RUNNER_FILE,
            "--interactive",
            *(("--flags", ",".join(flags)) if flags else ()),
            *program.argv,
        ),
        files={**program.files, **runner_files()},
        env=_ENV,
        limits=limits,
    )


def interactor_report(result: RunResult) -> dict[str, Any] | None:
    """The runner's report from the interactor sandbox's stderr, if it wrote one."""
    for line in reversed(result.stderr.decode("utf-8", errors="replace").splitlines()):
        if line.startswith(wire.VALIDATOR_REPORT_MARKER):
            try:
                report = json.loads(line.removeprefix(wire.VALIDATOR_REPORT_MARKER))
            except ValueError:
                return None
            return report if isinstance(report, dict) else None
    return None


def _rejected(result: RunResult) -> bool:
    report = interactor_report(result)
    return report is None or report.get("exit") != wire.VALIDATOR_ACCEPT


class _Judged:
    """A checker that returns what the interactor already decided."""

    name = "interactor"

    def __init__(self, outcome: CheckResult) -> None:
        self.outcome = outcome

    def check(self, ctx: CheckContext) -> CheckResult:
        return self.outcome


Judge = Union["Interactor", Sandbox]


class Interactor:
    """The interactor of one grading: compiled once, in one sandbox session of its
    own for all the tests (opened at the first test), closed with the grading."""

    def __init__(self, package: Package, sandbox: Sandbox) -> None:
        self.package = package
        self.sandbox = sandbox
        self._stack = contextlib.ExitStack()
        self._session: StreamingSession | None = None
        self._spec: RunSpec | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def _open(self) -> tuple[StreamingSession, RunSpec]:
        if self._session is None or self._spec is None:
            try:
                base = interactor_spec(self.package, self.sandbox)
            except GraderError as exc:
                raise GradingError(f"the interactor cannot run: {exc}") from None
            session = self._stack.enter_context(self.sandbox.session(base.files))
            if not isinstance(session, StreamingSession):
                raise GradingError(
                    f"the {self.sandbox.name} sandbox cannot run interactive problems"
                )
            self._session, self._spec = session, dataclasses.replace(base, files={})
        return self._session, self._spec

    def judge(self, program: Program, test: TestCase) -> tuple[TestResult, float]:
        """The TestResult of one interactive test and its score fraction."""
        learner_session = program.session
        if not isinstance(learner_session, StreamingSession):
            raise GradingError(NOT_STREAMING.format(self.sandbox.name))
        session, base = self._open()
        spec = dataclasses.replace(base, files={"input": test.input, "judge_answer": test.answer})
        pair = run_pair(
            (learner_session, program.run_spec()), (session, spec), stop_first_when=_rejected
        )
        learner, interactor = pair.first, pair.second
        verdict = _interactor_verdict(interactor, interactor_report(interactor), test.visible)
        rejected_first = verdict.verdict is Verdict.WA and not pair.first_ended_first
        if rejected_first or verdict.verdict is Verdict.IE:
            # Rejected while the program still ran: WA whatever the program did after.
            # A broken interactor is the judge's failure whatever the program did.
            learner = dataclasses.replace(learner, status=RunStatus.OK, exit_code=0, signal=None)
        return judge_run(
            package=self.package,
            test=test,
            result=learner,
            checker=_Judged(verdict),
            options={},
            sandbox=self.sandbox,
        )


def judge_for(package: Package, sandbox: Sandbox) -> contextlib.AbstractContextManager[Judge]:
    """What judges a run: the sandbox for checkers, or the problem's interactor."""
    if package.spec.type is ProblemType.INTERACTIVE:
        return Interactor(package, sandbox)
    return contextlib.nullcontext(sandbox)


def _interactor_verdict(
    result: RunResult, report: dict[str, Any] | None, visible: bool
) -> CheckResult:
    if result.status is not RunStatus.OK or report is None:
        return CheckResult(
            Verdict.IE, f"the interactor could not run: {result.status} {result.detail}"
        )
    code = report.get("exit")
    team = str(report.get("teammessage", "")).strip()
    judge = str(report.get("judgemessage", "")).strip()
    message = team or (judge if visible else "")
    if code == wire.VALIDATOR_ACCEPT:
        return CheckResult(Verdict.AC, message, score=score_fraction(report.get("score")))
    if code == wire.VALIDATOR_REJECT:
        return CheckResult(Verdict.WA, message or "rejected by the interactor", score=0.0)
    tail = str(report.get("stderr", "")).strip().splitlines()[-1:]
    return CheckResult(
        Verdict.IE,
        f"the interactor exited with code {code} (expected {wire.VALIDATOR_ACCEPT} or "
        f"{wire.VALIDATOR_REJECT}) {' '.join(tail)}",
    )
