"""`gradebox problem validate`: is a package fit to publish?

Diagnostics are collected, problemtools style: errors make the report fail,
warnings don't. Checks: the package loads (exact file and field otherwise), the
statement lints, generators give the same tests twice, every input validator accepts
every test input (given and generated), every solution under
`submissions/<verdict>/` gets that verdict in the real sandbox (accepted ones with
full score; the others at their first failing test, Kattis' rule, which also keeps
validation fast), the time limit is at least 3x the CPU time of the slowest accepted
test of its language (`graders.headroom`: a miss is measured once more between two
calibration runs, so a burst of load on the machine cannot fail it),
starter templates compile, and every hinted wrong solution fires its own targeted
hint on its first failing test (`graders.hints`; the report's `hints` says which
hint fired for each).
The upload API runs the same function.
"""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

from pydantic import BaseModel, Field, computed_field

from graders import headroom
from graders.diagnostics import Diagnostic
from graders.errors import GraderError, ProblemFormatError
from graders.grade import grade_submission
from graders.hints import HintBook, hint_problems
from graders.interactive import Interactor, judge_for
from graders.lint import lint_statement
from graders.package.files import read_file, scan
from graders.package.generate import run_generators
from graders.package.input_validators import check_inputs
from graders.package.loader import load_package
from graders.package.types import Package
from graders.results import GradeResult, TestResult
from graders.runner import RUN_ENV, Program, resolve_language
from graders.submissions import EXPECTED, PARTIAL, SLOW, Solution, list_solutions
from graders.verdict import Verdict
from sandbox import Limits, RunSpec, RunStatus, Sandbox, SandboxError, SandboxSession

TIME_MARGIN = headroom.MARGIN
_CALIBRATION_LIMITS = Limits(wall_s=30, cpu_s=10, memory_mb=256, output_bytes=4096)


class SolutionReport(BaseModel):
    path: str
    language: str | None
    expected: Verdict
    got: Verdict | None = None
    score: float = 0
    max_score: float = 0
    slowest_ms: int = 0
    slowest_test: str = ""
    ok: bool = False
    message: str = ""
    # The targeted hint shown on its first failing test, and whose it is
    # ("wrong_answer/<file>" or "group:<name>"); None when no hint fired.
    hint: str | None = None
    hint_source: str | None = None


class HintCheck(BaseModel):
    """Does a hinted wrong solution trigger its own hint on its own failing test?"""

    solution: str  # key of `hints.solutions`: "wrong_answer/<file>"
    hint: str  # the hint the author wrote for it
    test: str | None = None  # its first failing test
    fired: str | None = None  # source of the hint that fired there, None if none did
    ok: bool = False


class ValidationReport(BaseModel):
    package: str
    content_hash: str | None = None
    errors: list[Diagnostic] = Field(default_factory=list)
    warnings: list[Diagnostic] = Field(default_factory=list)
    solutions: list[SolutionReport] = Field(default_factory=list)
    hints: list[HintCheck] = Field(default_factory=list)
    # submissions/gpu/<verdict>/: cheats only a GPU run shows; `scripts/gpu-check` runs them.
    gpu_only: list[str] = Field(default_factory=list)
    tests: int = 0
    time_limit_ms: int | None = None
    slowest_accepted_ms: int | None = None
    generators_deterministic: bool | None = None
    seconds: float = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, message: str, *, file: str | None = None, field: str | None = None) -> None:
        self.errors.append(Diagnostic(severity="error", message=message, file=file, field=field))

    def warn(self, message: str, *, file: str | None = None, field: str | None = None) -> None:
        self.warnings.append(
            Diagnostic(severity="warning", message=message, file=file, field=field)
        )


