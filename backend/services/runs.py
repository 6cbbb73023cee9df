"""Runs: the learner's current code on the samples and on custom input, before submitting.

A run is graded exactly like a submission (`graders.grade_submission`: the same
sandbox, limits, checkers and numeric feedback) but only on visible tests: the
package's samples and, if given, one custom input whose expected output is the
reference solution's, computed in the sandbox like a generated test's answer.
Nothing is stored: runs never reach history, the leaderboard or solved marks.

Where it runs: in the API process, in a bounded worker (`RunGate`: at most
`GRADEBOX_RUN_WORKERS` runs at once, each waiting at most `GRADEBOX_RUN_QUEUE_S` for a
slot, else 503 `runs_busy`), not through the judge queue. A run is interactive (the
learner waits for it) and short, it has no result to persist, and so it works the
same with or without the embedded judgehost of `make run`; package uploads already
run validation in this process the same way. Each user has their own sliding-window
rate limit (`GRADEBOX_RATE_LIMIT_RUNS` per `GRADEBOX_RATE_LIMIT_RUNS_WINDOW_S`),
apart from the submission limit. Packages come from the same content-addressed blob
the judgehosts fetch, unpacked into a cache of their own.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from backend.auth.principal import Principal
from backend.errors import InvalidInput, RateLimited, Unavailable
from backend.judgehost import PackageCache
from backend.limits import SlidingWindow
from backend.schemas.runs import ExpectedFrom, RunCreate, RunPublic, RunTest
from backend.services import custom_input
from backend.services import problems as problem_service
from backend.services.submissions import check_source
from backend.settings import Settings
from graders import (
    GeneratedInput,
    GroupSpec,
    HintBook,
    Package,
    ProblemFormatError,
    TestCase,
    TestResult,
    grade_submission,
    load_package,
    reference_answers,
)
from sandbox import Sandbox


class RunGate:
    """One per app: the rate limit, the worker slots and the package cache of runs."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self.window = SlidingWindow(
            limit=settings.rate_limit_runs, window_s=settings.rate_limit_runs_window_s
        )
        self.slots = threading.BoundedSemaphore(settings.run_workers)
        self.queue_s = settings.run_queue_s

        def fetch(content_hash: str) -> bytes:
            with sessions() as session:
                return problem_service.package_blob(session=session, content_hash=content_hash)

        self.cache = PackageCache(settings.data_dir / "run-cache", fetch)

    @contextmanager
    def slot(self, user_id: int) -> Iterator[None]:
        wait = self.window.hit(user_id)
        if wait is not None:
            retry = max(1, math.ceil(wait))
            raise RateLimited(
                f"at most {self.window.limit} runs per {self.window.window_s:g} s; "
                f"retry in {retry} s",
                retry_after=retry,
            )
        if not self.slots.acquire(timeout=self.queue_s):
            raise Unavailable(
                "every run worker is busy; try again in a moment",
                code="runs_busy",
                headers={"Retry-After": "2"},
            )
        try:
            yield
        finally:
            self.slots.release()


class SampleHints(HintBook):
    """Targeted hints on the samples only. A custom input is new each time: the book's
    cache is keyed by test name, and matching it would cost a sandbox run of every
    hinted solution per run, so custom tests get no hint."""

    def attach(self, result: TestResult, test: TestCase, output: bytes | None) -> None:
        if test.name != custom_input.CUSTOM:
            super().attach(result, test, output)


def _only(package: Package, tests: list[TestCase]) -> Package:
    """The package with just these tests, each group scored `sum` so every test runs."""
    names = list(dict.fromkeys(test.group for test in tests))
    groups = [GroupSpec(name=name, points=0, mode="sum") for name in names]
    spec = package.spec.model_copy(update={"groups": groups})
    return dataclasses.replace(package, spec=spec, tests=tuple(tests))


def _with_reference_answer(package: Package, test: TestCase, sandbox: Sandbox) -> TestCase:
    item = GeneratedInput(test.name, test.group, test.source, test.input)
    try:
        (answer,) = reference_answers(package, [item], sandbox)
    except ProblemFormatError as exc:
        raise InvalidInput(
            f"the reference solution fails on this input, so it is probably not valid for "
            f"the problem ({str(exc).split('(', 1)[-1].split(')', 1)[0]})",
            code="bad_custom_input",
        ) from None
    return dataclasses.replace(test, answer=answer)


def _custom_test(package: Package, data: RunCreate, sandbox: Sandbox) -> TestCase | None:
    if data.custom_input is not None:
        raw = custom_input.from_text(package, data.custom_input)
        test = custom_input.test_case(package, raw, "custom input")
    elif data.generator is not None:
        raw, source = custom_input.generated(package, data.generator, sandbox)
        test = custom_input.test_case(package, raw, source)
    else:
        return None
    return _with_reference_answer(package, test, sandbox)


def run(
    *,
    session: Session,
    settings: Settings,
    principal: Principal,
    data: RunCreate,
    gate: RunGate,
    sandbox: Callable[[], Sandbox],
) -> RunPublic:
    check_source(settings, data.source)
    if data.custom_input is not None and data.generator is not None:
        raise InvalidInput("give custom_input or generator, not both", code="bad_custom_input")
    if not data.samples and data.custom_input is None and data.generator is None:
        raise InvalidInput(
            "nothing to run: ask for the samples, a custom input or a generator",
            code="nothing_to_run",
        )
    problem = problem_service.get_visible(session=session, viewer=principal, slug=data.problem)
    problem_service.check_language(problem, data.language)
    assert problem.current_version is not None
    content_hash, slug, user_id = (
        problem.current_version.content_hash,
        problem.slug,
        principal.user.id,
    )
    # No transaction stays open through the sandbox work below (on SQLite it would hold
    # the write lock); nothing touches the ORM after this.
    session.rollback()
    with gate.slot(user_id):
        package = gate.cache.load(content_hash, lambda root: load_package(root, generate=False))
        box = sandbox()
        tests = [test for test in package.tests if test.visible] if data.samples else []
        custom = _custom_test(package, data, box)
        if custom is not None:
            tests.append(custom)
        result = grade_submission(
            _only(package, tests),
            source=data.source,
            language=data.language,
            sandbox=box,
            hints=SampleHints.for_package(package, box),
        )
    custom_name = custom.name if custom is not None else None
    return RunPublic(
        problem=slug,
        language=data.language,
        verdict=result.verdict,
        tests=[
            RunTest(
                **test.model_dump(),
                expected_from=ExpectedFrom.REFERENCE
                if test.name == custom_name
                else ExpectedFrom.SAMPLE,
            )
            for test in result.tests
        ],
        compile_output=result.compile_output,
        message=result.message,
    )
