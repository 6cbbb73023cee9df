"""Grading one submission: compile, run every test in one sandbox session, check each
output outside the sandbox, score the groups, and combine the verdicts.

Groups (subtasks) run in `problem.yaml` order. In a `min` group the first failure
ends the group (its remaining tests cannot change its score); a `sum` group runs
every test. The final verdict is the worst test verdict by `Verdict` priority.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from graders.checkers import Checker, get_checker
from graders.errors import GradingError
from graders.feedback import judge_run
from graders.hints import HintBook
from graders.kinds import get_kind
from graders.kinds.base import HasCheckerOptions
from graders.package.types import Package
from graders.results import GradeResult, GroupResult, TestResult
from graders.runner import Program, resolve_language
from graders.verdict import Verdict, worst
from sandbox import Sandbox, SandboxError

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
) -> GradeResult:
    """Grade `source`; raises UnsupportedLanguage for a language the problem refuses.

    `on_test` is called with each TestResult as soon as that test is judged.
    `stop_on_failure` ends grading at the first failed test, whose verdict is then
    the final one (Kattis' rule; validation uses it for known-wrong solutions).
    `hints` (default: a book of the package's own hints, if it has any) sets the
    targeted hint of each failed test (`graders.hints`).
    """
    lang = resolve_language(package, language)
    checker, options = checker_for(package)
    max_score = sum(group.points for group in package.spec.groups)
    book = hints if hints is not None else HintBook.for_package(package, sandbox)
    tests: list[TestResult] = []
    groups: list[GroupResult] = []
    try:
        with Program(package, source, lang, sandbox) as program:
            compiled = program.compile()
            if compiled.internal_error:
                raise GradingError(f"the sandbox failed while compiling: {compiled.message}")
            if not compiled.ok:
                return GradeResult(
                    verdict=Verdict.CE,
                    score=0,
                    max_score=max_score,
                    compile_output=compiled.message,
                )
            for group in package.spec.groups:
                members = [test for test in package.tests if test.group == group.name]
                fractions: list[float] = []
                verdicts: list[Verdict] = []
                for test in members:
                    run = program.run(test.input)
                    result, fraction = judge_run(
                        package=package,
                        test=test,
                        result=run,
                        checker=checker,
                        options=options,
                        sandbox=sandbox,
                    )
                    if book is not None and result.verdict is not Verdict.AC:
                        book.attach(result, test, run.stdout)
                    tests.append(result)
                    fractions.append(fraction)
                    verdicts.append(result.verdict)
                    if on_test is not None:
                        on_test(result)
                    if result.verdict is not Verdict.AC and (
                        group.mode == "min" or stop_on_failure
                    ):
                        break
                groups.append(
                    _score_group(
                        group.name, group.points, group.mode, fractions, len(members), verdicts
                    )
                )
                if stop_on_failure and any(v is not Verdict.AC for v in verdicts):
                    break
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
    return GradeResult(
        verdict=worst(result.verdict for result in tests),
        score=round(sum(group.score for group in groups), 6),
        max_score=max_score,
        tests=tests,
        groups=groups,
        compile_output=compiled.message,
    )


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
