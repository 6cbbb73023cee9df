"""`export-kattis` then `import-kattis` gives back the same tests and verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backend.cli.main import app
from graders import grade_submission, load_package
from graders.kattis import import_kattis
from graders.kattis.export import KattisExportError, export_kattis
from sandbox import Sandbox

PROBLEMS = Path(__file__).resolve().parents[2] / "problems"


def test_round_trip_keeps_tests_and_verdicts(sandbox: Sandbox, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "problem",
            "export-kattis",
            str(PROBLEMS / "guess-the-number"),
            str(tmp_path / "kattis"),
            "--sandbox",
            "bwrap",
        ],  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kattis" / "output_validators" / "guess-the-number").is_dir()
    import_kattis(tmp_path / "kattis", tmp_path / "back")
    original = load_package(PROBLEMS / "guess-the-number", generate=False)
    back = load_package(tmp_path / "back", generate=False)
    assert [(t.name, t.input, t.answer, t.visible) for t in back.tests] == [
        (t.name, t.input, t.answer, t.visible) for t in original.tests
    ]
    assert back.spec.type == original.spec.type
    assert back.spec.limits.time_s == original.spec.limits.time_s
    assert [(g.name, g.points, g.mode) for g in back.spec.groups] == [
        (g.name, g.points, g.mode) for g in original.spec.groups
    ]
    assert back.spec.tags == original.spec.tags
    for solution in ("accepted/binary_search.py", "wrong_answer/never_asks_n.py"):
        source = (PROBLEMS / "guess-the-number" / "submissions" / solution).read_text()
        verdicts = [
            [t.verdict for t in grade_submission(p, source=source, language="python",
                                                 sandbox=sandbox).tests]
            for p in (original, back)
        ]  # fmt: skip
        assert verdicts[0] == verdicts[1], solution


def test_scoring_groups_round_trip(tmp_path: Path) -> None:
    """testdata.yaml carries group points and modes (min and sum) there and back."""
    root = tmp_path / "scored"
    files = {
        "problem.yaml": "name: Scored\ngroups:\n  - {name: sample, points: 0}\n"
        "  - {name: easy, points: 30, mode: min}\n  - {name: hard, points: 70, mode: sum}\n"
        "checker: {name: float, options: {abs_tol: 0.001}}\n",
        "statement.md": "# Scored\n\nEcho.\n",
        "data/sample/1.in": "1\n", "data/sample/1.ans": "1\n",
        "data/secret/easy/1.in": "2\n", "data/secret/easy/1.ans": "2\n",
        "data/secret/hard/1.in": "3\n", "data/secret/hard/1.ans": "3\n",
        "data/secret/hard/2.in": "4\n", "data/secret/hard/2.ans": "4\n",
        "submissions/accepted/echo.py": "print(input())\n",
    }  # fmt: skip
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    original = load_package(root, generate=False)
    export_kattis(original, tmp_path / "kattis")
    import_kattis(tmp_path / "kattis", tmp_path / "back")
    back = load_package(tmp_path / "back", generate=False)
    assert [(g.name, g.points, g.mode) for g in back.spec.groups] == [
        ("sample", 0, "min"), ("easy", 30, "min"), ("hard", 70, "sum"),
    ]  # fmt: skip
    assert back.spec.checker.name == "float" and back.spec.checker.options["abs_tol"] == 0.001
    assert [t.name for t in back.tests] == [t.name for t in original.tests]


def test_function_problems_are_refused(tmp_path: Path) -> None:
    package = load_package(PROBLEMS / "largest-connected-region-fn", generate=False)
    with pytest.raises(KattisExportError, match="no Kattis equivalent"):
        export_kattis(package, tmp_path / "out")
