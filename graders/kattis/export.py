"""Exporting a Gradebox package in the ICPC/Kattis problem package format, so that
instructors are never locked in: `import_kattis(export_kattis(p))` has the same
tests (generated ones written out as files), groups, limits, checker and solutions.

What maps back (the reverse of `graders.kattis.importer`):

    statement.md, statement.<lang>.md   problem_statement/problem.<lang>.md
    groups                              data/sample, data/secret[/<group>] with
                                        testdata.yaml (accept_score, grader_flags min,
                                        on_reject) for scoring problems
    checker tokens | exact | float      validator_flags of the default validator
    checker custom                      output_validators/<slug>/ (checker.py becomes
                                        validate.py)
    type interactive                    validation: custom interactive, the
                                        interactor in output_validators/<slug>/
    input_validators/, submissions/     copied

`function`, `tensor` and `kernel` problems have no Kattis equivalent and are refused.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from graders.errors import ProblemFormatError
from graders.package.files import read_file, scan
from graders.package.model import GroupSpec, ProblemType
from graders.package.types import Package


class KattisExportError(ProblemFormatError):
    """The package uses something the Kattis format cannot express."""


@dataclass
class ExportReport:
    tests: int = 0
    warnings: list[str] = field(default_factory=list)


def export_kattis(package: Package, out: Path) -> ExportReport:
    """Write `package` (loaded with its generated tests) as a Kattis package in `out`."""
    spec = package.spec
    if spec.type not in (ProblemType.STDIO, ProblemType.INTERACTIVE):
        raise KattisExportError(
            f"{spec.type} problems have no Kattis equivalent", file="problem.yaml", field="type"
        )
    if out.exists() and any(out.iterdir()):
        raise KattisExportError("the output folder exists and is not empty", file=str(out))
    report = ExportReport()
    files = scan(package.root)
    staged: dict[str, bytes] = {}
    meta: dict[str, Any] = {"name": spec.name}
    if spec.source:
        meta["source"] = spec.source
    if spec.tags:
        meta["keywords"] = list(spec.tags)
    meta["limits"] = {
        "time_limit": spec.limits.time_s,
        "memory": spec.limits.memory_mb,
        "output": max(1, spec.limits.output_kb // 1024),
    }
    scoring = _tests(package, staged, report)
    interactive = spec.type is ProblemType.INTERACTIVE
    kinds = (["interactive"] if interactive else []) + (["scoring"] if scoring else [])
    if kinds:
        meta["type"] = " ".join(kinds)
    _validation(package, files, meta, staged, interactive)
    for rel in files:
        top = PurePosixPath(rel).parts[0]
        if top in ("submissions", "input_validators"):
            staged[rel] = read_file(package.root, rel)
        elif rel == "statement.md":
            main = spec.statement_language
            staged[f"problem_statement/problem.{main}.md"] = read_file(package.root, rel)
        elif top.startswith("statement.") and top.endswith(".md"):
            lang = top.split(".")[1]
            staged[f"problem_statement/problem.{lang}.md"] = read_file(package.root, rel)
        elif rel.startswith("submissions/memory_limit_exceeded/"):
            report.warnings.append(f"{rel}: Kattis judges a memory overrun as a run-time error")
    out.mkdir(parents=True, exist_ok=True)
    staged["problem.yaml"] = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True).encode()
    try:
        for rel, data in staged.items():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return report


def _tests(package: Package, staged: dict[str, bytes], report: ExportReport) -> bool:
    """Write every test; returns whether the problem needs Kattis' scoring type."""
    spec = package.spec
    secret = [group for group in spec.groups if group.name != "sample"]
    single = len(secret) == 1 and secret[0].name == "secret"
    scoring = not (single and secret[0].mode == "min" and secret[0].points == 100)
    if not scoring and len(secret) > 1:
        scoring = True
    for group in spec.groups:
        members = [test for test in package.tests if test.group == group.name]
        if group.name == "sample":
            folder = "data/sample"
            if group.points:
                report.warnings.append("sample points are not exported (Kattis scores them 0)")
        else:
            folder = "data/secret" if single else f"data/secret/{group.name}"
        for test in members:
            stem = PurePosixPath(test.name).name
            staged[f"{folder}/{stem}.in"] = test.input
            staged[f"{folder}/{stem}.ans"] = test.answer
            report.tests += 1
        conf = _testdata(group, len(members), scoring=scoring)
        if conf:
            staged[f"{folder}/testdata.yaml"] = yaml.safe_dump(conf, sort_keys=False).encode()
    return scoring


def _testdata(group: GroupSpec, tests: int, *, scoring: bool) -> dict[str, Any]:
    conf: dict[str, Any] = {}
    if scoring and group.name != "sample":
        if group.mode == "min":
            conf.update(on_reject="break", accept_score=group.points, grader_flags="min")
        else:
            conf.update(on_reject="continue", accept_score=group.points / max(tests, 1))
    if group.input_validator_flags:
        conf["input_validator_flags"] = " ".join(group.input_validator_flags)
    return conf


def _validation(
    package: Package,
    files: list[str],
    meta: dict[str, Any],
    staged: dict[str, bytes],
    interactive: bool,
) -> None:
    checker = package.spec.checker
    target = f"output_validators/{package.slug}"
    if interactive or checker.name == "custom":
        meta["validation"] = "custom interactive" if interactive else "custom"
        single = "interactor.py" if interactive else "checker.py"
        folder = "interactor" if interactive else "output_validator"
        if single in files:
            staged[f"{target}/validate.py"] = read_file(package.root, single)
        for rel in files:
            if rel.startswith(folder + "/"):
                staged[f"{target}/{rel.removeprefix(folder + '/')}"] = read_file(package.root, rel)
        flags = [str(flag) for flag in checker.options.get("flags", [])]
        if flags:
            meta["validator_flags"] = " ".join(flags)
        return
    name = checker.name or "tokens"
    options = checker.options
    flags = []
    if name == "exact":
        flags = ["space_change_sensitive", "case_sensitive"]
    elif name == "tokens":
        if options.get("case_sensitive", True):
            flags = ["case_sensitive"]
    elif name == "float":
        if "abs_tol" in options:
            flags += ["float_absolute_tolerance", str(options["abs_tol"])]
        if "rel_tol" in options:
            flags += ["float_relative_tolerance", str(options["rel_tol"])]
    else:
        raise KattisExportError(
            f"checker {name!r} has no Kattis equivalent", file="problem.yaml", field="checker"
        )
    if flags:
        meta["validator_flags"] = " ".join(flags)
