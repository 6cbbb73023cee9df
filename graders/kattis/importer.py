"""Importing a problem in the ICPC/Kattis problem package format.

Reference: https://www.kattis.com/problem-package-format/ (legacy and 2023-07).
What maps over:

    problem.yaml            name (string or {lang: ...}), source, license, keywords -> tags,
                            limits.time_limit (2023) or .timelimit, limits.memory (MiB),
                            limits.output (MiB), validation / type (interactive, scoring),
                            validator_flags
    data/sample/*.in|.ans   -> data/sample, group "sample"; *.interaction -> the statement
    data/secret/*.in|.ans   -> group "secret"; data/secret/<sub>/ -> one group per folder
    testdata.yaml           -> group points and modes (graders.kattis.testdata)
    submissions/<v>/<file>  -> the same, for single-file Python 3, C and C++ solutions
    output_validators/<x>/  -> output_validator/ (Python or C/C++, validate.h works),
    output_validator/          or interactor/ for interactive problems
    input_validators/, input_format_validators/ -> input_validators/<name>/
    problem_statement/ or statement/: problem.<lang>.md|tex -> statement.md (English or
                            the first) and statement.<lang>.md for the others

Kattis judgement semantics are kept (`judgements: kattis`: memory overrun is a
run-time error). Symbolic links inside the package become plain files
(graders.kattis.tree). What cannot be represented fails with a `KattisImportError`
that lists every such problem (each step reports to one `graders.diagnostics.Diagnostics`
and the next step runs anyway); what is dropped (other languages, Python 2,
checktestdata, images) is a warning.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from graders.checkers.program import C_SOURCES, CPP_SOURCES, HEADERS
from graders.diagnostics import Diagnostics
from graders.kattis.errors import KattisImportError
from graders.kattis.statement import latex_to_markdown
from graders.kattis.testdata import group_spec, settings
from graders.kattis.tree import KattisTree
from graders.package.model import STATEMENT_LANGUAGE_PATTERN
from graders.submissions import EXPECTED, EXTENSIONS

# Kattis' legacy default is 5 x the slowest accepted solution; without running one, a
# limit that fits typical examples (problemtools' hello busy-waits for one second).
DEFAULT_TIME_S = 5.0
STATEMENT_DIRS = ("statement", "problem_statement")
VALIDATOR_SOURCES = (".py", *C_SOURCES, *CPP_SOURCES, *HEADERS)


@dataclass
class ImportReport:
    slug: str
    groups: list[str] = field(default_factory=list)
    tests: int = 0
    warnings: list[str] = field(default_factory=list)
    interactive: bool = False


def import_kattis(source: Path, out: Path, *, time_limit: float | None = None) -> ImportReport:
    """Write a Gradebox package converted from `source` into the new folder `out`."""
    if not source.is_dir():
        raise KattisImportError("no such folder", file=str(source))
    if out.exists() and any(out.iterdir()):
        raise KattisImportError("the output folder exists and is not empty", file=str(out))
    tree = KattisTree(source)
    meta = _read_yaml(tree)
    found = Diagnostics()
    kinds: set[str] = found.attempt(lambda: _problem_kinds(meta), set())
    report = ImportReport(slug=out.name, interactive="interactive" in kinds)
    staged: dict[str, bytes] = {}
    groups = _tests(tree, staged, report, found, scoring="scoring" in kinds)
    checker: dict[str, Any] = found.attempt(
        lambda: _checker(tree, meta, staged, interactive=report.interactive), {}
    )
    found.attempt(lambda: _input_validators(tree, staged, report), None)
    languages: list[str] = found.attempt(lambda: _solutions(tree, staged, report), [])
    statement, name, statement_language = found.attempt(
        lambda: _statements(tree, meta, staged, report), ("", "", "en")
    )
    limits: dict[str, Any] = found.attempt(lambda: _limits(tree, meta, report, time_limit), {})
    found.raise_errors(KattisImportError)
    staged["statement.md"] = statement.encode()
    spec: dict[str, Any] = {
        "name": name,
        "type": "interactive" if report.interactive else "stdio",
        "tags": [str(tag) for tag in _keywords(meta)],
        "languages": languages,
        "limits": limits,
        "checker": checker,
        "groups": groups,
        "source": _attribution(meta),
        "judgements": "kattis",
    }
    if statement_language != "en":
        spec["statement_language"] = statement_language
    if report.interactive:
        del spec["checker"]
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


def _read_yaml(tree: KattisTree) -> dict[str, Any]:
    if "problem.yaml" not in tree:
        raise KattisImportError("missing", file="problem.yaml")
    try:
        meta = yaml.safe_load(tree.read("problem.yaml")) or {}
    except yaml.YAMLError as exc:
        raise KattisImportError(f"YAML syntax error: {exc}", file="problem.yaml") from None
    if not isinstance(meta, dict):
        raise KattisImportError("must be a mapping", file="problem.yaml")
    return meta


def _problem_kinds(meta: dict[str, Any]) -> set[str]:
    """ "interactive", "scoring", "multi-pass"... from `type` (2023) or `validation`."""
    raw = meta.get("type", "pass-fail")
    kinds = set(raw if isinstance(raw, list) else str(raw).split())
    validation = str(meta.get("validation", "default")).split()
    kinds |= {"interactive"} & set(validation)
    if "score" in validation:
        kinds.add("scoring")
    for unsupported in ("multi-pass", "submit-answer"):
        if unsupported in kinds:
            raise KattisImportError(
                f"{unsupported} problems are not supported", file="problem.yaml", field="type"
            )
    return kinds


def _tests(
    tree: KattisTree,
    staged: dict[str, bytes],
    report: ImportReport,
    found: Diagnostics,
    *,
    scoring: bool,
) -> list[dict[str, Any]]:
    folders: dict[str, list[str]] = {}
    paths: dict[str, str] = {}
    for rel in tree.under("data"):
        parts = PurePosixPath(rel).parts
        if rel.endswith(".interaction") and len(parts) == 3 and parts[1] == "sample":
            continue  # shown in the statement (see _statements)
        if not rel.endswith(".in"):
            continue
        if len(parts) == 3 and parts[1] == "sample":
            group = "sample"
        elif len(parts) == 3 and parts[1] == "secret":
            group = "secret"
        elif len(parts) == 4 and parts[1] == "secret":
            group = parts[2]
        else:
            found.error("test data nested deeper than data/secret/<group>/", file=rel)
            continue
        answer = rel.removesuffix(".in") + ".ans"
        if answer not in tree:
            found.error("test input without a .ans", file=rel)
            continue
        folders.setdefault(group, []).extend([rel, answer])
        paths[group] = str(PurePosixPath(rel).parent)
    if "secret" in folders and any(name not in ("sample", "secret") for name in folders):
        found.error("data/secret mixes test files and test groups", file="data/secret")
        return []
    secret = sorted(name for name in folders if name != "sample")
    if not secret:
        found.error("no secret tests", file="data/secret")
        return []
    share = round(100 / len(secret), 6)
    groups: list[dict[str, Any]] = []
    for name in (["sample"] if "sample" in folders else []) + secret:
        with found.collecting():
            conf = settings(tree, paths[name])
            tests = len(folders[name]) // 2
            groups.append(group_spec(name, tests, conf, scoring=scoring, share=share))
    for group, rels in folders.items():
        for rel in rels:
            stem = PurePosixPath(rel).name
            target = "data/secret" if group == "secret" else f"data/secret/{group}"
            target = "data/sample" if group == "sample" else target
            staged[f"{target}/{stem}"] = tree.read(rel)
        report.tests += len(rels) // 2
    report.groups = [group["name"] for group in groups]
    return groups


def _validator_files(tree: KattisTree, folders: tuple[str, ...]) -> tuple[str, list[str]]:
    """The folder a single validator lives in and its files: `output_validator/`
    (2023) or `output_validators/<name>/` (legacy, also seen under the 2023 name)."""
    for folder in folders:
        files = tree.under(folder)
        if not files:
            continue
        subdirs = {
            PurePosixPath(rel).parts[1] for rel in files if len(PurePosixPath(rel).parts) > 2
        }
        direct = [rel for rel in files if len(PurePosixPath(rel).parts) == 2]
        if not direct and len(subdirs) == 1:
            return f"{folder}/{subdirs.pop()}", files
        if direct and not subdirs:
            return folder, files
        raise KattisImportError("more than one output validator", file=folder)
    return "", []


def _checker(
    tree: KattisTree, meta: dict[str, Any], staged: dict[str, bytes], *, interactive: bool
) -> dict[str, Any]:
    validation = str(meta.get("validation", "default"))
    flags = str(meta.get("validator_flags", "")).split()
    if validation.startswith("custom") or interactive:
        base, files = _validator_files(tree, ("output_validator", "output_validators"))
        if not files:
            raise KattisImportError(
                "custom validation without an output validator", file="output_validators"
            )
        target = "interactor" if interactive else "output_validator"
        for rel in files:
            if not rel.endswith(VALIDATOR_SOURCES):
                raise KattisImportError(
                    "only Python, C and C++ output validators can be imported", file=rel
                )
            staged[f"{target}/{rel.removeprefix(base + '/')}"] = tree.read(rel)
        options: dict[str, Any] = {"flags": flags} if flags else {}
        return {"name": "custom", "options": options} if options else {"name": "custom"}
    return default_checker(flags)


def default_checker(flags: list[str]) -> dict[str, Any]:
    """Kattis' default output validator and its flags as a built-in checker."""
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


