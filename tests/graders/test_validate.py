"""`validate_package`: every check can fail, and says why (file and reason)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graders import Verdict, validate_package
from graders.lint import lint_statement
from graders.package.model import ProblemType
from graders.scaffold import scaffold
from sandbox import Sandbox


def test_sum_fixture_validates(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    report = validate_package(copy_fixture("sum"), sandbox=sandbox, cache_dir=tmp_path / "cache")
    assert report.ok, report.errors
    assert report.generators_deterministic is True
    got = {s.path.split("/")[1]: s.got for s in report.solutions}
    assert got == {
        "accepted": Verdict.AC,
        "wrong_answer": Verdict.WA,
        "time_limit_exceeded": Verdict.TLE,
        "run_time_error": Verdict.RE,
        "compile_error": Verdict.CE,
    }
    assert report.slowest_accepted_ms is not None and report.time_limit_ms == 1000
    assert '"ok": true' in report.model_dump_json().replace(" ", "").replace(
        '"ok":true', '"ok": true'
    )


def test_every_failure_is_reported(tmp_path: Path, sandbox: Sandbox) -> None:
    root = scaffold("broken-demo", ProblemType.STDIO, tmp_path)
    # 1. a wrong solution filed as accepted
    (root / "submissions" / "accepted" / "off_by_one.py").write_text(
        "a, b = map(int, input().split())\nprint(a + b + 1)\n"
    )
    # 2. a generator that is not deterministic
    (root / "generators" / "gen.py").write_text(
        "import random\nprint(random.randint(0, 10**9), random.randint(0, 10**9))\n"
    )
    # 3. unbalanced math in the statement
    (root / "statement.md").write_text("# Demo\n\nPrint $a + b.\n")
    # 4. a solution with no language
    (root / "submissions" / "accepted" / "notes.txt").write_text("hello\n")
    # 5. a starter template that does not compile
    (root / "templates" / "cpp.cpp").write_text("int main() { return }\n")
    report = validate_package(root, sandbox=sandbox, cache_dir=tmp_path / "cache")
    assert not report.ok
    messages = [str(error) for error in report.errors]
    assert any(
        m.startswith("submissions/accepted/off_by_one.py: expected AC, got WA") for m in messages
    )
    assert any("printed a different test on a second run" in m for m in messages)
    assert any(m.startswith("statement.md: line 3: unbalanced $") for m in messages)
    assert any(m.startswith("submissions/accepted/notes.txt:") for m in messages)
    assert any(
        m.startswith("templates/cpp.cpp: the starter template does not compile") for m in messages
    )
    assert report.generators_deterministic is False


def test_time_limit_needs_three_times_the_slowest_accepted(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    root = scaffold("slow-demo", ProblemType.STDIO, tmp_path)
    assert "time_s: 1," in (root / "problem.yaml").read_text()
    # 0.6 s of CPU under a 1 s limit: the miss is measured again, and only a
    # calibration over 1.8x slower than at the start could excuse it.
    (root / "submissions" / "accepted" / "add.py").write_text(
        "import time\nend = time.process_time() + 0.6\n"
        "while time.process_time() < end:\n    pass\n"
        "a, b = map(int, input().split())\nprint(a + b)\n"
    )
    report = validate_package(root, sandbox=sandbox, cache_dir=tmp_path / "cache")
    assert [str(e).split(":")[0:2] for e in report.errors] == [["problem.yaml", " limits.time_s"]]
    assert "less than 3x the slowest accepted test" in report.errors[0].message
    assert "measured again" in report.errors[0].message


def test_unloadable_package_gives_one_error(tmp_path: Path, sandbox: Sandbox) -> None:
    (tmp_path / "problem.yaml").write_text("name: [unclosed\n")
    report = validate_package(tmp_path, sandbox=sandbox)
    assert not report.ok
    assert report.errors[0].file == "problem.yaml"
    assert "YAML syntax error" in report.errors[0].message


def test_statement_lint() -> None:
    assert lint_statement("# T\n\n$x$ and $$y$$ and `a $ b`\n\n```\n$ shell\n```\n") == []
    assert lint_statement("") == ["the statement is empty"]
    assert lint_statement("$$\nx\n") == ["unbalanced $$ (a display math block is not closed)"]
    assert "code fence" in lint_statement("```\ncode\n")[0]
    assert lint_statement("cost \\$5 and $x$\n") == []
