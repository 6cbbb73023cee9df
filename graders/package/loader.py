"""Loading a package folder into a `Package`, or a `ProblemFormatError` that lists
every problem found, each naming the file (and field) at fault.

Order of checks: the tree itself (links, names) and `problem.yaml` (YAML, then the
schema) stop at once: nothing else can be checked without them. The rest report to
one `Diagnostics` (`graders/diagnostics.py`) and go on: cross-references (type,
languages, checker, groups, generators), the statements and templates, the tests of
each group; their errors are raised together. Generated tests come last: they need a
sandbox, and are cached by the package's content hash.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path, PurePosixPath

import yaml
from pydantic import ValidationError

from graders.checkers import get_checker
from graders.checkers.base import DeclaresOptions
from graders.checkers.program import has_validator
from graders.diagnostics import Diagnostics
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
    found = Diagnostics()
    _check_references(spec, files, found)
    statements = _read_statements(root, files, spec, found)
    editorial = found.attempt(lambda: _read_text(root, files, EDITORIAL_FILE, required=False), "")
    templates = _read_templates(root, files, spec, found)
    tests = _static_tests(root, files, spec, found)
    found.raise_errors(ProblemFormatError)
    package = Package(
        root=root,
        slug=root.resolve().name,
        spec=spec,
        statement=statements[spec.statement_language],
        content_hash=content_hash(root, files),
        editorial=editorial or None,
        templates=templates,
        tests=tuple(tests),
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
            with found.collecting():
                kind.check_test(package, test)
        found.raise_errors(ProblemFormatError)
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
        raise _schema_errors(exc) from None


def _schema_errors(exc: ValidationError) -> ProblemFormatError:
    """Every schema error of problem.yaml, each under its own field."""
    found = Diagnostics()
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or None
        message = "unknown key" if error["type"] == "extra_forbidden" else str(error["msg"])
        found.error(message, file=SPEC_FILE, field=field)
    if not found.errors:
        found.error("invalid", file=SPEC_FILE)
    return ProblemFormatError.collected(found.errors)


def _check_references(spec: ProblemSpec, files: list[str], found: Diagnostics) -> None:
    """Cross-references of problem.yaml; each one found wrong is reported to `found`."""

    def error(message: str, field: str | None, file: str = SPEC_FILE) -> None:
        found.error(message, file=file, field=field)

    kind = get_kind(spec.type)
    for limited in spec.limits.languages:
        if limited not in spec.languages:
            error(
                f"{limited} is not a language of this problem "
                f"(languages: {', '.join(spec.languages)})",
                f"limits.languages.{limited}",
            )
    if kind.harnessed and spec.function is None:
        error(f"required for {spec.type} problems", "function")
    for index, language_id in enumerate(spec.languages):
        try:
            language = get_language(language_id)
        except UnknownLanguage as exc:
            error(str(exc), f"languages.{index}")
            continue
        if spec.banned_modules and not language.hides_banned_modules:
            error(
                f"{language.display_name} cannot enforce banned_modules (the sandbox cannot "
                "hide its modules)",
                f"languages.{index}",
            )
        if kind.languages is not None and language_id not in kind.languages:
            takes = ", ".join(sorted(kind.languages))
            error(f"{spec.type} problems take {takes} only", f"languages.{index}")
    if not spec.languages:
        error("at least one language is needed", "languages")
    _check_checker(spec, files, found)
    if spec.type is ProblemType.INTERACTIVE and not (
        has_validator(files, INTERACTOR_DIR) or INTERACTOR_FILE in files
    ):
        error(
            "interactive problems need an interactor.py or an interactor/ folder",
            None,
            INTERACTOR_FILE,
        )
    names = [group.name for group in spec.groups]
    if not names:
        error("at least one group is needed", "groups")
    for index, name in enumerate(names):
        if names.index(name) != index:
            error(f"duplicate group {name!r}", f"groups.{index}.name")
    for index, group in enumerate(spec.groups):
        if group.path is not None:
            with found.collecting():
                _check_data_path(group.path, f"groups.{index}.path")
    for index, generator in enumerate(spec.generators):
        if generator.group not in names:
            error(f"no group named {generator.group!r}", f"generators.{index}.group")
        if f"generators/{generator.script}" not in files:
            error(f"generators/{generator.script} does not exist", f"generators.{index}.script")
        if len(set(generator.seeds)) != len(generator.seeds):
            error("seeds repeat", f"generators.{index}.seeds")
    if spec.reference is not None:
        with found.collecting():
            _check_data_path(spec.reference, "reference", prefix="submissions/")
            if spec.reference not in files:
                error(f"{spec.reference} does not exist", "reference")


def _check_checker(spec: ProblemSpec, files: list[str], found: Diagnostics) -> None:
    """The checker exists, its options fit its model, its program is in the package."""
    checker = spec.checker.name or get_kind(spec.type).default_checker
    try:
        plugin = get_checker(checker)
    except UnknownChecker as exc:
        found.error(exc.reason, file=SPEC_FILE, field="checker.name")
        return
    # An interactive problem's checker options are its interactor's (`time_s`,
    # `memory_mb`, `flags`: graders/interactive.py), not the output checker's.
    if isinstance(plugin, DeclaresOptions) and spec.type is not ProblemType.INTERACTIVE:
        try:
            plugin.Options.model_validate(spec.checker.options)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(part) for part in ("checker", "options", *error["loc"]))
                found.error(f"checker {checker!r}: {error['msg']}", file=SPEC_FILE, field=where)
    if checker == "custom" and not (
        CHECKER_FILE in files or has_validator(files, OUTPUT_VALIDATOR_DIR)
    ):
        found.error(
            "checker 'custom' needs a checker.py (or an output_validator/ folder) in the package",
            file=CHECKER_FILE,
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


def _read_statements(
    root: Path, files: list[str], spec: ProblemSpec, found: Diagnostics
) -> dict[str, str]:
    """statement.md under spec.statement_language, plus each statement.<lang>.md.

    Any other top-level statement*.md is refused rather than ignored: a misspelt
    language (statement.german.md, statement.pt_BR.md) would otherwise vanish quietly.
    """
    default = spec.statement_language
    names = {default: STATEMENT_FILE}
    for rel in files:
        if "/" in rel or not rel.startswith("statement") or rel == STATEMENT_FILE:
            continue
        lang = rel.removeprefix("statement.").removesuffix(".md")
        if (
            not rel.startswith("statement.")
            or not rel.endswith(".md")
            or not re.fullmatch(STATEMENT_LANGUAGE_PATTERN, lang)
        ):
            found.error(
                "statements in other languages are named statement.<lang>.md, "
                "lang a code like de or pt-BR",
                file=rel,
            )
        elif lang == default:
            found.error(
                f"statement.md is already the {default!r} statement (statement_language)",
                file=rel,
            )
        else:
            names[lang] = rel
    statements: dict[str, str] = {}
    for lang, name in names.items():
        with found.collecting():
            statements[lang] = _read_text(root, files, name, required=True)
            if not statements[lang].strip():
                found.error("the statement is empty", file=name)
    return dict(sorted(statements.items()))


def _read_templates(
    root: Path, files: list[str], spec: ProblemSpec, found: Diagnostics
) -> dict[str, str]:
    templates: dict[str, str] = {}
    for rel in files:
        if not rel.startswith("templates/"):
            continue
        name = PurePosixPath(rel).name
        language_id = name.split(".")[0]
        if "/" in rel.removeprefix("templates/") or language_id not in spec.languages:
            found.error(
                f"templates are named <language>.<ext> for a language in problem.yaml "
                f"({', '.join(spec.languages)})",
                file=rel,
            )
            continue
        with found.collecting():
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


def _static_tests(
    root: Path, files: list[str], spec: ProblemSpec, found: Diagnostics
) -> list[TestCase]:
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
                found.error("answer file without a matching .in", file=rel)
                claimed.add(rel)  # reported once, not again as belonging to no group
        count = 0
        for rel in inputs:
            if not rel.endswith(".in"):
                continue
            answer = rel.removesuffix(".in") + ".ans"
            claimed.add(rel)
            if answer not in files:
                found.error(f"test input without its answer {PurePosixPath(answer).name}", file=rel)
                continue
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
            claimed.add(answer)
            count += 1
        has_generator = any(gen.group == group.name for gen in spec.generators)
        if count == 0 and not has_generator and not any(rel.endswith(".in") for rel in inputs):
            found.error(
                f"group {group.name!r} has no tests: "
                f"add {folder}/NAME.in and NAME.ans, or a generator",
                file=folder,
            )
    for rel in files:
        if rel.startswith("data/") and rel.endswith((".in", ".ans")) and rel not in claimed:
            found.error("test file belongs to no group in problem.yaml", file=rel)
    return tests


def _in_group_order(spec: ProblemSpec, tests: list[TestCase]) -> tuple[TestCase, ...]:
    order = {group.name: index for index, group in enumerate(spec.groups)}
    return tuple(sorted(tests, key=lambda test: order[test.group]))
