"""Loading a package folder into a `Package`, or a `ProblemFormatError` that names the
file (and field) at fault.

Order of checks: the tree itself (links, names), `problem.yaml` (YAML, then the
schema, then cross-references: type, languages, checker, groups, generators), the
statement and templates, then the tests of each group. Generated tests come last:
they need a sandbox, and are cached by the package's content hash.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pydantic import ValidationError

from graders.checkers import get_checker
from graders.checkers.base import DeclaresOptions
from graders.checkers.program import has_validator
from graders.errors import ProblemFormatError, UnknownChecker
from graders.kinds import get_kind
from graders.kinds.base import ChecksTests
from graders.package.files import content_hash, read_file, scan
from graders.package.model import (
    STATEMENT_LANGUAGE_PATTERN,
    GroupSpec,
    ProblemSpec,
    ProblemType,
)
from graders.package.types import Package, TestCase
from sandbox import Sandbox
from sandbox.languages import get_language
from sandbox.languages.base import UnknownLanguage

SPEC_FILE = "problem.yaml"
STATEMENT_FILE = "statement.md"
EDITORIAL_FILE = "editorial.md"
CHECKER_FILE = "checker.py"
OUTPUT_VALIDATOR_DIR = "output_validator"
INTERACTOR_FILE, INTERACTOR_DIR = "interactor.py", "interactor"


def load_package(
    root: Path | str,
    *,
    sandbox: Sandbox | None = None,
    cache_dir: Path | None = None,
    generate: bool = True,
) -> Package:
    """Load and check a package; `generate=False` leaves generated tests out.

    Generated tests are taken from the cache when present, otherwise made in
    `sandbox` (default: the best available backend).
    """
    root = Path(root)
    if not root.is_dir():
        raise ProblemFormatError("no such package folder", file=str(root))
    files = scan(root)
    spec = _read_spec(root, files)
    _check_references(spec, files)
    slug = root.resolve().name
    statements = _read_statements(root, files, spec)
    statement = statements[spec.statement_language]
    package = Package(
        root=root,
        slug=slug,
        spec=spec,
        statement=statement,
        content_hash=content_hash(root, files),
        editorial=_read_text(root, files, EDITORIAL_FILE, required=False) or None,
        templates=_read_templates(root, files, spec),
        tests=tuple(_static_tests(root, files, spec)),
        statements=statements,
    )
    if generate and spec.generators:
        from graders.package.generate import generated_tests

        extra = generated_tests(package, sandbox=sandbox, cache_dir=cache_dir)
        package = dataclasses.replace(
            package, tests=_in_group_order(spec, [*package.tests, *extra])
        )
    kind = get_kind(spec.type)
    if isinstance(kind, ChecksTests):
        for test in package.tests:
            kind.check_test(package, test)
    return package


def _read_spec(root: Path, files: list[str]) -> ProblemSpec:
    if SPEC_FILE not in files:
        raise ProblemFormatError("missing: every package needs a problem.yaml", file=SPEC_FILE)
    try:
        raw = yaml.safe_load(read_file(root, SPEC_FILE).decode("utf-8"))
    except UnicodeDecodeError:
        raise ProblemFormatError("not UTF-8 text", file=SPEC_FILE) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProblemFormatError(f"YAML syntax error{where}: {problem}", file=SPEC_FILE) from None
    if not isinstance(raw, dict):
        raise ProblemFormatError("must be a mapping of keys to values", file=SPEC_FILE)
    try:
        return ProblemSpec.model_validate(raw)
    except ValidationError as exc:
        raise _schema_error(exc) from None


def _schema_error(exc: ValidationError) -> ProblemFormatError:
    errors = exc.errors()
    parts = []
    for error in errors:
        loc = ".".join(str(part) for part in error["loc"]) or "(top level)"
        msg = str(error["msg"])
        if error["type"] == "extra_forbidden":
            msg = "unknown key"
        parts.append(f"{loc}: {msg}")
    first: Any = errors[0]["loc"] if errors else ()
    field = ".".join(str(part) for part in first) or None
    message = "; ".join(parts[1:])
    head = parts[0].split(": ", 1)[1] if parts else "invalid"
    return ProblemFormatError(
        head + (f" (also: {message})" if message else ""), file=SPEC_FILE, field=field
    )


def _check_references(spec: ProblemSpec, files: list[str]) -> None:
    kind = get_kind(spec.type)
    for limited in spec.limits.languages:
        if limited not in spec.languages:
            raise ProblemFormatError(
                f"{limited} is not a language of this problem "
                f"(languages: {', '.join(spec.languages)})",
                file=SPEC_FILE,
                field=f"limits.languages.{limited}",
            )
    if kind.harnessed and spec.function is None:
        raise ProblemFormatError(
            f"required for {spec.type} problems", file=SPEC_FILE, field="function"
        )
    for index, language_id in enumerate(spec.languages):
        try:
            language = get_language(language_id)
        except UnknownLanguage as exc:
            raise ProblemFormatError(str(exc), file=SPEC_FILE, field=f"languages.{index}") from None
        if spec.banned_modules and not language.hides_banned_modules:
            raise ProblemFormatError(
                f"{language.display_name} cannot enforce banned_modules (the sandbox cannot "
                "hide its modules)",
                file=SPEC_FILE,
                field=f"languages.{index}",
            )
        if kind.languages is not None and language_id not in kind.languages:
            takes = ", ".join(sorted(kind.languages))
            raise ProblemFormatError(
                f"{spec.type} problems take {takes} only",
                file=SPEC_FILE,
                field=f"languages.{index}",
            )
    if not spec.languages:
        raise ProblemFormatError(
            "at least one language is needed", file=SPEC_FILE, field="languages"
        )
    checker = spec.checker.name or kind.default_checker
    try:
        plugin = get_checker(checker)
    except UnknownChecker as exc:
        raise UnknownChecker(exc.reason, file=SPEC_FILE, field="checker.name") from None
    # An interactive problem's checker options are its interactor's (`time_s`,
    # `memory_mb`, `flags`: graders/interactive.py), not the output checker's.
    if isinstance(plugin, DeclaresOptions) and spec.type is not ProblemType.INTERACTIVE:
        try:
            plugin.Options.model_validate(spec.checker.options)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in ("checker", "options", *first["loc"]))
            raise ProblemFormatError(
                f"checker {checker!r}: {first['msg']}", file=SPEC_FILE, field=where
            ) from None
    if checker == "custom" and not (
        CHECKER_FILE in files or has_validator(files, OUTPUT_VALIDATOR_DIR)
    ):
        raise ProblemFormatError(
            "checker 'custom' needs a checker.py (or an output_validator/ folder) in the package",
            file=CHECKER_FILE,
        )
    if spec.type is ProblemType.INTERACTIVE and not (
        has_validator(files, INTERACTOR_DIR) or INTERACTOR_FILE in files
    ):
        raise ProblemFormatError(
            "interactive problems need an interactor.py or an interactor/ folder",
            file=INTERACTOR_FILE,
        )
    names = [group.name for group in spec.groups]
    if not names:
        raise ProblemFormatError("at least one group is needed", file=SPEC_FILE, field="groups")
    for index, name in enumerate(names):
        if names.index(name) != index:
            raise ProblemFormatError(
                f"duplicate group {name!r}", file=SPEC_FILE, field=f"groups.{index}.name"
            )
    for index, group in enumerate(spec.groups):
        if group.path is not None:
            _check_data_path(group.path, f"groups.{index}.path")
    for index, generator in enumerate(spec.generators):
        if generator.group not in names:
            raise ProblemFormatError(
                f"no group named {generator.group!r}",
                file=SPEC_FILE,
                field=f"generators.{index}.group",
            )
        if f"generators/{generator.script}" not in files:
            raise ProblemFormatError(
                f"generators/{generator.script} does not exist",
                file=SPEC_FILE,
                field=f"generators.{index}.script",
            )
        if len(set(generator.seeds)) != len(generator.seeds):
            raise ProblemFormatError(
                "seeds repeat", file=SPEC_FILE, field=f"generators.{index}.seeds"
            )
    if spec.reference is not None:
        _check_data_path(spec.reference, "reference", prefix="submissions/")
        if spec.reference not in files:
            raise ProblemFormatError(
                f"{spec.reference} does not exist", file=SPEC_FILE, field="reference"
            )


def _check_data_path(path: str, field: str, prefix: str = "data/") -> None:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not path.startswith(prefix):
        raise ProblemFormatError(
            f"must be a path inside {prefix} (got {path!r})", file=SPEC_FILE, field=field
        )


def _read_text(root: Path, files: list[str], name: str, *, required: bool) -> str:
    if name not in files:
        if required:
            raise ProblemFormatError("missing", file=name)
        return ""
    try:
        return read_file(root, name).decode("utf-8")
    except UnicodeDecodeError:
        raise ProblemFormatError("not UTF-8 text", file=name) from None


def _read_statements(root: Path, files: list[str], spec: ProblemSpec) -> dict[str, str]:
    """statement.md under spec.statement_language, plus each statement.<lang>.md.

    Any other top-level statement*.md is refused rather than ignored: a misspelt
    language (statement.german.md, statement.pt_BR.md) would otherwise vanish quietly.
    """
    default = spec.statement_language
    statements = {default: _read_text(root, files, STATEMENT_FILE, required=True)}
    for rel in files:
        if "/" in rel or not rel.startswith("statement") or rel == STATEMENT_FILE:
            continue
        lang = rel.removeprefix("statement.").removesuffix(".md")
        if (
            not rel.startswith("statement.")
            or not rel.endswith(".md")
            or not re.fullmatch(STATEMENT_LANGUAGE_PATTERN, lang)
        ):
            raise ProblemFormatError(
                "statements in other languages are named statement.<lang>.md, "
                "lang a code like de or pt-BR",
                file=rel,
            )
        if lang == default:
            raise ProblemFormatError(
                f"statement.md is already the {default!r} statement (statement_language)",
                file=rel,
            )
        statements[lang] = _read_text(root, files, rel, required=True)
    for lang, text in statements.items():
        if not text.strip():
            name = STATEMENT_FILE if lang == default else f"statement.{lang}.md"
            raise ProblemFormatError("the statement is empty", file=name)
    return dict(sorted(statements.items()))


def _read_templates(root: Path, files: list[str], spec: ProblemSpec) -> dict[str, str]:
    templates: dict[str, str] = {}
    for rel in files:
        if not rel.startswith("templates/"):
            continue
        name = PurePosixPath(rel).name
        language_id = name.split(".")[0]
        if "/" in rel.removeprefix("templates/") or language_id not in spec.languages:
            raise ProblemFormatError(
                f"templates are named <language>.<ext> for a language in problem.yaml "
                f"({', '.join(spec.languages)})",
                file=rel,
            )
        templates[language_id] = _read_text(root, files, rel, required=True)
    return templates


def group_path(spec: ProblemSpec, group: GroupSpec, files: list[str]) -> str:
    """The folder a group's test files live in (see GroupSpec.path)."""
    if group.path is not None:
        return group.path.rstrip("/")
    if group.name == "sample":
        return "data/sample"
    own = f"data/secret/{group.name}"
    if group.name == "secret" and not any(rel.startswith(own + "/") for rel in files):
        return "data/secret"
    return own


