"""Tiny problem packages written into tmp folders: fast to grade, fully real."""

from __future__ import annotations

import textwrap
from pathlib import Path

from sqlalchemy import select

from backend.db.models import Problem
from backend.db.session import make_engine, make_sessionmaker
from backend.settings import Settings
from graders import ProblemType

ACCEPTED = "a, b = map(int, input().split())\nprint(a + b)\n"
WRONG = "a, b = map(int, input().split())\nprint(a - b)\n"
LOOP = "while True:\n    pass\n"
SLOW = "import time\na, b = map(int, input().split())\ntime.sleep(1.5)\nprint(a + b)\n"
CRASH = "raise SystemExit(3)\n"

TESTS = {
    "sample/01": ("1 2\n", "3\n"),
    "sample/02": ("10 -4\n", "6\n"),
    "secret/main/01": ("100 200\n", "300\n"),
    "secret/main/02": ("-5 -6\n", "-11\n"),
}


def write_problem(
    parent: Path,
    slug: str = "add-two",
    *,
    visibility: str = "public",
    time_s: float = 1.0,
    name: str = "Add two numbers",
    extra_secret: int = 0,
    statement: str = "Read $a$ and $b$; print $a + b$.\n",
    extra_yaml: str = "",
) -> Path:
    root = parent / slug
    (root / "data" / "sample").mkdir(parents=True)
    (root / "data" / "secret" / "main").mkdir(parents=True)
    (root / "problem.yaml").write_text(
        textwrap.dedent(
            f"""\
            name: {name}
            type: stdio
            difficulty: easy
            tags: [math, warm-up]
            visibility: {visibility}
            languages: [python]
            limits: {{time_s: {time_s}, memory_mb: 256}}
            checker: {{name: tokens}}
            groups:
              - {{name: sample, points: 0}}
              - {{name: main, points: 100, mode: sum}}
            """
        )
        + extra_yaml
    )
    (root / "statement.md").write_text(f"# {name}\n\n{statement}")
    (root / "editorial.md").write_text("Use `+`. The editorial secret is 42.\n")
    (root / "templates").mkdir()
    (root / "templates" / "python.py").write_text("a, b = map(int, input().split())\n")
    tests = dict(TESTS)
    for i in range(extra_secret):
        tests[f"secret/main/{i + 3:02d}"] = (f"{i} {i}\n", f"{2 * i}\n")
    for name_, (given, answer) in tests.items():
        base = root / "data" / name_
        base.with_suffix(".in").write_text(given)
        base.with_suffix(".ans").write_text(answer)
    for verdict, source in (("accepted", ACCEPTED), ("wrong_answer", WRONG)):
        (root / "submissions" / verdict).mkdir(parents=True)
        (root / "submissions" / verdict / "sol.py").write_text(source)
    return root


def mark_kernel(settings: Settings, slug: str = "add-two") -> None:
    """The seeded stdio problem, marked `kernel` (the judge is faked: only the rows
    it posts matter here)."""
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            problem = session.scalar(select(Problem).where(Problem.slug == slug))
            assert problem is not None and problem.current_version is not None
            problem.current_version.type = ProblemType.KERNEL
            session.commit()
    finally:
        engine.dispose()
