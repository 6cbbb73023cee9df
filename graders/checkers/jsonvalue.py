"""`json`: compares the JSON value a `function` harness returned with the answer.

Structure must match exactly (lists by position, objects by key, `true` is not `1`);
numbers compare with `abs_tol`/`rel_tol` (default 1e-9) unless both are integers.
The first difference is reported by its path (`[2]["area"]`); its values are quoted
only for visible tests.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from graders.checkers.base import CheckContext, CheckResult, shorten
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


class JsonChecker:
    name = "json"

    def check(self, ctx: CheckContext) -> CheckResult:
        try:
            expected = json.loads(ctx.answer)
        except ValueError as exc:
            return CheckResult(Verdict.IE, f"the answer file is not JSON: {exc}")
        try:
            got = json.loads(ctx.output)
        except ValueError:
            return CheckResult(Verdict.WA, "the returned value could not be read back as JSON")
        abs_tol = float(ctx.options.get("abs_tol", 1e-9))
        rel_tol = float(ctx.options.get("rel_tol", 1e-9))
        diff = _compare(expected, got, "", abs_tol, rel_tol)
        if diff is None:
            return CheckResult(Verdict.AC)
        where = diff.path or "the returned value"
        message = f"{where}: {diff.why}" if diff.path else f"{diff.why}"
        if ctx.visible:
            want = shorten(json.dumps(diff.expected))
            have = shorten(json.dumps(diff.got))
            message += f" (expected {want}, got {have})"
        return CheckResult(Verdict.WA, message, {"path": diff.path})


def _compare(expected: Any, got: Any, path: str, abs_tol: float, rel_tol: float) -> _Diff | None:
    kind_e, kind_g = _kind(expected), _kind(got)
    if kind_e != kind_g:
        return _Diff(path, expected, got, f"expected a {kind_e}, got a {kind_g}")
    if kind_e == "number":
        if isinstance(expected, int) and isinstance(got, int):
            same = expected == got
        else:
            same = close(float(got), float(expected), abs_tol, rel_tol) or (
                math.isnan(float(got)) and math.isnan(float(expected))
            )
        return None if same else _Diff(path, expected, got, "wrong value")
    if kind_e == "list":
        if len(expected) != len(got):
            return _Diff(path, expected, got, f"expected {len(expected)} items, got {len(got)}")
        for index, (e, g) in enumerate(zip(expected, got, strict=True)):
            diff = _compare(e, g, f"{path}[{index}]", abs_tol, rel_tol)
            if diff is not None:
                return diff
        return None
    if kind_e == "object":
        if set(expected) != set(got):
            missing = sorted(set(expected) - set(got))
            extra = sorted(set(got) - set(expected))
            return _Diff(
                path, expected, got, f"keys differ (missing {missing}, unexpected {extra})"
            )
        for key in expected:
            diff = _compare(expected[key], got[key], f"{path}[{json.dumps(key)}]", abs_tol, rel_tol)
            if diff is not None:
                return diff
        return None
    return None if expected == got else _Diff(path, expected, got, "wrong value")


register_checker(JsonChecker())
