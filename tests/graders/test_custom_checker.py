"""A custom `checker.py` in its own sandbox: accept, reject, partial credit, and what
reaches the learner."""

from __future__ import annotations

import pytest

from graders import Verdict, grade_submission, load_package
from graders.package.types import Package
from sandbox import Sandbox

# Accepts any divisor of the input number; a proper divisor earns half the points.
CHECKER = """\
import sys

n = int(open(sys.argv[1]).read())
feedback = sys.argv[3]
try:
    d = int(sys.stdin.read().split()[0])
except (ValueError, IndexError):
    open(feedback + "teammessage.txt", "w").write("print one integer")
    sys.exit(43)
if d <= 0 or n % d:
    open(feedback + "judgemessage.txt", "w").write(f"{d} does not divide {n}")
    sys.exit(43)
open(feedback + "score.txt", "w").write("1" if d in (1, n) else "0.5")
sys.exit(42)
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Package:
    root = tmp_path_factory.mktemp("divisor") / "divisor"
    files = {
        "problem.yaml": "name: Divisor\nchecker: {name: custom}\n"
        "groups:\n  - {name: sample, points: 0}\n  - {name: secret, points: 10, mode: sum}\n",
        "statement.md": "# Divisor\n\nPrint a divisor of $n$.\n",
        "checker.py": CHECKER,
        "data/sample/1.in": "6\n",
        "data/sample/1.ans": "6\n",
        "data/secret/1.in": "12\n",
        "data/secret/1.ans": "12\n",
        "data/secret/2.in": "35\n",
        "data/secret/2.ans": "35\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return load_package(root, generate=False)


def grade(package: Package, sandbox: Sandbox, source: str):
    return grade_submission(package, source=source, language="python", sandbox=sandbox)


def test_full_credit(package: Package, sandbox: Sandbox) -> None:
    result = grade(package, sandbox, "print(int(input()))\n")
    assert result.verdict is Verdict.AC and result.score == 10


def test_partial_credit_from_score_file(package: Package, sandbox: Sandbox) -> None:
    source = "n = int(input())\nprint(next(d for d in range(2, n + 1) if n % d == 0))\n"
    result = grade(package, sandbox, source)
    assert result.verdict is Verdict.AC
    assert result.score == pytest.approx(5)  # two proper divisors, half the points each


def test_rejection_messages(package: Package, sandbox: Sandbox) -> None:
    result = grade(package, sandbox, "print(5)\n")
    assert result.verdict is Verdict.WA
    sample = result.tests[0]
    assert sample.message == "5 does not divide 6"  # judgemessage: samples only
    hidden = [t for t in result.tests if not t.visible]
    assert hidden[0].message == "rejected by the checker"
    words = grade(package, sandbox, "print('many')\n")
    assert all(t.message == "print one integer" for t in words.tests)  # teammessage: always


def test_the_checker_never_sees_the_learner_sandbox(package: Package, sandbox: Sandbox) -> None:
    # The learner's program cannot read checker.py or the answer: neither is in its workdir.
    source = "import os\nprint(int(input()))\nassert not os.path.exists('checker.py')\n"
    source += "names = os.listdir('.')\n"
    source += "assert not any(n.endswith('.ans') or n == 'judge_answer' for n in names)\n"
    assert grade(package, sandbox, source).verdict is Verdict.AC


@pytest.mark.parametrize(
    "output",
    [
        b"",
        b"\xff\xfe\x80 \xc3\x28",
        b"[" * 100_000,
        b"9" * 10_000,
        b"NaN -Infinity",
        b"\x00" * 4096,
        b"12\n" * 20_000,
    ],
)
def test_learner_bytes_reach_the_checker_as_data(
    package: Package, sandbox: Sandbox, output: bytes
) -> None:
    """Whatever the learner printed, the custom checker's run is AC or WA, never IE:
    the bytes travel to checker.py's stdin and only the runner's report is parsed."""
    from graders.checkers import CheckContext, get_checker

    test = next(t for t in package.tests if not t.visible)
    ctx = CheckContext(
        input=test.input,
        answer=test.answer,
        output=output,
        visible=False,
        options={},
        package=package,
        sandbox=sandbox,
    )
    result = get_checker("custom").check(ctx)
    assert result.verdict in (Verdict.AC, Verdict.WA), result
    assert output[:20].decode("utf-8", "replace") not in result.message or not output.strip()
