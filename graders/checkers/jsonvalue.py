"""`json`: compares the JSON value a `function` harness returned with the answer.

Structure must match exactly (lists by position, objects by key, `true` is not `1`);
numbers compare with `abs_tol`/`rel_tol` (default 1e-9) unless both are integers.
The first difference is reported by its path (`[2]["area"]`); its values (and the
returned object's key names) are quoted only for visible tests.

The returned text is learner data: whatever it holds (nesting deeper than the
parser's recursion limit, numbers too large for a float, NaN/Infinity, invalid
UTF-8) is a wrong answer with a fixed sentence, never an exception.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from graders.checkers.base import CheckContext, CheckerOptions, CheckResult, shorten
from graders.checkers.floats import close
from graders.checkers.registry import register_checker
from graders.verdict import Verdict


@dataclass(frozen=True)
class _Diff:
    path: str
    expected: Any
    got: Any
    why: str


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "object"


class JsonOptions(CheckerOptions):
    abs_tol: float = Field(default=1e-9, ge=0)
    rel_tol: float = Field(default=1e-9, ge=0)


class JsonChecker:
    name = "json"
    Options = JsonOptions

    def check(self, ctx: CheckContext) -> CheckResult:
        try:
            expected = json.loads(ctx.answer)
        except ValueError as exc:
            return CheckResult(Verdict.IE, f"the answer file is not JSON: {exc}")
        try:
            got = json.loads(ctx.output)
        except (ValueError, RecursionError):
            return CheckResult(Verdict.WA, "the returned value could not be read back as JSON")
        options = self.Options.model_validate(ctx.options)
        abs_tol, rel_tol = options.abs_tol, options.rel_tol
        diff = _compare(expected, got, "", abs_tol, rel_tol, ctx.visible)
        if diff is None:
            return CheckResult(Verdict.AC)
        where = diff.path or "the returned value"
        message = f"{where}: {diff.why}" if diff.path else f"{diff.why}"
        if ctx.visible:
            message += f" (expected {_quote(diff.expected)}, got {_quote(diff.got)})"
        return CheckResult(Verdict.WA, message, {"path": diff.path})


def _quote(value: Any) -> str:
    """A value for a visible test's message; one too deep to print is summarised."""
    try:
        return shorten(json.dumps(value))
    except (ValueError, RecursionError):
        return f"a {_kind(value)} too deeply nested to show"


def _number(value: int | float) -> float:
    """A float for comparison; an int beyond float range becomes a signed infinity."""
    try:
        return float(value)
    except OverflowError:
        return math.copysign(math.inf, value)


def _compare(
    expected: Any, got: Any, path: str, abs_tol: float, rel_tol: float, visible: bool
) -> _Diff | None:
    kind_e, kind_g = _kind(expected), _kind(got)
    if kind_e != kind_g:
        return _Diff(path, expected, got, f"expected a {kind_e}, got a {kind_g}")
    if kind_e == "number":
        if isinstance(expected, int) and isinstance(got, int):
            same = expected == got
        else:
            g, e = _number(got), _number(expected)
            same = close(g, e, abs_tol, rel_tol) or (math.isnan(g) and math.isnan(e))
        return None if same else _Diff(path, expected, got, "wrong value")
    if kind_e == "list":
        if len(expected) != len(got):
            return _Diff(path, expected, got, f"expected {len(expected)} items, got {len(got)}")
        for index, (e, g) in enumerate(zip(expected, got, strict=True)):
            diff = _compare(e, g, f"{path}[{index}]", abs_tol, rel_tol, visible)
            if diff is not None:
                return diff
        return None
    if kind_e == "object":
        if set(expected) != set(got):
            missing = sorted(set(expected) - set(got))
            extra = sorted(set(got) - set(expected))
            if not visible:  # key names are data: the learner's could carry the input out
                why = f"keys differ ({len(missing)} missing, {len(extra)} unexpected)"
                return _Diff(path, expected, got, why)
            why = f"keys differ (missing {shorten(str(missing))}, unexpected {shorten(str(extra))})"
            return _Diff(path, expected, got, why)
        for key in expected:
            where = f"{path}[{json.dumps(key)}]"
            diff = _compare(expected[key], got[key], where, abs_tol, rel_tol, visible)
            if diff is not None:
                return diff
        return None
    return None if expected == got else _Diff(path, expected, got, "wrong value")


register_checker(JsonChecker())
