"""Solutions shipped in a package under `submissions/<expected verdict>/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from graders.verdict import Verdict
from sandbox.languages import languages

# Folder name -> the verdict a solution in it must get (Kattis names).
EXPECTED: dict[str, Verdict] = {
    "accepted": Verdict.AC,
    "wrong_answer": Verdict.WA,
    "time_limit_exceeded": Verdict.TLE,
    "run_time_error": Verdict.RE,
    "memory_limit_exceeded": Verdict.MLE,
    "output_limit_exceeded": Verdict.OLE,
    "compile_error": Verdict.CE,
    # Kattis: some test groups pass (0 < score < max); the verdict is a failing one.
    "partially_accepted": Verdict.WA,
    # Kattis: correct but may run over the time limit (AC or TLE both do).
    "slow_accepted": Verdict.AC,
}
PARTIAL, SLOW = "partially_accepted", "slow_accepted"
EXTENSIONS: dict[str, str] = {
    suffix: language.id for language in reversed(languages()) for suffix in language.extensions
}
"""File suffix -> language id, as the languages declare them (the first one wins)."""


@dataclass(frozen=True)
class Solution:
    path: str  # relative to the package root, e.g. "submissions/accepted/bfs.py"
    expected: Verdict
    language: str | None  # None when the extension names no language

    @property
    def folder(self) -> str:
        return PurePosixPath(self.path).parts[1]


def list_solutions(files: list[str]) -> list[Solution]:
    solutions = []
    for rel in files:
        parts = PurePosixPath(rel).parts
        if len(parts) != 3 or parts[0] != "submissions" or parts[1] not in EXPECTED:
            continue
        language = EXTENSIONS.get(PurePosixPath(rel).suffix)
        solutions.append(Solution(rel, EXPECTED[parts[1]], language))
    return solutions
