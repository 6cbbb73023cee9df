"""Importing a problem in the ICPC/Kattis problem package format.

Reference: https://www.kattis.com/problem-package-format/ (legacy and 2023-07).
What maps over:

    problem.yaml            name (string or {en: ...}), source, license, keywords -> tags,
                            limits.time_limit (2023) or .timelimit, limits.memory (MiB),
                            limits.output (MiB), validation, validator_flags
    data/sample/*.in|.ans   -> data/sample, group "sample"
    data/secret/*.in|.ans   -> group "secret"; data/secret/<sub>/ -> one group per folder
    submissions/<v>/<file>  -> the same (single-file .py / .cpp solutions)
    output_validators/<x>/  -> checker.py (a single Python validator; same convention)
    problem_statement/problem.en.md (or problem.md) copied; problem.en.tex converted

Default validation maps to the `tokens` checker (case-insensitive unless
`case_sensitive`), float flags to `float`, `space_change_sensitive` to `exact`.
What cannot be represented (interactive problems, non-Python validators) fails
with a `KattisImportError`; what is dropped (images, multi-file solutions) is
listed as a warning.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from graders.errors import ProblemFormatError
from graders.package.files import read_file, scan
from graders.submissions import EXPECTED, EXTENSIONS


class KattisImportError(ProblemFormatError):
    """The Kattis package uses something Gradebox cannot represent."""


@dataclass
class ImportReport:
    slug: str
    groups: list[str] = field(default_factory=list)
    tests: int = 0
    warnings: list[str] = field(default_factory=list)


def import_kattis(source: Path, out: Path) -> ImportReport:
    """Write a Gradebox package converted from `source` into the new folder `out`."""
    if not source.is_dir():
        raise KattisImportError("no such folder", file=str(source))
    if out.exists() and any(out.iterdir()):
        raise KattisImportError("the output folder exists and is not empty", file=str(out))
    files = scan(source, allow=frozenset({".timelimit"}))
    meta = _read_yaml(source, files)
    report = ImportReport(slug=out.name)
    staged: dict[str, bytes] = {}
    groups = _tests(source, files, staged, report)
    checker = _checker(source, files, meta, staged)
    languages = _solutions(source, files, staged, report)
    statement, name = _statement(source, files, meta, report)
    staged["statement.md"] = statement.encode()
    spec: dict[str, Any] = {
        "name": name,
        "type": "stdio",
        "tags": [str(tag) for tag in _keywords(meta)],
        "languages": languages,
        "limits": _limits(source, files, meta, report),
        "checker": checker,
        "groups": groups,
        "source": _attribution(meta),
    }
    staged["problem.yaml"] = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True).encode()
    out.mkdir(parents=True, exist_ok=True)
    try:
        for rel, data in staged.items():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return report


def _read_yaml(source: Path, files: list[str]) -> dict[str, Any]:
    if "problem.yaml" not in files:
        raise KattisImportError("missing", file="problem.yaml")
    try:
        meta = yaml.safe_load(read_file(source, "problem.yaml")) or {}
    except yaml.YAMLError as exc:
        raise KattisImportError(f"YAML syntax error: {exc}", file="problem.yaml") from None
    if not isinstance(meta, dict):
        raise KattisImportError("must be a mapping", file="problem.yaml")
    validation = str(meta.get("validation", "default"))
    if "interactive" in validation or "interactive" in str(meta.get("type", "")):
        raise KattisImportError(
            "interactive problems are not supported", file="problem.yaml", field="validation"
        )
    return meta


def _tests(
    source: Path, files: list[str], staged: dict[str, bytes], report: ImportReport
) -> list[dict[str, Any]]:
    folders: dict[str, list[str]] = {}
    for rel in files:
        parts = PurePosixPath(rel).parts
        if parts[0] != "data" or not rel.endswith(".in"):
            continue
        if len(parts) == 3 and parts[1] == "sample":
            group = "sample"
        elif len(parts) == 3 and parts[1] == "secret":
            group = "secret"
        elif len(parts) == 4 and parts[1] == "secret":
            group = parts[2]
        else:
            raise KattisImportError("test data nested deeper than data/secret/<group>/", file=rel)
        answer = rel.removesuffix(".in") + ".ans"
        if answer not in files:
            raise KattisImportError("test input without a .ans", file=rel)
        folders.setdefault(group, []).extend([rel, answer])
    if "secret" in folders and any(name not in ("sample", "secret") for name in folders):
        raise KattisImportError("data/secret mixes test files and test groups", file="data/secret")
    secret = [name for name in folders if name != "sample"]
    if not secret:
        raise KattisImportError("no secret tests", file="data/secret")
    groups: list[dict[str, Any]] = []
    if "sample" in folders:
        groups.append({"name": "sample", "points": 0})
    share = round(100 / len(secret), 6)
    for name in sorted(secret):
        groups.append({"name": name, "points": share, "mode": "min"})
    for group, rels in folders.items():
        for rel in rels:
            stem = PurePosixPath(rel).name
            target = "data/sample" if group == "sample" else f"data/secret/{group}"
            staged[f"{target}/{stem}"] = read_file(source, rel)
        report.tests += len(rels) // 2
    report.groups = [group["name"] for group in groups]
    return groups


def _checker(
    source: Path, files: list[str], meta: dict[str, Any], staged: dict[str, bytes]
) -> dict[str, Any]:
    validation = str(meta.get("validation", "default"))
    if validation.startswith("custom"):
        validators = [rel for rel in files if rel.startswith("output_validators/")]
        python = [rel for rel in validators if rel.endswith(".py")]
        if len(python) != 1 or len(validators) != len(python):
            raise KattisImportError(
                "only a single-file Python output validator can be imported",
                file="output_validators",
            )
        staged["checker.py"] = read_file(source, python[0])
        return {"name": "custom"}
    flags = str(meta.get("validator_flags", "")).split()
    options: dict[str, Any] = {}
    name = "tokens"
    for index, flag in enumerate(flags):
        value = flags[index + 1] if index + 1 < len(flags) else ""
        if flag in ("float_tolerance", "float_absolute_tolerance", "float_relative_tolerance"):
            name = "float"
            tolerance = float(value)
            if flag != "float_relative_tolerance":
                options["abs_tol"] = tolerance
            if flag != "float_absolute_tolerance":
                options["rel_tol"] = tolerance
    if name == "tokens":
        if "space_change_sensitive" in flags:
            name = "exact"
        else:
            options["case_sensitive"] = "case_sensitive" in flags
    return {"name": name, "options": options} if options else {"name": name}


def _solutions(
    source: Path, files: list[str], staged: dict[str, bytes], report: ImportReport
) -> list[str]:
    languages: set[str] = set()
    for rel in files:
        parts = PurePosixPath(rel).parts
        if parts[0] != "submissions":
            continue
        suffix = PurePosixPath(rel).suffix
        if len(parts) != 3 or parts[1] not in EXPECTED or suffix not in EXTENSIONS:
            report.warnings.append(f"{rel}: not a single-file Python or C++ solution; skipped")
            continue
        staged[rel] = read_file(source, rel)
        languages.add(EXTENSIONS[suffix])
    return sorted(languages) or ["python", "cpp"]


def _statement(
    source: Path, files: list[str], meta: dict[str, Any], report: ImportReport
) -> tuple[str, str]:
    name = meta.get("name")
    if isinstance(name, dict):
        name = name.get("en") or next(iter(name.values()), None)
    for candidate in ("problem.en.md", "problem.md"):
        rel = f"problem_statement/{candidate}"
        if rel in files:
            text = read_file(source, rel).decode("utf-8")
            break
    else:
        for candidate in ("problem.en.tex", "problem.tex"):
            rel = f"problem_statement/{candidate}"
            if rel in files:
                text, title, leftovers = latex_to_markdown(read_file(source, rel).decode("utf-8"))
                name = name or title
                if leftovers:
                    report.warnings.append(
                        f"{rel}: LaTeX commands kept as they are: {', '.join(leftovers)}"
                    )
                break
        else:
            raise KattisImportError("no problem.en.md or problem.en.tex", file="problem_statement")
    for rel in files:
        if rel.startswith("problem_statement/") and not rel.endswith((".md", ".tex")):
            report.warnings.append(f"{rel}: statement attachments are not imported")
    title = str(name or source.name)
    if not text.lstrip().startswith("#"):
        text = f"# {title}\n\n{text}"
    return text, title


def _keywords(meta: dict[str, Any]) -> list[str]:
    raw = meta.get("keywords", [])
    return raw.split() if isinstance(raw, str) else list(raw)


def _attribution(meta: dict[str, Any]) -> str:
    parts = [
        str(meta[key]) for key in ("source", "author", "license", "rights_owner") if meta.get(key)
    ]
    return " · ".join(parts)


def _limits(
    source: Path, files: list[str], meta: dict[str, Any], report: ImportReport
) -> dict[str, Any]:
    limits = meta.get("limits") or {}
    time_s: float | None = limits.get("time_limit")
    if time_s is None and ".timelimit" in files:
        time_s = float(read_file(source, ".timelimit").decode().strip())
    if time_s is None:
        time_s = 2.0
        report.warnings.append(
            "no time limit in the package (limits.time_limit or .timelimit); using 2 s"
        )
    result: dict[str, Any] = {"time_s": float(time_s)}
    if "memory" in limits:
        result["memory_mb"] = min(int(limits["memory"]), 8192)
    if "output" in limits:
        result["output_kb"] = min(int(limits["output"]) * 1024, 262144)
    return result


# --- LaTeX statements -------------------------------------------------------------

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