def validate_package(
    root: Path | str, *, sandbox: Sandbox, cache_dir: Path | None = None, run_solutions: bool = True
) -> ValidationReport:
    started = time.monotonic()
    root = Path(root)
    report = ValidationReport(package=root.name)
    try:
        package = load_package(root, sandbox=sandbox, cache_dir=cache_dir)
    except ProblemFormatError as exc:
        report.errors.extend(exc.problems)  # every problem the loader found
        report.seconds = round(time.monotonic() - started, 2)
        return report
    except SandboxError as exc:
        report.error(f"the sandbox failed while loading: {exc}")
        return report
    report.content_hash = package.content_hash
    report.tests = len(package.tests)
    report.time_limit_ms = round(package.spec.limits.time_s * 1000)
    _lint(package, report)
    _check_generators(package, sandbox, report)
    _check_inputs(package, sandbox, report)
    for field, reason in hint_problems(package):
        report.error(reason, file="problem.yaml", field=field)
    if run_solutions:
        book = HintBook.for_package(package, sandbox, cache_dir=cache_dir)
        _check_solutions(package, sandbox, report, book)
        _check_templates(package, sandbox, report)
    report.seconds = round(time.monotonic() - started, 2)
    return report


def _lint(package: Package, report: ValidationReport) -> None:
    default = package.spec.statement_language
    # A Package built by hand may leave `statements` empty; statement.md is then the one.
    for lang, text in (package.statements or {default: package.statement}).items():
        name = "statement.md" if lang == default else f"statement.{lang}.md"
        for problem in lint_statement(text):
            report.error(problem, file=name)
    if package.editorial is not None:
        for problem in lint_statement(package.editorial):
            report.error(problem, file="editorial.md")
    if not any(test.visible for test in package.tests):
        report.warn("no sample tests: learners see no example", file="data/sample")
    for language in package.spec.languages:
        if language not in package.templates:
            report.warn(f"no starter template for {language}", file="templates")
    if not package.spec.tags:
        report.warn("no tags", file="problem.yaml", field="tags")


def _check_generators(package: Package, sandbox: Sandbox, report: ValidationReport) -> None:
    if not package.spec.generators:
        return
    try:
        again = run_generators(package, sandbox)
    except (ProblemFormatError, SandboxError) as exc:
        report.error(f"second generator run failed: {exc}", file="generators")
        report.generators_deterministic = False
        return
    first = {test.name: test for test in package.tests if test.source.startswith("generators/")}
    deterministic = True
    for item in again:
        previous = first.get(item.name)
        if previous is None or previous.input != item.data:
            deterministic = False
            report.error(
                f"`{item.source}` printed a different test on a second run",
                file=item.source.split()[0],
            )
    report.generators_deterministic = deterministic


def _check_inputs(package: Package, sandbox: Sandbox, report: ValidationReport) -> None:
    """Every input validator (input_validators/) on every test input."""
    for problem in check_inputs(package, sandbox):
        report.error(f"{problem.validator}: {problem.message}", file=problem.file)


def _check_templates(package: Package, sandbox: Sandbox, report: ValidationReport) -> None:
    """A starter template must compile and run; one that is already accepted is suspect."""
    for language, source in sorted(package.templates.items()):
        where = next(
            (f"templates/{p.name}" for p in (package.root / "templates").glob(f"{language}.*")),
            "templates",
        )
        try:
            result = grade_submission(
                package, source=source, language=language, sandbox=sandbox, stop_on_failure=True
            )
        except (GraderError, SandboxError) as exc:
            report.error(f"could not be graded: {exc}", file=where)
            continue
        if result.verdict is Verdict.CE:
            lines = result.compile_output.strip().splitlines()
            report.error(f"the starter template does not compile: {lines[-1:]}", file=where)
        elif result.verdict is Verdict.AC:
            report.warn("the starter template is accepted as it is", file=where)


def is_gpu_only(rel: str) -> bool:
    """`submissions/gpu/<verdict>/<file>`: a known-bad kernel whose defect needs a GPU."""
    parts = rel.split("/")
    return len(parts) == 4 and parts[:2] == ["submissions", "gpu"] and parts[2] in EXPECTED


