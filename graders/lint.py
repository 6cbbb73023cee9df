"""Statement checks: the Markdown a learner reads must render (KaTeX delimiters
balanced) and say something."""

from __future__ import annotations

import re

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")


def lint_statement(text: str) -> list[str]:
    """Problems found, as sentences (empty when the statement is fine)."""
    problems: list[str] = []
    if not text.strip():
        return ["the statement is empty"]
    if text.count("```") % 2:
        problems.append("a ``` code fence is not closed")
    prose = _INLINE_CODE.sub("", _FENCE.sub("", text)).replace("\\$", "")
    for number, line in enumerate(prose.splitlines(), start=1):
        if line.count("$") % 2 and "$$" not in line:
            problems.append(
                f"line {number}: unbalanced $ (inline math must open and close on one line)"
            )
    if prose.count("$$") % 2:
        problems.append("unbalanced $$ (a display math block is not closed)")
    if prose.count("\\begin{") != prose.count("\\end{"):
        problems.append("\\begin{...} and \\end{...} do not pair up")
    return problems
