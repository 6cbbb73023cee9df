"""Targeted hints: recognise a known mistake by its output, on the judge side.

A package attaches a hint to a known-wrong solution (`hints.solutions` in
`problem.yaml`, keyed by its path under `submissions/`) and to groups
(`hints.groups`). When a submission fails a test, the judge compares the
submission's output on that test with the output each hinted wrong solution gave on
the same test, using the problem's own checker and tolerances (the wrong output takes
the place of the answer): a match shows that solution's hint. Otherwise the failing
group's hint, if any, is shown. The learner sees only the author's hint text, never
an output, so nothing of a hidden test leaks.

Cost is bounded: only hinted solutions run, only on a test some submission failed
with WA, once per package version and test (cached under
`<cache_dir>/hints/<content hash>/<solution>/<test>.out|.none`): a `min` group stops
at its first failure, so a graded submission costs at most one run per hinted
solution per group, the first time. Only outputs on tests the wrong solution itself
fails are kept (a wrong solution that passes a test teaches nothing there). Outputs are matched
only for builtin checkers: a custom checker would cost a sandbox run per comparison
and may not accept a wrong output as its judge answer.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from graders.checkers.base import CheckContext, Checker
from graders.checkers.tensor import MIN_OUTPUT_LIMIT, MalformedOutput, load_npz
from graders.errors import GraderError, ProblemFormatError
from graders.harness import protocol as wire
from graders.package.files import read_file, scan
from graders.package.types import Package, TestCase
from graders.results import TestResult
from graders.settings import cache_root
from graders.submissions import Solution, list_solutions
from graders.verdict import Verdict
from sandbox import RunStatus, Sandbox, SandboxError

log = logging.getLogger(__name__)

UNMATCHED_CHECKERS = frozenset({"custom"})


@dataclass(frozen=True)
class Hint:
    """A hint that fired: its text and where it comes from."""

    text: str
    source: str  # "wrong_answer/unbiased_variance.py" or "group:large"


def hint_problems(package: Package) -> list[tuple[str, str]]:
    """(field, reason) for every hint key naming nothing in the package."""
    problems: list[tuple[str, str]] = []
    solutions = {s.path.removeprefix("submissions/"): s for s in list_solutions(scan(package.root))}
    for key in package.spec.hints.solutions:
        solution = solutions.get(key)
        if solution is None:
            problems.append((f"hints.solutions.{key}", "no such file under submissions/"))
        elif solution.expected in (Verdict.AC, Verdict.CE):
            problems.append(
                (f"hints.solutions.{key}", "hints belong to known-wrong solutions that run")
            )
    groups = {group.name for group in package.spec.groups}
    for name in package.spec.hints.groups:
        if name not in groups:
            problems.append((f"hints.groups.{name}", "no such group in `groups`"))
    return problems


class HintBook:
    """The hinted wrong solutions' outputs of one package version, loaded on first use."""

    def __init__(
        self,
        package: Package,
        sandbox: Sandbox,
        *,
        checker: Checker,
        options: dict[str, Any],
        cache_dir: Path | None = None,
    ) -> None:
        self.package = package
        self.sandbox = sandbox
        self.checker = checker
        self.options = options
        self.folder = cache_root(cache_dir) / "hints" / package.content_hash
        self._solutions: dict[str, Solution] | None = None

    @classmethod
    def for_package(
        cls, package: Package, sandbox: Sandbox, *, cache_dir: Path | None = None
    ) -> HintBook | None:
        """A book for a package with hints; None (no cost at all) for one without."""
        hints = package.spec.hints
        if not hints.solutions and not hints.groups:
            return None
        from graders.grade import checker_for

        checker, options = checker_for(package)
        return cls(package, sandbox, checker=checker, options=options, cache_dir=cache_dir)

    def attach(self, result: TestResult, test: TestCase, output: bytes | None) -> None:
        """Set `result.hint` for a failed test; a failure here never fails grading."""
        try:
            hint = self.hint_for(test, result.verdict, output)
        except Exception:  # noqa: BLE001 - hints are advice; grading goes on without
            log.exception("%s: hint lookup failed on %s", self.package.slug, test.name)
            return
        if hint is not None:
            result.hint = hint.text
            result.feedback["hint_source"] = hint.source

    @property
    def matches_outputs(self) -> bool:
        return bool(self.package.spec.hints.solutions) and (
            self.checker.name not in UNMATCHED_CHECKERS
        )

    def hint_for(self, test: TestCase, verdict: Verdict, output: bytes | None) -> Hint | None:
        """The hint for a failed test: a matching known-wrong solution's, else the group's.
        `output` is None where there is no single output to compare (interactive runs)."""
        if verdict in (Verdict.AC, Verdict.IE):
            return None
        if verdict is Verdict.WA and output is not None and self.matches_outputs:
            runnable = self._runnable()
            for key, text in self.package.spec.hints.solutions.items():
                if key not in runnable:
                    continue  # names no solution file (validation reports it)
                theirs = self._their_output(key, test)
                if theirs is not None and self._same(test, theirs, output):
                    return Hint(text, key)
        group_hint = self.package.spec.hints.groups.get(test.group)
        return Hint(group_hint, f"group:{test.group}") if group_hint else None

    def _runnable(self) -> dict[str, Solution]:
        """Hint keys that name a solution file of the package (safe as cache folder names:
        the loader restricts file names)."""
        if self._solutions is None:
            found = list_solutions(scan(self.package.root))
            self._solutions = {
                s.path.removeprefix("submissions/"): s for s in found if s.language is not None
            }
        return self._solutions

    def _same(self, test: TestCase, theirs: bytes, output: bytes) -> bool:
        if theirs == output:
            return True
        if self.checker.name == "tensor":
            same_error = _same_error_record(theirs, output)
            if same_error is not None:
                return same_error
        # NaN/Inf where the wrong solution has them is the same mistake (an overflow).
        ctx = CheckContext(
            input=test.input,
            answer=theirs,
            output=output,
            visible=False,
            options={**self.options, "nan_policy": "equal"},
            package=self.package,
            sandbox=self.sandbox,
        )
        try:
            return self.checker.check(ctx).verdict is Verdict.AC
        except Exception:  # noqa: BLE001 - a failed comparison only means no hint
            return False

    # -- the cache ------------------------------------------------------------------

    def _their_output(self, key: str, test: TestCase) -> bytes | None:
        """Solution `key`'s output on `test` if it fails that test with WA, else None.

        Computed on first need and cached per (solution, test): a failing submission
        costs one run per hinted solution on the test it failed, once per version."""
        base = self.folder / key.replace("/", "__") / test.name
        failed, passed = base.with_suffix(".out"), base.with_suffix(".none")
        if failed.is_file():
            return failed.read_bytes()
        if passed.is_file():
            return None
        try:
            output = self._run(key, test)
        except SandboxError as exc:  # not cached: the next grading tries again
            log.warning("%s: hinted solution %s did not run: %s", self.package.slug, key, exc)
            return None
        _write_atomically(failed if output is not None else passed, output or b"")
        return output

    def _run(self, key: str, test: TestCase) -> bytes | None:
        from graders.runner import Program, resolve_language

        path = f"submissions/{key}"
        solution = self._runnable().get(key)
        if solution is None or solution.language is None:
            return None
        try:
            source = read_file(self.package.root, path).decode("utf-8")
            language = resolve_language(self.package, solution.language)
            with Program(self.package, source, language, self.sandbox) as program:
                if not program.compile().ok:
                    return None
                result = program.run(test.input)
        except (GraderError, ProblemFormatError, UnicodeDecodeError) as exc:
            log.warning("%s: could not run hinted solution %s: %s", self.package.slug, key, exc)
            return None
        if result.status is not RunStatus.OK or result.exit_code != 0:
            return None
        ctx = CheckContext(
            input=test.input,
            answer=test.answer,
            output=result.stdout,
            visible=False,
            options=self.options,
            package=self.package,
            sandbox=self.sandbox,
        )
        return result.stdout if self.checker.check(ctx).verdict is Verdict.WA else None


def _same_error_record(theirs: bytes, output: bytes) -> bool | None:
    """For tensor outputs that are the harness's `__error__` records (a value of the wrong
    form, e.g. a missing gradient): the same error code is the same mistake. None when
    the wrong solution's output is not such a record (compare values instead)."""
    try:
        wrong = load_npz(theirs, limit=MIN_OUTPUT_LIMIT)
    except MalformedOutput:
        return None
    if wire.TENSOR_ERROR_KEY not in wrong:
        return None
    try:
        got = load_npz(output, limit=MIN_OUTPUT_LIMIT)
    except MalformedOutput:
        return False
    if wire.TENSOR_ERROR_KEY not in got:
        return False
    return bool(np.array_equal(wrong[wire.TENSOR_ERROR_KEY], got[wire.TENSOR_ERROR_KEY]))


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers never see half a file: write a temp file beside it, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".staging-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
