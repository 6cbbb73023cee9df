"""Grading one submission: compile, run every test in one sandbox session, check each
output outside the sandbox, score the groups, and combine the verdicts.

When every test passed and the problem bans a function with a registered
reference, one more hidden run is compared bit for bit with it
(`graders.reference_check`): reproducing the banned function exactly is RE with
score 0.

Groups (subtasks) run in `problem.yaml` order. In a `min` group the first failure
ends the group (its remaining tests cannot change its score); a `sum` group runs
every test. The final verdict is the worst test verdict by `Verdict` priority.

On a judge with idle cores the runs of one submission go side by side in several
sandbox sessions (`graders.lanes`), once its tests look long enough to repay
opening them; results are still judged, reported and scored
in test order, and a test after a `min` group's first failure is cancelled or its
result dropped unseen, so the outcome is that of a serial run.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from graders import reference_check
from graders.checkers import Checker, get_checker
from graders.errors import GradingError
from graders.hints import HintBook
from graders.interactive import Interactor, Judge, judge_for
from graders.judging import INTERNAL_ERROR, TRANSIENT, judge_run
from graders.kinds import get_kind
from graders.kinds.base import HasCheckerOptions
from graders.lanes import Lanes
from graders.package.model import ProblemType
from graders.package.types import Package, TestCase
from graders.results import GradeResult, GroupResult, TestResult
from graders.runner import Program, resolve_language
from graders.settings import get_settings
from graders.verdict import Verdict, worst
from sandbox import RunResult, RunStatus, Sandbox, SandboxError
from sandbox.languages import Language

if TYPE_CHECKING:
    from graders.kernel.timing_run import TimingOutcome

log = logging.getLogger(__name__)


def checker_for(package: Package) -> tuple[Checker, dict[str, Any]]:
    kind = get_kind(package.spec.type)
    checker = get_checker(package.spec.checker.name or kind.default_checker)
    options: dict[str, Any] = {}
    if isinstance(kind, HasCheckerOptions):
        options.update(kind.checker_options(package))
    options.update(package.spec.checker.options)
    return checker, options


def grade_submission(
    package: Package,
    *,
    source: str,
    language: str,
    sandbox: Sandbox,
    on_test: Callable[[TestResult], None] | None = None,
    stop_on_failure: bool = False,
    hints: HintBook | None = None,
    parallelism: int | Callable[[], int] | None = None,
) -> GradeResult:
    """Grade `source`; raises UnsupportedLanguage for a language the problem refuses.

    `on_test` is called with each TestResult as soon as that test is judged.
    `stop_on_failure` ends grading at the first failed test, whose verdict is then
    the final one (Kattis' rule; validation uses it for known-wrong solutions).
    `hints` (default: a book of the package's own hints, if it has any) sets the
    targeted hint of each failed test (`graders.hints`).
    `parallelism` caps how many tests run at once (default: the setting
    `GRADEBOX_TEST_PARALLELISM`), or says it anew each time it is called (a judgehost
    whose other gradings come and go), within that setting; results and events come
    in test order regardless.
    """
    lang = resolve_language(package, language)
    checker, options = checker_for(package)
    max_score = sum(group.points for group in package.spec.groups)
    book = hints if hints is not None else HintBook.for_package(package, sandbox)
    tests: list[TestResult] = []
    groups: list[GroupResult] = []
    opening = time.monotonic()
    try:
        with (
            Program(package, source, lang, sandbox) as program,
            judge_for(package, sandbox) as judge,
        ):
            compiled = program.compile()
            open_cost_s = time.monotonic() - opening
            if compiled.internal_error:
                raise GradingError(f"the sandbox failed while compiling: {compiled.message}")
            if not compiled.ok:
                return GradeResult(
                    verdict=Verdict.CE,
                    score=0,
                    max_score=max_score,
                    compile_output=compiled.message,
                )
            width = _lane_width(package, judge, parallelism)
            lane = functools.partial(Program, package, source, lang, sandbox)
            allowed = parallelism if callable(parallelism) else None
            with Lanes(program, lane, width, open_cost_s, allowed) as lanes:
                # Every run starts at once, in test order, on the free lanes; each is
                # taken (and judged) in that order below, the rest cancelled.
                runs = (
                    {id(test): lanes.submit(test.input) for test in _in_order(package)}
                    if lanes.width > 1
                    else {}
                )
                for group in package.spec.groups:
                    members = [test for test in package.tests if test.group == group.name]
                    fractions: list[float] = []
                    verdicts: list[Verdict] = []
                    for test in members:
                        run = _taken(lanes, runs, test)
                        result, fraction, output = _judge_test(
                            program, test, checker, options, judge, run
                        )
                        result = _as_judged(package, result)
                        if book is not None and result.verdict is not Verdict.AC:
                            book.attach(result, test, output)
                        tests.append(result)
                        fractions.append(fraction)
                        verdicts.append(result.verdict)
                        if on_test is not None:
                            on_test(result)
                        if result.verdict is not Verdict.AC and (
                            group.mode == "min" or stop_on_failure
                        ):
                            break
                    for test in members:  # what the group did not reach is not run
                        _drop(lanes, runs, test)
                    groups.append(
                        _score_group(
                            group.name, group.points, group.mode, fractions, len(members), verdicts
                        )
                    )
                    if stop_on_failure and any(v is not Verdict.AC for v in verdicts):
                        break
                for future in runs.values():
                    lanes.drop(future)
            if tests and all(t.verdict is Verdict.AC for t in tests):
                refused = _reference_probe(package, program)
                if refused is not None:
                    tests.append(refused)
                    groups = [g.model_copy(update={"score": 0.0}) for g in groups]
                    if on_test is not None:
                        on_test(refused)
    except (SandboxError, GradingError) as exc:
        log.warning("grading %s failed: %s", package.slug, exc)
        return GradeResult(
            verdict=Verdict.IE,
            score=0,
            max_score=max_score,
            tests=tests,
            groups=groups,
            message=str(exc),
        )
    verdict = worst(result.verdict for result in tests)
    timing = _kernel_timing(package, source, lang, sandbox, verdict)
    if timing is not None:
        tests.extend(timing.tests)
        for result in timing.tests:
            if on_test is not None:
                on_test(result)
        verdict = worst(result.verdict for result in tests)
    return GradeResult(
        verdict=verdict,
        retryable=verdict is not Verdict.IE or _transient(tests),
        score=round(sum(group.score for group in groups), 6),
        max_score=max_score,
        tests=tests,
        groups=groups,
        compile_output=compiled.message,
        timing=timing.status if timing is not None else None,
        message=timing.message if timing is not None else "",
        advisories=_advisories(package, source),
    )


def _advisories(package: Package, source: str) -> list[str]:
    if package.spec.type is not ProblemType.KERNEL:
        return []
    from graders.kernel.scan import scan

    return [str(finding) for finding in scan(source)]


def _reference_probe(package: Package, program: Program) -> TestResult | None:
    """A hidden extra run compared bit for bit with the banned reference (see
    `graders.reference_check`); the RE result when the submission reproduced it."""
    found = reference_check.reference_for(package)
    if found is None:
        return None
    name, reference = found
    inputs = reference_check.probe_inputs(package)
    run = program.run(reference_check.encode(inputs))
    if run.status is not RunStatus.OK or run.exit_code != 0:
        return None  # a crash here proves nothing; the dispatcher ban reports real calls
    same = reference_check.identical_outputs(reference, inputs, run.stdout)
    if not same:
        return None
    log.warning("%s: outputs %s bit-identical to %s", package.slug, same, name)
    return TestResult(
        name=reference_check.PROBE_TEST,
        group=reference_check.PROBE_GROUP,
        verdict=Verdict.RE,
        time_ms=round(run.cpu_s * 1000),
        memory_kb=run.peak_memory_kb,
        message=f"uses banned function {name}",
        feedback={"banned_function": name, "bit_identical": same},
    )


def _transient(tests: list[TestResult]) -> bool:
    """Whether any IE test failed in a way that retrying may cure (a sandbox fault)."""
    return any(
        t.verdict is Verdict.IE and t.feedback.get(INTERNAL_ERROR) == TRANSIENT for t in tests
    )


def _kernel_timing(
    package: Package, source: str, language: Language, sandbox: Sandbox, verdict: Verdict
) -> TimingOutcome | None:
    """Kernel problems: the GPU timing phase once correctness passed (or why it waits)."""
    if not get_kind(package.spec.type).needs_gpu or verdict is not Verdict.AC:
        return None
    from graders.kernel.timing_run import time_submission

    return time_submission(package, source=source, language=language, sandbox=sandbox)


def _lane_width(package: Package, judge: Judge, parallelism: int | Callable[[], int] | None) -> int:
    """How many sessions may run this submission's tests: one for interactive problems
    (the interactor paces the run) and kernels (the GPU is one), else the setting."""
    if isinstance(judge, Interactor) or package.spec.type is ProblemType.KERNEL:
        return 1
    wanted = parallelism if isinstance(parallelism, int) else get_settings().test_parallelism
    return max(1, min(wanted, len(package.tests)))


def _in_order(package: Package) -> list[TestCase]:
    """The tests in the order grading takes them: by group, then as listed."""
    return [t for group in package.spec.groups for t in package.tests if t.group == group.name]


def _taken(lanes: Lanes, runs: dict[int, Future[RunResult]], test: TestCase) -> RunResult | None:
    future = runs.pop(id(test), None)
    return lanes.collect(future) if future is not None else None


def _drop(lanes: Lanes, runs: dict[int, Future[RunResult]], test: TestCase) -> None:
    future = runs.pop(id(test), None)
    if future is not None:
        lanes.drop(future)


def _judge_test(
    program: Program,
    test: TestCase,
    checker: Checker,
    options: dict[str, Any],
    judge: Judge,
    run: RunResult | None = None,
) -> tuple[TestResult, float, bytes | None]:
    """Run one test: alone (stdin in, stdout out), or with the interactor; `run` when
    a lane already ran it. The output (None for interactive runs) is what targeted
    hints compare, judge side."""
    if isinstance(judge, Interactor):
        return (*judge.judge(program, test), None)
    if run is None:
        run = program.run(test.input)
    result, fraction = judge_run(
        package=program.package,
        test=test,
        result=run,
        checker=checker,
        options=options,
        sandbox=judge,
    )
    return result, fraction, run.stdout


def _as_judged(package: Package, result: TestResult) -> TestResult:
    """Kattis judgements: a memory overrun is a run-time error there."""
    if package.spec.judgements == "kattis" and result.verdict is Verdict.MLE:
        message = result.message or "memory limit exceeded"
        return result.model_copy(update={"verdict": Verdict.RE, "message": message})
    return result


def _score_group(
    name: str, points: float, mode: str, fractions: list[float], total: int, verdicts: list[Verdict]
) -> GroupResult:
    if total == 0:
        earned = 0.0
    elif mode == "sum":
        earned = points * sum(fractions) / total
    else:
        earned = points * min(fractions) if len(fractions) == total else 0.0
    return GroupResult(name=name, verdict=worst(verdicts), score=round(earned, 6), max_score=points)