def _input_validators(tree: KattisTree, staged: dict[str, bytes], report: ImportReport) -> None:
    """Each file directly in the folder is a validator, each subfolder one more."""
    for folder in ("input_validators", "input_format_validators"):
        for rel in tree.under(folder):
            parts = PurePosixPath(rel).parts
            if len(parts) == 2:
                if not rel.endswith(".py") and not rel.endswith(C_SOURCES + CPP_SOURCES):
                    report.warnings.append(
                        f"{rel}: only Python, C and C++ input validators run here; skipped"
                    )
                    continue
                name = PurePosixPath(rel).stem
                staged[f"input_validators/{name}/{parts[1]}"] = tree.read(rel)
            elif rel.endswith(VALIDATOR_SOURCES):
                staged[f"input_validators/{'/'.join(parts[1:])}"] = tree.read(rel)
            else:
                report.warnings.append(f"{rel}: not a Python, C or C++ source; skipped")


def _solutions(tree: KattisTree, staged: dict[str, bytes], report: ImportReport) -> list[str]:
    languages: set[str] = set()
    for rel in tree.under("submissions"):
        parts = PurePosixPath(rel).parts
        suffix = PurePosixPath(rel).suffix
        if len(parts) != 3 or parts[1] not in EXPECTED or suffix not in EXTENSIONS:
            report.warnings.append(f"{rel}: not a single-file Python, C or C++ solution; skipped")
            continue
        data = tree.read(rel)
        if EXTENSIONS[suffix] == "python" and not _python3(data):
            report.warnings.append(f"{rel}: not Python 3 (Python 2 is not supported); skipped")
            continue
        staged[rel] = data
        languages.add(EXTENSIONS[suffix])
    return sorted(languages) or ["python", "cpp"]


