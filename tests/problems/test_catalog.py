"""The bundled catalog as a whole: tracks with unique positions, every practice
package teaching (statement, editorial) and hinted (at least three known-wrong
solutions with hints). Reads only the packages' files; the sandboxed validation of
each one is test_bundled.py.

Interactive and kernel packages are exempt from the hint rule: a solution hint
compares one output per test, which an interactive dialogue does not have, and kernel
mistakes are mostly caught by timing and integrity checks on a GPU."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

from graders.package.model import ProblemSpec, ProblemType

PROBLEMS = Path(__file__).resolve().parents[2] / "problems"
TRACKS = {"normalization", "activations-losses", "attention", "layers-optimizers", "graphs-grids"}
HINTED = {ProblemType.STDIO, ProblemType.FUNCTION, ProblemType.TENSOR}


def _specs() -> dict[str, ProblemSpec]:
    return {
        path.parent.name: ProblemSpec.model_validate(yaml.safe_load(path.read_text()))
        for path in sorted(PROBLEMS.glob("*/problem.yaml"))
    }


def test_catalog_has_five_tracks_of_ordered_problems() -> None:
    specs = _specs()
    positions: dict[str, list[int]] = defaultdict(list)
    for slug, spec in specs.items():
        if spec.type in HINTED:
            assert spec.track is not None, f"{slug} has no track"
        if spec.track is not None:
            positions[spec.track.id].append(spec.track.position)
    assert sum(len(found) for found in positions.values()) >= 24
    assert set(positions) == TRACKS
    for track, found in positions.items():
        assert len(found) == len(set(found)), f"two problems share a position in {track}"
        assert len(found) >= 3, track


def test_every_package_teaches_and_hints() -> None:
    for slug, spec in _specs().items():
        if spec.type not in HINTED:
            continue
        root = PROBLEMS / slug
        assert (root / "statement.md").is_file() and (root / "editorial.md").is_file(), slug
        wrong = {p.name for p in (root / "submissions" / "wrong_answer").glob("*.*")}
        hinted = {
            key.split("/", 1)[1]
            for key, text in spec.hints.solutions.items()
            if key.startswith("wrong_answer/") and text.strip()
        }
        assert len(hinted & wrong) >= 3, f"{slug}: fewer than three hinted wrong solutions"
        assert hinted <= wrong, f"{slug}: a hint names no wrong solution: {hinted - wrong}"
        for language in spec.languages:
            assert list((root / "templates").glob(f"*.{'py' if language == 'python' else 'cpp'}"))