def _check_solutions(
    package: Package, sandbox: Sandbox, report: ValidationReport, book: HintBook | None
) -> None:
    files = scan(package.root)
    solutions = list_solutions(files)
    if not any(solution.expected is Verdict.AC for solution in solutions):
        report.error("no accepted solution under submissions/accepted/", file="submissions")
    for rel in files:
        parts = rel.split("/")
        if is_gpu_only(rel):
            report.gpu_only.append(rel)
            continue
        if parts[0] == "submissions" and (
            len(parts) != 3 or rel not in {s.path for s in solutions}
        ):
            report.warn("not a solution file (submissions/<verdict>/<file>); ignored", file=rel)
    # Slowest accepted test per language: (ms, test, solution path).
    slowest: dict[str, tuple[int, str, str]] = {}
    # The calibration program's CPU time before any solution ran: the quiet reference
    # a re-measurement is scaled against (graders.headroom).
    baseline_ms = _calibration_baseline(sandbox) if solutions else None
    for solution in solutions:
        entry = SolutionReport(
            path=solution.path, language=solution.language, expected=solution.expected
        )
        report.solutions.append(entry)
        if solution.language is None or solution.language not in package.spec.languages:
            entry.message = "its extension names no language of this problem"
            report.error(entry.message, file=solution.path)
            continue
        try:
            source = read_file(package.root, solution.path).decode("utf-8")
            result = grade_submission(
                package,
                source=source,
                language=solution.language,
                sandbox=sandbox,
                stop_on_failure=solution.expected is not Verdict.AC and solution.folder != PARTIAL,
                hints=book,
            )
        except (GraderError, SandboxError, UnicodeDecodeError) as exc:
            entry.message = f"could not be graded: {exc}"
            report.error(entry.message, file=solution.path)
            continue
        entry.got, entry.score, entry.max_score = result.verdict, result.score, result.max_score
        timed = max(result.tests, key=lambda test: test.time_ms, default=None)
        if timed is not None:
            entry.slowest_ms, entry.slowest_test = timed.time_ms, timed.name
        entry.ok = _meets_expectation(solution, result)
        failed = next((test for test in result.tests if test.verdict is not Verdict.AC), None)
        if failed is not None and failed.hint is not None:
            entry.hint, entry.hint_source = failed.hint, failed.feedback.get("hint_source")
        _check_hint(package, solution.path, failed, book, report)
        if not entry.ok:
            failing = next((test for test in result.tests if test.verdict is not Verdict.AC), None)
            detail = f" on {failing.name} ({failing.message})" if failing is not None else ""
            if result.verdict is Verdict.CE:
                detail = f": {result.compile_output.strip().splitlines()[-1:]}"
            if result.verdict is Verdict.IE:
                detail = f": {result.message}"
            score = f"score {result.score:g}/{result.max_score:g}"
            entry.message = f"expected {solution.expected}, got {result.verdict}{detail} ({score})"
            # an accepted solution over the limit points at the limit that it broke
            too_slow = solution.expected is Verdict.AC and result.verdict is Verdict.TLE
            field = package.spec.limits.time_field(solution.language) if too_slow else None
            report.error(entry.message, file=solution.path, field=field)
        if solution.expected is Verdict.AC and solution.folder != SLOW and timed is not None:
            previous = slowest.get(solution.language)
            if previous is None or timed.time_ms > previous[0]:
                slowest[solution.language] = (timed.time_ms, timed.name, solution.path)
    if slowest:
        report.slowest_accepted_ms = max(ms for ms, _, _ in slowest.values())
    for language, (ms, test, path) in sorted(slowest.items()):
        limits = package.spec.limits.for_language(language)
        decision = headroom.judge(
            limits.time_s * 1000,
            headroom.Measurement(cpu_ms=ms),
            partial(_remeasure, package, sandbox, path, language, test),
            baseline_ms,
        )
        where = package.spec.limits.time_field(language)
        if decision.ok and decision.retried:
            report.warn(
                f"the slowest accepted test ({test} by {path}) first took {ms} ms, over a "
                f"third of the {limits.time_s:g} s limit ({language}); measured again "
                f"against the calibration it takes {decision.ms:.0f} ms, which fits",
                file="problem.yaml",
                field=where,
            )
        elif not decision.ok:
            report.error(
                f"time limit {limits.time_s:g} s ({language}) is less than {TIME_MARGIN:g}x "
                f"the slowest accepted test ({ms} ms on {test} by {path}"
                f"{decision.remeasured()})",
                file="problem.yaml",
                field=where,
            )


