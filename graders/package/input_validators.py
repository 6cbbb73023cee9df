"""Input validators: instructor programs that say whether a test input is well-formed.

Layout (Kattis' `input_validators/`): each `.py` file directly in the folder is one
validator, each subfolder one more (Python, or C/C++ sources compiled together, see
`graders.checkers.program`). A validator reads one test input on stdin, gets the
group's `input_validator_flags` as arguments, and exits 42 when the input is valid;
any other exit (43, a failed `assert`) rejects it, and its last line of output says
why. Validation runs every validator on every test, given and generated, each in a
sandbox session of its own (never the learner's).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from graders.checkers.custom import runner_files
from graders.checkers.program import prepare_validator
from graders.errors import GraderError
from graders.harness import protocol as wire
from graders.package.files import scan
from graders.package.types import Package
from sandbox import Limits, RunResult, RunSpec, RunStatus, Sandbox, SandboxError

FOLDER = "input_validators"
LIMITS = Limits(wall_s=60, cpu_s=30, memory_mb=1024)


@dataclass(frozen=True)
class InputProblem:
    validator: str  # e.g. "input_validators/grid"
    file: str  # the test's source: "data/secret/1.in", "generators/gen.py 7"
    message: str


def validator_paths(package: Package) -> list[str]:
    found: set[str] = set()
    for rel in scan(package.root):
        parts = PurePosixPath(rel).parts
        if parts[0] != FOLDER or len(parts) < 2:
            continue
        if len(parts) == 2 and rel.endswith(".py"):
            found.add(rel)
        elif len(parts) > 2:
            found.add(f"{FOLDER}/{parts[1]}")
    return sorted(found)


def check_inputs(package: Package, sandbox: Sandbox) -> Iterator[InputProblem]:
    """Every (validator, test) that is not valid, or a validator that cannot run."""
    flags = {group.name: group.input_validator_flags for group in package.spec.groups}
    for where in validator_paths(package):
        try:
            program = prepare_validator(package.root, where, sandbox)
        except GraderError as exc:
            yield InputProblem(where, where, f"cannot run: {exc}")
            continue
        files = {**program.files, **runner_files()}
        with sandbox.session(files) as session:
            for test in package.tests:
                group_flags = flags.get(test.group, [])
                spec = RunSpec(
                    argv=_argv(program.argv, group_flags), stdin=test.input, limits=LIMITS
                )
                try:
                    result = session.run(spec)
                except SandboxError as exc:
                    yield InputProblem(where, test.source, f"the sandbox failed: {exc}")
                    break
                problem = _verdict(result, direct=program.argv[0] == "python3")
                if problem is not None:
                    yield InputProblem(where, test.source or test.name, problem)


def _argv(command: tuple[str, ...], flags: list[str]) -> tuple[str, ...]:
    """Python validators run directly; a compiled one through the runner, which makes
    its binary executable."""
    if command[0] == "python3":
        return (*command, *flags)
    runner: tuple[str, ...] = ("python3", wire.CHECKER_RUNNER_FILE, "--plain")
    if flags:
        runner += ("--flags", ",".join(flags))
    return (*runner, *command)


def _verdict(result: RunResult, *, direct: bool) -> str | None:
    if result.status not in (RunStatus.OK, RunStatus.RE) or result.exit_code is None:
        return f"the validator did not finish ({result.status} {result.detail})"
    if direct:
        report: dict[str, object] = {
            "exit": result.exit_code,
            "stdout": result.stdout[-4096:].decode("utf-8", errors="replace"),
            "stderr": result.stderr[-4096:].decode("utf-8", errors="replace"),
        }
    else:
        try:
            report = json.loads(result.stdout)
        except ValueError:
            return "the validator runner printed no report"
    if report.get("exit") == wire.VALIDATOR_ACCEPT:
        return None
    text = (str(report.get("stderr", "")) + "\n" + str(report.get("stdout", ""))).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    reason = lines[-1][:200] if lines else "no message"
    return f"rejected (exit code {report.get('exit')}): {reason}"