def _static_tests(root: Path, files: list[str], spec: ProblemSpec) -> list[TestCase]:
    tests: list[TestCase] = []
    claimed: set[str] = set()
    for group in spec.groups:
        folder = group_path(spec, group, files)
        inputs = [
            rel
            for rel in files
            if rel.startswith(folder + "/") and "/" not in rel[len(folder) + 1 :]
        ]
        for rel in inputs:
            if rel.endswith(".ans") and rel.removesuffix(".ans") + ".in" not in files:
                raise ProblemFormatError("answer file without a matching .in", file=rel)
        count = 0
        for rel in inputs:
            if not rel.endswith(".in"):
                continue
            answer = rel.removesuffix(".in") + ".ans"
            if answer not in files:
                raise ProblemFormatError(
                    f"test input without its answer {PurePosixPath(answer).name}", file=rel
                )
            stem = PurePosixPath(rel).name.removesuffix(".in")
            tests.append(
                TestCase(
                    name=f"{group.name}/{stem}",
                    group=group.name,
                    input=read_file(root, rel),
                    answer=read_file(root, answer),
                    visible=group.name == "sample",
                    source=rel,
                )
            )
            claimed.update((rel, answer))
            count += 1
        has_generator = any(gen.group == group.name for gen in spec.generators)
        if count == 0 and not has_generator:
            raise ProblemFormatError(
                f"group {group.name!r} has no tests: "
                f"add {folder}/NAME.in and NAME.ans, or a generator",
                file=folder,
            )
    for rel in files:
        if rel.startswith("data/") and rel.endswith((".in", ".ans")) and rel not in claimed:
            raise ProblemFormatError("test file belongs to no group in problem.yaml", file=rel)
    return tests


def _in_group_order(spec: ProblemSpec, tests: list[TestCase]) -> tuple[TestCase, ...]:
    order = {group.name: index for index, group in enumerate(spec.groups)}
    return tuple(sorted(tests, key=lambda test: order[test.group]))
