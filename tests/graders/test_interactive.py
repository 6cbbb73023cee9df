"""Interactive problems: the learner's program and the interactor in two sandboxes,
joined by the judge; verdicts for every way an interaction can end, never a hang."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graders import Verdict, grade_submission, load_package
from graders.package.types import Package
from sandbox import Limits, RunSpec, RunStatus, Sandbox
from sandbox.stream import run_pair

PROBLEM = Path(__file__).resolve().parents[2] / "problems" / "guess-the-number"
SOLUTIONS = PROBLEM / "submissions"


@pytest.fixture(scope="module")
def package() -> Package:
    return load_package(PROBLEM, generate=False)


def grade(package: Package, sandbox: Sandbox, source: str, language: str = "python") -> Verdict:
    result = grade_submission(
        package, source=source, language=language, sandbox=sandbox, stop_on_failure=True
    )
    return result.verdict


@pytest.mark.parametrize(
    ("solution", "expected"),
    [
        ("accepted/binary_search.py", Verdict.AC),
        ("accepted/binary_search.cpp", Verdict.AC),
        ("wrong_answer/one_by_one.py", Verdict.WA),
        ("wrong_answer/never_asks_n.py", Verdict.WA),
        ("time_limit_exceeded/no_flush.py", Verdict.TLE),
        ("run_time_error/divides_by_zero.py", Verdict.RE),
    ],
)
def test_bundled_solutions(
    package: Package, sandbox: Sandbox, solution: str, expected: Verdict
) -> None:
    language = "cpp" if solution.endswith(".cpp") else "python"
    assert grade(package, sandbox, (SOLUTIONS / solution).read_text(), language) is expected


def test_full_result_and_messages(package: Package, sandbox: Sandbox) -> None:
    source = (SOLUTIONS / "accepted" / "binary_search.py").read_text()
    result = grade_submission(package, source=source, language="python", sandbox=sandbox)
    assert result.verdict is Verdict.AC and result.score == result.max_score == 100
    assert len(result.tests) == len(package.tests)
    wrong = "n = int(input())\nprint('! 0', flush=True)\n"
    result = grade_submission(package, source=wrong, language="python", sandbox=sandbox)
    sample = result.tests[0]
    assert result.verdict is Verdict.WA and sample.visible
    assert sample.message == "wrong final answer"  # teammessage.txt


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Stops reading: asks once, then never reads the answer and never ends.
        ("import time\nn = int(input())\nprint('? 1', flush=True)\ntime.sleep(60)\n", Verdict.TLE),
        # Never reads at all, floods its output: the judge rejects the first bad line.
        ("while True:\n    print('spam', flush=True)\n", Verdict.WA),
        # Ends at once without a word.
        ("pass\n", Verdict.WA),
        # Exits with an error before the judge has decided.
        ("import sys\nsys.exit(3)\n", Verdict.RE),
        # Busy loop without talking.
        ("while True:\n    pass\n", Verdict.TLE),
    ],
)
def test_misbehaving_programs(
    package: Package, sandbox: Sandbox, source: str, expected: Verdict
) -> None:
    assert grade(package, sandbox, source) is expected


def _with_interactor(tmp_path: Path, interactor: str) -> Package:
    root = tmp_path / "guess"
    shutil.copytree(PROBLEM, root)
    (root / "interactor.py").write_text(interactor)
    spec = (root / "problem.yaml").read_text()  # a short CPU limit for the hanging one
    (root / "problem.yaml").write_text(spec + "checker: {options: {time_s: 1}}\n")
    return load_package(root, generate=False)


@pytest.mark.parametrize(
    "interactor",
    [
        "import sys\nsys.exit(1)\n",  # crashes
        "import sys\nprint(1, flush=True)\nsys.exit(0)\n",  # breaks the 42/43 convention
        "import time\nprint(10, flush=True)\ntime.sleep(600)\n",  # hangs after the program
    ],
)
def test_a_broken_interactor_is_an_internal_error(
    tmp_path: Path, sandbox: Sandbox, interactor: str
) -> None:
    package = _with_interactor(tmp_path, interactor)
    package = package.__class__(**{**package.__dict__, "tests": package.tests[:1]})
    source = "n = int(input())\nprint('! 1', flush=True)\n"
    assert grade(package, sandbox, source) is Verdict.IE


def test_run_pair_relays_both_ways(sandbox: Sandbox) -> None:
    """Two sandboxes, each one's stdout the other's stdin: a ping-pong of 200 lines."""
    ping = (
        "import sys\n"
        "for i in range(200):\n"
        "    print(i, flush=True)\n"
        "    assert int(sys.stdin.readline()) == i + 1\n"
    )
    pong = "import sys\nfor line in sys.stdin:\n    print(int(line) + 1, flush=True)\n"
    limits = Limits(wall_s=60, cpu_s=30)
    with (
        sandbox.session({"ping.py": ping.encode()}) as a,
        sandbox.session({"pong.py": pong.encode()}) as b,
    ):
        pair = run_pair(
            (a, RunSpec(argv=("python3", "ping.py"), limits=limits)),  # type: ignore[arg-type]
            (b, RunSpec(argv=("python3", "pong.py"), limits=limits)),  # type: ignore[arg-type]
        )
        assert pair.first.status is RunStatus.OK and pair.first.exit_code == 0
        assert pair.second.status is RunStatus.OK and pair.second.exit_code == 0
        assert pair.first_ended_first  # pong ends when ping's output closes
        # The sessions stay usable after a streamed run.
        again = a.run(RunSpec(argv=("python3", "-c", "print(7)")))
        assert again.stdout == b"7\n"


def test_a_sandbox_that_cannot_stream_says_so(package: Package) -> None:
    from sandbox import get_sandbox

    source = (SOLUTIONS / "accepted" / "binary_search.py").read_text()
    result = grade_submission(
        package, source=source, language="python", sandbox=get_sandbox("none")
    )
    assert result.verdict is Verdict.IE
    assert "cannot run interactive problems" in result.message
