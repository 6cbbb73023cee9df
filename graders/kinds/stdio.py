"""`stdio`: the learner's program reads the test input on stdin and writes its answer
on stdout. A Python-family language's programs start through the stdio runner
under the language's `launcher`, which installs the banned-module guard first;
native programs run as they are."""

from __future__ import annotations

from graders.harness import harness_files
from graders.harness import protocol as wire
from graders.kinds.registry import register_kind
from graders.package.model import ProblemType
from graders.package.types import Package
from sandbox.languages import Language


class StdioKind:
    type = ProblemType.STDIO
    default_checker = "tokens"
    harnessed = False
    languages: frozenset[str] | None = None
    needs_gpu = False

    def learner_filename(self, package: Package, language: Language) -> str:
        return language.source_name

    def workdir_files(self, package: Package, source: str, language: Language) -> dict[str, bytes]:
        files = {language.source_name: source.encode("utf-8")}
        if language.launcher is not None:
            files.update(harness_files(wire.STDIO_RUNNER_FILE, wire.GUARD_FILE))
        return files

    def run_argv(self, package: Package, language: Language) -> tuple[str, ...]:
        if language.launcher is not None:
            return (
                *language.launcher,
                wire.STDIO_RUNNER_FILE,
                ",".join(package.spec.banned_modules),
            )
        return language.run_argv


register_kind(StdioKind())
