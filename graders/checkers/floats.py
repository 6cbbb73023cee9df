"""`float`: tokens compared as numbers where the answer's token is a number.

A number is accepted when its absolute error is at most `abs_tol` or its relative
error at most `rel_tol` (both default 1e-6), the rule of Kattis' default validator.
Non-numeric tokens must match exactly. NaN never equals anything.
"""

from __future__ import annotations

import math

from pydantic import Field

from graders.checkers.base import CheckContext, CheckerOptions, CheckResult
from graders.checkers.registry import register_checker
from graders.checkers.tokens import count_mismatch, split_tokens, token_mismatch
from graders.verdict import Verdict


def _number(token: str) -> float | None:
    try:
        return float(token)
    except ValueError:
        return None


def close(got: float, want: float, abs_tol: float, rel_tol: float) -> bool:
    if math.isnan(got) or math.isnan(want):
        return False
    if math.isinf(got) or math.isinf(want):
        return got == want
    err = abs(got - want)
    return err <= abs_tol or err <= rel_tol * abs(want)


class FloatOptions(CheckerOptions):
    abs_tol: float = Field(default=1e-6, ge=0)
    rel_tol: float = Field(default=1e-6, ge=0)


class FloatChecker:
    name = "float"
    Options = FloatOptions

    def check(self, ctx: CheckContext) -> CheckResult:
        options = self.Options.model_validate(ctx.options)
        abs_tol, rel_tol = options.abs_tol, options.rel_tol
        got, want = split_tokens(ctx.output), split_tokens(ctx.answer)
        max_abs = max_rel = 0.0
        for index, (g, w) in enumerate(zip(got, want, strict=False)):
            expected = _number(w)
            actual = _number(g) if expected is not None else None
            if expected is None:
                ok = g == w
            elif actual is None:
                ok = False
            else:
                ok = close(actual, expected, abs_tol, rel_tol)
                if math.isfinite(actual) and math.isfinite(expected):
                    max_abs = max(max_abs, abs(actual - expected))
                    max_rel = max(max_rel, abs(actual - expected) / max(abs(expected), 1e-300))
            if not ok:
                return token_mismatch(index, w, g, visible=ctx.visible)
        if len(got) != len(want):
            return count_mismatch(got, want)
        return CheckResult(Verdict.AC, feedback={"max_abs_err": max_abs, "max_rel_err": max_rel})


register_checker(FloatChecker())
