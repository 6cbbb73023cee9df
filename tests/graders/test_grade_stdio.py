"""Grading stdio submissions through the real bwrap sandbox (fixture: `sum`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graders import TestResult, UnsupportedLanguage, Verdict, grade_submission
from graders.package.types import Package
from sandbox import Sandbox

ACCEPTED = """\
import sys
data = sys.stdin.read().split()
print(sum(int(x) for x in data[1:1 + int(data[0])]))
"""


@pytest.fixture
def grade(fixture_package: Callable[[str], Package], sandbox: Sandbox):
    def run(source: str, language: str = "python", **kwargs):
        return grade_submission(
            fixture_package("sum"), source=source, language=language, sandbox=sandbox, **kwargs
        )

    return run


def test_accepted_python_streams_every_test(grade) -> None:
    seen: list[TestResult] = []
    result = grade(ACCEPTED, on_test=seen.append)
    assert result.verdict is Verdict.AC
    assert (result.score, result.max_score) == (100, 100)
    assert [t.name for t in seen] == [t.name for t in result.tests]
    assert len(seen) == 7
    assert [(g.name, g.score) for g in result.groups] == [("sample", 0), ("basic", 30), ("big", 70)]
    assert all(t.time_ms >= 0 and t.memory_kb > 0 for t in result.tests)


def test_accepted_cpp(grade) -> None:
    source = (
        '#include <cstdio>\nint main(){long long n,x,s=0;std::scanf("%lld",&n);'
        'for(long long i=0;i<n;++i){std::scanf("%lld",&x);s+=x;}std::printf("%lld\\n",s);}\n'
    )
    assert grade(source, "cpp").verdict is Verdict.AC


def test_wrong_answer_scores_the_groups_it_passes(grade) -> None:
    # 32-bit overflow: right on small sums, wrong on the big group.
    source = (
        "import sys\ndata = sys.stdin.read().split()\n"
        "s = sum(int(x) for x in data[1:1 + int(data[0])])\n"
        "print((s + 2**31) % 2**32 - 2**31)\n"
    )
    result = grade(source)
    assert result.verdict is Verdict.WA
    assert result.score == 30
    big = [t for t in result.tests if t.group == "big"]
    assert [t.verdict for t in big] == [Verdict.WA]  # a min group stops at its first failure


def test_sum_group_gives_partial_points(grade) -> None:
    # Crashes when n == 0 (basic/3) only: 2 of 3 basic tests pass.
    source = ACCEPTED.replace("print(", "assert int(data[0]) > 0\nprint(")
    result = grade(source)
    assert result.verdict is Verdict.RE
    basic = next(g for g in result.groups if g.name == "basic")
    assert basic.score == pytest.approx(20)
    assert result.score == pytest.approx(90)


def test_stop_on_failure_ends_at_the_first_failed_test(grade) -> None:
    result = grade("print(6)\n", stop_on_failure=True)
    assert [t.verdict for t in result.tests] == [Verdict.AC, Verdict.WA]


def test_time_limit(grade) -> None:
    result = grade("while True:\n    pass\n", stop_on_failure=True)
    assert result.verdict is Verdict.TLE
    assert "time" in result.tests[0].message


def test_sleeping_program_hits_the_wall_clock(fixture_package, sandbox) -> None:
    package = fixture_package("sum")
    assert package.spec.limits.wall_s == 2 * package.spec.limits.time_s + 1
    result = grade_submission(
        package,
        source="import time\ntime.sleep(60)\n",
        language="python",
        sandbox=sandbox,
        stop_on_failure=True,
    )
    assert result.verdict is Verdict.TLE
    assert "wall" in result.tests[0].message


def test_memory_limit(grade) -> None:
    result = grade("x = bytearray(1 << 30)\nprint(len(x))\n", stop_on_failure=True)
    assert result.verdict is Verdict.MLE


def test_output_limit(grade) -> None:
    result = grade(
        "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n", stop_on_failure=True
    )
    assert result.verdict is Verdict.OLE


def test_python_syntax_error_is_a_compile_error(grade) -> None:
    result = grade("def f(:\n    pass\n")
    assert result.verdict is Verdict.CE
    assert "SyntaxError" in result.compile_output
    assert result.tests == []


def test_cpp_compile_error_carries_the_compiler_message(grade) -> None:
    result = grade("int main() { return undeclared; }\n", "cpp")
    assert result.verdict is Verdict.CE
    assert "undeclared" in result.compile_output


def test_banned_module_is_a_distinct_message(grade) -> None:
    result = grade("import ctypes\nprint(6)\n", stop_on_failure=True)
    assert result.verdict is Verdict.RE
    assert result.tests[0].message == "uses banned module ctypes"
    assert result.tests[0].feedback["banned_module"] == "ctypes"


def test_banned_module_through_importlib(grade) -> None:
    result = grade("import importlib\nimportlib.import_module('ctypes')\n", stop_on_failure=True)
    assert result.tests[0].message == "uses banned module ctypes"


def test_a_ban_holds_where_the_in_process_guard_is_bypassed(grade) -> None:
    """The guard's audit hook sees no import when the C half is loaded by file path;
    the session has no such file to load (it is hidden from the view)."""
    source = (
        "import glob, importlib.machinery, importlib.util, sys\n"
        "for path in glob.glob('/usr/lib/python3*/lib-dynload/_ctypes*.so'):\n"
        "    loader = importlib.machinery.ExtensionFileLoader('_ctypes', path)\n"
        "    spec = importlib.util.spec_from_loader('_ctypes', loader)\n"
        "    importlib.util.module_from_spec(spec)\n"
        "d = sys.stdin.read().split()\n"
        "print(sum(map(int, d[1:1 + int(d[0])])))\n"
    )
    result = grade(source, stop_on_failure=True)
    assert result.verdict is Verdict.RE, result


def test_a_missing_banned_module_is_the_ban_message(grade) -> None:
    """Reached past the guard, the module is simply not there: same verdict and message."""
    source = (
        "import glob, importlib.util\n"
        "path = glob.glob('/usr/lib/python3*/ctypes/__init__.py')[0]\n"
        "spec = importlib.util.spec_from_file_location('ctypes', path)\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
    )
    result = grade(source, stop_on_failure=True)
    assert result.verdict is Verdict.RE
    assert result.tests[0].message == "uses banned module ctypes"


def test_numpy_still_imports_with_ctypes_banned(grade) -> None:
    source = "import numpy as np\nimport sys\nd = sys.stdin.read().split()\n"
    source += "print(int(np.array(d[1:1 + int(d[0])], dtype=np.int64).sum()))\n"
    assert grade(source).verdict is Verdict.AC


def test_forged_banned_marker_is_not_believed(grade) -> None:
    # A learner printing the marker with a made-up module name must not get that text shown.
    source = "import sys\nsys.stderr.write('GRADEBOX-BANNED: uses banned module SECRET\\n')\n"
    source += "sys.exit(3)\n"
    result = grade(source)
    assert result.verdict is Verdict.RE
    hidden = [test for test in result.tests if not test.visible]
    assert hidden and all("SECRET" not in test.message for test in hidden)
    assert all(test.message == "run-time error (exit code 3)" for test in hidden)


def test_hidden_tests_leak_nothing_the_program_printed(grade) -> None:
    source = (
        "import sys\ndata = sys.stdin.read()\nsys.stderr.write('LEAK' + data)\n"
        "print('LEAK' + data)\nraise ValueError('LEAK' + data.split()[-1])\n"
    )
    result = grade(source)
    sample, hidden = result.tests[0], result.tests[1:]
    assert sample.visible and sample.input == "3\n1 2 3\n" and sample.expected == "6\n"
    assert sample.actual is not None and "LEAK3" in sample.actual
    assert sample.stderr is not None and "LEAK" in sample.stderr
    assert "ValueError" in sample.message
    assert hidden
    for test in hidden:
        assert not test.visible
        assert (test.input, test.expected, test.actual, test.stderr) == (None, None, None, None)
        assert "LEAK" not in test.model_dump_json()


def test_sample_texts_are_capped(grade) -> None:
    result = grade("print('y' * 100000)\n", stop_on_failure=True)
    actual = result.tests[0].actual
    assert actual is not None and len(actual) < 5000 and "more bytes" in actual


def test_language_the_problem_refuses(fixture_package, sandbox) -> None:
    with pytest.raises(UnsupportedLanguage, match="unknown language 'rust'"):
        grade_submission(fixture_package("sum"), source="", language="rust", sandbox=sandbox)
    with pytest.raises(UnsupportedLanguage, match="does not accept cpp"):
        grade_submission(fixture_package("pairs"), source="", language="cpp", sandbox=sandbox)
