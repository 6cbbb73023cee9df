"""Kattis statements: LaTeX converted to Markdown with `$...$` math."""

from __future__ import annotations

import re

_SIMPLE = [
    (re.compile(r"\\problemname\{([^}]*)\}"), r"# \1"),
    (re.compile(r"\\section\*?\{([^}]*)\}"), r"## \1"),
    (re.compile(r"\\subsection\*?\{([^}]*)\}"), r"### \1"),
    (re.compile(r"\\textbf\{([^}]*)\}"), r"**\1**"),
    (re.compile(r"\\(?:emph|textit)\{([^}]*)\}"), r"*\1*"),
    (re.compile(r"\\texttt\{([^}]*)\}"), r"`\1`"),
    (re.compile(r"\\url\{([^}]*)\}"), r"<\1>"),
    (re.compile(r"\\href\{([^}]*)\}\{([^}]*)\}"), r"[\2](\1)"),
    (re.compile(r"\\illustration\{[^}]*\}\{[^}]*\}\{[^}]*\}"), ""),
    (
        re.compile(
            r"\\begin\{(?:itemize|enumerate|center)\}|\\end\{(?:itemize|enumerate|center)\}"
        ),
        "",
    ),
    (re.compile(r"^\s*\\item\s*", re.MULTILINE), "- "),
    (re.compile(r"\\\[(.*?)\\\]", re.DOTALL), r"$$\1$$"),
    (re.compile(r"\\\((.*?)\\\)", re.DOTALL), r"$\1$"),
    (re.compile(r"``|''"), '"'),
    (re.compile(r"(?<!\\)~"), " "),
    (re.compile(r"\\\\\s*"), "\n"),
    (re.compile(r"\\%"), "%"),
]
_COMMENT = re.compile(r"(?<!\\)%.*$", re.MULTILINE)
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.DOTALL)


def latex_to_markdown(tex: str) -> tuple[str, str | None, list[str]]:
    """The Markdown text, the \\problemname title if any, and unconverted commands."""
    title_match = re.search(r"\\problemname\{([^}]*)\}", tex)
    text = _COMMENT.sub("", tex)
    for pattern, replacement in _SIMPLE:
        text = pattern.sub(replacement, text)
    prose = _MATH.sub("", text)
    leftovers = sorted({f"\\{name}" for name in _COMMAND.findall(prose)})
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text, title_match.group(1) if title_match else None, leftovers
