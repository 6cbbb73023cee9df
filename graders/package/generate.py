"""Generated tests: inputs from `generators/`, answers from the reference solution.

Both are instructor code and run in sandboxes (never on the judgehost): the
generators in one session holding the `generators/` folder, the reference in a
session of its own through the problem's kind, like any submission. Results are
cached under `<cache_dir>/generated/<content hash>/`, so a package is generated
once per version; validation reruns the generators to prove they are deterministic.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from graders.errors import ProblemFormatError
from graders.package.files import read_file, scan
from graders.package.types import Package, TestCase
from graders.settings import cache_root
from graders.submissions import list_solutions
from sandbox import Limits, RunSpec, RunStatus, Sandbox, SandboxError, get_sandbox

GENERATOR_LIMITS = Limits(wall_s=120, cpu_s=60, memory_mb=2048, output_bytes=256 * 1024 * 1024)
_COMPLETE = "complete"


@dataclass(frozen=True)
class GeneratedInput:
    name: str  # "large/gen-3"
    group: str
    source: str  # "generators/gen.py 3 2000 2000"
    data: bytes


def run_generators(package: Package, sandbox: Sandbox) -> list[GeneratedInput]:
    """Run every generator once per seed, in one sandbox session."""
    files = {
        rel: read_file(package.root, rel)
        for rel in scan(package.root)
        if rel.startswith("generators/")
    }
    workdir = {rel.removeprefix("generators/"): data for rel, data in files.items()}
    made: list[GeneratedInput] = []
    seen: set[str] = set()
    with sandbox.session(workdir) as session:
        for index, generator in enumerate(package.spec.generators):
            stem = PurePosixPath(generator.script).stem
            for seed in generator.seeds:
                name = f"{generator.group}/{stem}-{seed}"
                command = " ".join(["generators/" + generator.script, str(seed), *generator.args])
                if name in seen:
                    raise ProblemFormatError(
                        f"two generators make the test {name}",
                        file="problem.yaml",
                        field=f"generators.{index}",
                    )
                seen.add(name)
                spec = RunSpec(
                    argv=("python3", generator.script, str(seed), *generator.args),
                    env={"PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"},
                    limits=GENERATOR_LIMITS,
                )
                result = session.run(spec)
                if result.status is not RunStatus.OK or result.exit_code != 0:
                    tail = result.stderr.decode("utf-8", errors="replace").strip().splitlines()[-3:]
                    raise ProblemFormatError(
                        f"`{command}` failed ({result.status}: {result.detail}) "
                        f"{' | '.join(tail)}".strip(),
                        file=f"generators/{generator.script}",
                    )
                made.append(GeneratedInput(name, generator.group, command, result.stdout))
    return made


def reference_solution(package: Package) -> tuple[str, str]:
    """(path, language) of the solution whose outputs are the generated answers."""
    files = scan(package.root)
    candidates = [s for s in list_solutions(files) if s.path.startswith("submissions/accepted/")]
    if package.spec.reference is not None:
        candidates = [s for s in list_solutions(files) if s.path == package.spec.reference]
    for solution in candidates:
        if solution.language is not None and solution.language in package.spec.languages:
            return solution.path, solution.language
    raise ProblemFormatError(
        "generated tests need a reference solution: add one under submissions/accepted/ "
        "(in a language of the problem) or set `reference`",
        file="problem.yaml",
        field="reference",
    )


def reference_answers(
    package: Package, inputs: list[GeneratedInput], sandbox: Sandbox
) -> list[bytes]:
    from graders.runner import Program, resolve_language

    path, language_id = reference_solution(package)
    source = read_file(package.root, path).decode("utf-8")
    limits = Limits(
        wall_s=max(60.0, 4 * package.spec.limits.wall_s),
        cpu_s=max(30.0, 3 * package.spec.limits.time_s),
        memory_mb=package.spec.limits.memory_mb,
        output_bytes=256 * 1024 * 1024,
    )
    answers = []
    with Program(package, source, resolve_language(package, language_id), sandbox) as program:
        compiled = program.compile()
        if not compiled.ok:
            raise ProblemFormatError(
                f"the reference does not compile: {compiled.message}", file=path
            )
        for item in inputs:
            result = program.run(item.data, limits)
            if result.status is not RunStatus.OK or result.exit_code != 0:
                tail = result.stderr.decode("utf-8", errors="replace").strip().splitlines()[-2:]
                raise ProblemFormatError(
                    f"the reference failed on {item.name} ({result.status}: {result.detail}) "
                    f"{' | '.join(tail)}",
                    file=path,
                )
            answers.append(result.stdout)
    return answers


def _answers(package: Package, inputs: list[GeneratedInput], sandbox: Sandbox) -> list[bytes]:
    """The kind's own answers (a judge-side oracle) when it has them, else the reference's."""
    from graders.kinds import get_kind
    from graders.kinds.base import ComputesAnswers

    kind = get_kind(package.spec.type)
    if isinstance(kind, ComputesAnswers):
        return [kind.answer(package, item.data) for item in inputs]
    return reference_answers(package, inputs, sandbox)


def generated_tests(
    package: Package, *, sandbox: Sandbox | None = None, cache_dir: Path | None = None
) -> list[TestCase]:
    folder = cache_root(cache_dir) / "generated" / package.content_hash
    cached = _read_cache(folder, package)
    if cached is not None:
        return cached
    try:
        box = sandbox or get_sandbox()
        inputs = run_generators(package, box)
        answers = _answers(package, inputs, box)
    except SandboxError as exc:
        raise ProblemFormatError(f"could not run the generators: {exc}", file="generators") from exc
    tests = [
        TestCase(
            name=item.name,
            group=item.group,
            input=item.data,
            answer=answer,
            visible=item.group == "sample",
            source=item.source,
        )
        for item, answer in zip(inputs, answers, strict=True)
    ]
    _write_cache(folder, tests)
    return tests


def _read_cache(folder: Path, package: Package) -> list[TestCase] | None:
    if not (folder / _COMPLETE).is_file():
        return None
    tests = []
    for generator in package.spec.generators:
        stem = PurePosixPath(generator.script).stem
        for seed in generator.seeds:
            name = f"{generator.group}/{stem}-{seed}"
            base = folder / generator.group / f"{stem}-{seed}"
            try:
                data, answer = (
                    base.with_suffix(".in").read_bytes(),
                    base.with_suffix(".ans").read_bytes(),
                )
            except OSError:
                return None
            command = " ".join(["generators/" + generator.script, str(seed), *generator.args])
            tests.append(
                TestCase(
                    name, generator.group, data, answer, generator.group == "sample", source=command
                )
            )
    return tests


def _write_cache(folder: Path, tests: list[TestCase]) -> None:
    """Write into a temp folder, then rename: readers never see half a cache."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
    try:
        for test in tests:
            group, stem = test.name.split("/", 1)
            (staging / group).mkdir(exist_ok=True)
            (staging / group / f"{stem}.in").write_bytes(test.input)
            (staging / group / f"{stem}.ans").write_bytes(test.answer)
        (staging / _COMPLETE).write_text("ok\n")
        try:
            os.rename(staging, folder)
        except OSError:  # another process finished first; its copy is the same
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
