"""`gradebox grade` and `gradebox problem ...`: output, JSON form and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backend.cli.main import app

from .conftest import FIXTURES

SUM = FIXTURES / "sum"
runner = CliRunner()


def invoke(*args: str | Path):
    return runner.invoke(app, [str(arg) for arg in args])


@pytest.fixture(autouse=True)
def private_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from graders.settings import get_settings

    monkeypatch.setenv("GRADEBOX_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cli-cache"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_grade_json_accepted() -> None:
    source = SUM / "submissions" / "accepted" / "sum.py"
    result = invoke(
        "grade", "--problem", SUM, "--language", "python", source, "--json", "--sandbox", "bwrap"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["verdict"] == "AC" and report["score"] == 100
    assert len(report["tests"]) == 7
    assert {"verdict", "time_ms", "memory_kb"} <= set(report["tests"][0])


def test_grade_human_output_and_wrong_answer_exit_code() -> None:
    source = SUM / "submissions" / "wrong_answer" / "int32.cpp"
    result = invoke("grade", "--problem", SUM, source, "--sandbox", "bwrap")
    assert result.exit_code == 1
    assert "basic/1" in result.stdout and "WA" in result.stdout
    assert "score 30/100" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--problem", SUM, "missing.py"], "no such file: missing.py"),
        (["--problem", SUM, "-l", "rust", SUM / "statement.md"], "unknown language 'rust'"),
        (["--problem", SUM, SUM / "statement.md"], "cannot tell the language of statement.md"),
        (
            [
                "--problem",
                FIXTURES / "broken" / "unknown-checker",
                SUM / "submissions/accepted/sum.py",
            ],
            "unknown checker",
        ),
        (
            ["--problem", SUM, "--sandbox", "nope", SUM / "submissions/accepted/sum.py"],
            "unknown sandbox backend",
        ),
    ],
)
def test_grade_usage_errors(args: list[str | Path], message: str) -> None:
    result = invoke("grade", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_console_script_exit_code_without_traceback() -> None:
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "gradebox"),
            "grade",
            "--problem",
            str(SUM),
            "nothing.py",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "no such file" in proc.stderr and "Traceback" not in proc.stderr


def test_grade_function_and_tensor_problems(tmp_path: Path) -> None:
    pairs = FIXTURES / "pairs"
    result = invoke(
        "grade",
        "-p",
        pairs,
        pairs / "submissions/accepted/tuples.py",
        "--json",
        "--sandbox",
        "bwrap",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["verdict"] == "AC"
    assert invoke("problem", "new", "relu", "--type", "tensor", "--dir", tmp_path).exit_code == 0
    relu = tmp_path / "relu"
    wrong = invoke(
        "grade",
        "-p",
        relu,
        relu / "submissions/wrong_answer/abs.py",
        "--json",
        "--sandbox",
        "bwrap",
    )
    assert wrong.exit_code == 1
    assert json.loads(wrong.stdout)["verdict"] == "WA"


def test_validate_json_on_a_broken_package() -> None:
    result = invoke(
        "problem",
        "validate",
        FIXTURES / "broken" / "traversal-group-path",
        "--json",
        "--sandbox",
        "bwrap",
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["errors"][0]["file"] == "problem.yaml"
    assert report["errors"][0]["field"] == "groups.1.path"


def test_validate_usage_error() -> None:
    result = invoke("problem", "validate", "no/such/dir")
    assert result.exit_code == 2 and "no such package folder" in result.stderr


@pytest.mark.parametrize("kind", ["stdio", "function", "tensor"])
def test_new_scaffold_validates(kind: str, tmp_path: Path) -> None:
    created = invoke("problem", "new", f"demo-{kind}", "--type", kind, "--dir", tmp_path)
    assert created.exit_code == 0, created.output
    result = invoke("problem", "validate", tmp_path / f"demo-{kind}", "--sandbox", "bwrap")
    assert result.exit_code == 0, result.output
    assert "OK" in result.stdout and "accepted/" in result.stdout


def test_new_refuses_bad_input(tmp_path: Path) -> None:
    assert invoke("problem", "new", "x", "--type", "kernel", "--dir", tmp_path).exit_code == 2
    assert invoke("problem", "new", "../escape", "--dir", tmp_path).exit_code == 2
    assert invoke("problem", "new", "twice", "--dir", tmp_path).exit_code == 0
    again = invoke("problem", "new", "twice", "--dir", tmp_path)
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_import_kattis(tmp_path: Path) -> None:
    out = tmp_path / "different"
    result = invoke("problem", "import-kattis", FIXTURES / "kattis" / "different", out)
    assert result.exit_code == 0, result.output
    assert (out / "problem.yaml").is_file()
    assert (out / "output_validator" / "validate.py").is_file()
    assert "3 tests" in " ".join(result.stdout.split())  # (wrapped at the terminal's width)
    bad = invoke("problem", "import-kattis", tmp_path / "missing", tmp_path / "x")
    assert bad.exit_code == 2 and "no such folder" in bad.stderr
    unknown = invoke("problem", "export-kattis", "no-such-problem", tmp_path / "y")
    assert unknown.exit_code == 2 and "no problem 'no-such-problem'" in unknown.stderr