def _python3(source: bytes) -> bool:
    """Whether the source parses as Python 3 (compile only: nothing runs)."""
    try:
        compile(source, "<solution>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _statements(
    tree: KattisTree, meta: dict[str, Any], staged: dict[str, bytes], report: ImportReport
) -> tuple[str, str, str]:
    """statement.md (English, else the first language) plus statement.<lang>.md;
    returns (statement, title, its language)."""
    names = meta.get("name")
    found: dict[str, str] = {}
    for folder in STATEMENT_DIRS:
        for rel in tree.under(folder):
            parts = PurePosixPath(rel).name.split(".")
            if len(parts) not in (2, 3) or parts[0] != "problem" or parts[-1] not in ("md", "tex"):
                if len(PurePosixPath(rel).parts) == 2:
                    report.warnings.append(f"{rel}: statement attachments are not imported")
                continue
            lang = parts[1] if len(parts) == 3 else "en"
            if not re.fullmatch(STATEMENT_LANGUAGE_PATTERN, lang):
                report.warnings.append(f"{rel}: language code {lang!r} is not imported")
                continue
            if lang not in found or rel.endswith(".md"):
                found[lang] = rel
    if not found:
        raise KattisImportError(
            "no problem.<lang>.md or problem.<lang>.tex", file="problem_statement"
        )
    texts: dict[str, tuple[str, str]] = {}
    for lang, rel in found.items():
        text = tree.text(rel)
        title: str | None = None
        if rel.endswith(".tex"):
            text, title, leftovers = latex_to_markdown(text)
            if leftovers:
                report.warnings.append(
                    f"{rel}: LaTeX commands kept as they are: {', '.join(leftovers)}"
                )
        name = names.get(lang) if isinstance(names, dict) else names
        title = str(name or title or tree.root.name)
        if not text.lstrip().startswith("#"):
            text = f"# {title}\n\n{text}"
        texts[lang] = (text.rstrip() + "\n" + _interactions(tree), title)
    main = "en" if "en" in texts else sorted(texts)[0]
    for lang, (text, _) in texts.items():
        if lang != main:
            staged[f"statement.{lang}.md"] = text.encode()
    return (*texts[main], main)


def _interactions(tree: KattisTree) -> str:
    """Sample interactions (`>` from the program, `<` from the judge) as code blocks."""
    blocks = []
    for rel in tree.under("data/sample"):
        if rel.endswith(".interaction"):
            name = PurePosixPath(rel).stem
            blocks.append(
                f"\n### Sample interaction {name}\n\n```\n{tree.text(rel).rstrip()}\n```\n"
            )
    return "".join(blocks)


def _keywords(meta: dict[str, Any]) -> list[str]:
    raw = meta.get("keywords", [])
    return raw.split() if isinstance(raw, str) else list(raw)


def _attribution(meta: dict[str, Any]) -> str:
    parts = [
        str(meta[key])
        for key in ("source", "author", "credits", "license", "rights_owner")
        if meta.get(key) and isinstance(meta[key], str)
    ]
    return " · ".join(parts)


def _limits(
    tree: KattisTree, meta: dict[str, Any], report: ImportReport, time_limit: float | None
) -> dict[str, Any]:
    limits = meta.get("limits") or {}
    time_s: float | None = time_limit or limits.get("time_limit")
    if time_s is None and ".timelimit" in tree:
        time_s = float(tree.text(".timelimit").strip())
    if time_s is None:
        time_s = DEFAULT_TIME_S
        report.warnings.append(
            f"no time limit in the package (limits.time_limit or .timelimit); using {time_s:g} s"
        )
    result: dict[str, Any] = {"time_s": float(time_s)}
    if "memory" in limits:
        result["memory_mb"] = min(int(limits["memory"]), 8192)
    if "output" in limits:
        result["output_kb"] = min(int(limits["output"]) * 1024, 262144)
    return result
