"""`tokens`: whitespace-insensitive comparison of whitespace-separated tokens.

Options: `case_sensitive` (default true; Kattis' default validator is false).
"""

from __future__ import annotations

from graders.checkers.base import CheckContext, CheckerOptions, CheckResult, shorten
from graders.checkers.registry import register_checker
from graders.verdict import Verdict


def split_tokens(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").split()


def token_mismatch(index: int, want: str, got: str, *, visible: bool) -> CheckResult:
    """The first differing token; its values are quoted only on visible tests."""
    message = f"token {index + 1} differs"
    if visible:
        message += f": expected {shorten(want)!r}, got {shorten(got)!r}"
    return CheckResult(Verdict.WA, message, {"first_diff_token": index + 1})


def count_mismatch(got: list[str], want: list[str]) -> CheckResult:
    return CheckResult(
        Verdict.WA,
        f"expected {len(want)} tokens, got {len(got)}",
        {"expected_tokens": len(want), "got_tokens": len(got)},
    )


class TokensOptions(CheckerOptions):
    case_sensitive: bool = True


class TokensChecker:
    name = "tokens"
    Options = TokensOptions

    def check(self, ctx: CheckContext) -> CheckResult:
        case_sensitive = self.Options.model_validate(ctx.options).case_sensitive
        if case_sensitive and (
            ctx.output == ctx.answer or ctx.output.split() == ctx.answer.split()
        ):
            # The accepted case in C, without decoding: a 600 KB answer took 15 ms a
            # test in the loop below, which is there to find a mismatch. Equal tokens
            # between ASCII whitespace mean equal tokens after decoding too (no UTF-8
            # sequence spans an ASCII byte, and each token splits the same way).
            return CheckResult(Verdict.AC)
        got, want = split_tokens(ctx.output), split_tokens(ctx.answer)
        for index, (g, w) in enumerate(zip(got, want, strict=False)):
            same = g == w if case_sensitive else g.casefold() == w.casefold()
            if not same:
                return token_mismatch(index, w, g, visible=ctx.visible)
        if len(got) != len(want):
            return count_mismatch(got, want)
        return CheckResult(Verdict.AC)


register_checker(TokensChecker())
