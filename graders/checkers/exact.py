"""`exact`: the output must equal the answer, up to line endings (CRLF vs LF) and
trailing whitespace at the end of lines and of the file."""

from __future__ import annotations

from graders.checkers.base import CheckContext, CheckerOptions, CheckResult, shorten
from graders.checkers.registry import register_checker
from graders.verdict import Verdict


def _lines(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    return [line.rstrip() for line in text.rstrip().split("\n")] if text.strip() else []


class ExactChecker:
    name = "exact"
    Options = CheckerOptions  # none

    def check(self, ctx: CheckContext) -> CheckResult:
        got, want = _lines(ctx.output), _lines(ctx.answer)
        if got == want:
            return CheckResult(Verdict.AC)
        for index, (g, w) in enumerate(zip(got, want, strict=False)):
            if g != w:
                line = index + 1
                message = f"line {line} differs"
                if ctx.visible:
                    message += f": expected {shorten(w)!r}, got {shorten(g)!r}"
                return CheckResult(Verdict.WA, message, {"first_diff_line": line})
        message = f"expected {len(want)} lines, got {len(got)}"
        return CheckResult(
            Verdict.WA, message, {"expected_lines": len(want), "got_lines": len(got)}
        )


register_checker(ExactChecker())