def _calibrate(session: SandboxSession) -> float | None:
    """CPU ms of `headroom.CALIBRATION` in `session`; None if it did not run cleanly."""
    spec = RunSpec(
        argv=("python3", "-c", headroom.CALIBRATION), env=RUN_ENV, limits=_CALIBRATION_LIMITS
    )
    result = session.run(spec)
    if result.status is not RunStatus.OK or result.exit_code != 0:
        return None
    return result.cpu_s * 1000


def _calibration_baseline(sandbox: Sandbox) -> float | None:
    try:
        with sandbox.session({}) as session:
            return _calibrate(session)
    except SandboxError:
        return None


def _remeasure(
    package: Package, sandbox: Sandbox, path: str, language: str, test_name: str
) -> headroom.Measurement | None:
    """Run `path`'s test `test_name` once more in a fresh session, between two
    calibration runs in that same session; None if that could not be done."""
    test = next((t for t in package.tests if t.name == test_name), None)
    if test is None:
        return None
    try:
        source = read_file(package.root, path).decode("utf-8")
        lang = resolve_language(package, language)
        with (
            Program(package, source, lang, sandbox) as program,
            judge_for(package, sandbox) as judge,
        ):
            if not program.compile().ok:
                return None
            before = _calibrate(program.session)
            if isinstance(judge, Interactor):
                cpu_ms = float(judge.judge(program, test)[0].time_ms)
            else:
                cpu_ms = program.run(test.input).cpu_s * 1000
            after = _calibrate(program.session)
    except (GraderError, SandboxError, UnicodeDecodeError):
        return None
    return headroom.Measurement(
        cpu_ms=cpu_ms, calibration_before_ms=before, calibration_after_ms=after
    )


def _check_hint(
    package: Package,
    path: str,
    failed: TestResult | None,
    book: HintBook | None,
    report: ValidationReport,
) -> None:
    """A hinted wrong solution must fire its own hint on its first failing test."""
    key = path.removeprefix("submissions/")
    hint = package.spec.hints.solutions.get(key)
    if hint is None:
        return
    check = HintCheck(solution=key, hint=hint)
    report.hints.append(check)
    if book is not None and not book.matches_outputs:
        check.ok = True  # custom checkers: solution hints are not matched (graders.hints)
        report.warn("solution hints are not matched with a custom checker", file=path)
        return
    if failed is None:
        return  # the verdict check already reported that it passes
    check.test = failed.name
    check.fired = None if failed.hint is None else failed.feedback.get("hint_source")
    check.ok = check.fired == key
    if not check.ok:
        fired = f"the hint of {check.fired}" if check.fired else "no hint"
        report.error(
            f"its hint does not fire on its own failing test {failed.name} ({fired} does; "
            "hints match outputs, so the test must fail it with WA)",
            file="problem.yaml",
            field=f"hints.solutions.{key}",
        )


def _meets_expectation(solution: Solution, result: GradeResult) -> bool:
    """Kattis' folder rules: accepted = full score; partially_accepted = some but not
    all points, and not accepted; slow_accepted = accepted or over the time limit."""
    if solution.folder == PARTIAL:
        return (
            result.verdict not in (Verdict.AC, Verdict.CE, Verdict.IE)
            and 0 < result.score < result.max_score
        )
    if solution.folder == SLOW:
        return (result.verdict is Verdict.AC and result.score >= result.max_score) or (
            result.verdict is Verdict.TLE
        )
    if solution.expected is Verdict.AC:
        return result.verdict is Verdict.AC and result.score >= result.max_score
    return result.verdict is solution.expected
