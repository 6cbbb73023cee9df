"""Per-language limits (`limits.languages`): C++ gets its own, calibrated time limit."""

from __future__ import annotations

import resource
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from graders import ProblemFormatError, load_package, validate_package
from graders.package.model import Limits
from graders.runner import test_limits as limits_for
from sandbox import Sandbox

# Fixed work whose CPU time depends on the machine: the test measures it bare first.
SPIN_CPP = """#include <cstdio>
int main() {
    int n; long long s = 0, x;
    std::scanf("%d", &n);
    for (int i = 0; i < n; ++i) { std::scanf("%lld", &x); s += x; }
    volatile long long spin = 0;
    for (long long i = 0; i < 300000000LL; ++i) spin = spin + 1;
    std::printf("%lld\\n", s);
}
"""


def _with_limits(root: Path, languages: dict[str, dict[str, float]]) -> Path:
    spec = yaml.safe_load((root / "problem.yaml").read_text())
    spec["limits"] = {"time_s": 10, "memory_mb": 256, "languages": languages}
    (root / "problem.yaml").write_text(yaml.safe_dump(spec))
    return root


def test_overrides_apply_to_their_language_only() -> None:
    limits = Limits(time_s=4, memory_mb=512, languages={"cpp": {"time_s": 1}})
    assert limits.for_language("cpp").time_s == 1
    assert limits.for_language("cpp").memory_mb == 512
    assert limits.for_language("cpp").wall_s == 3
    assert limits.for_language("python") == limits


def test_programs_run_under_their_languages_limits(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    root = _with_limits(copy_fixture("sum"), {"cpp": {"time_s": 0.5}})
    package = load_package(root, sandbox=sandbox, cache_dir=tmp_path)
    assert limits_for(package, "cpp").cpu_s == 0.5
    assert limits_for(package, "python").cpu_s == 10


def _bare_cpu_s(source: str, stdin: Path, tmp_path: Path) -> float:
    """The quieter of two bare runs' CPU time: the spin's cost on this machine today."""
    (tmp_path / "spin.cpp").write_text(source)
    subprocess.run(["g++", "-O2", "-o", "spin", "spin.cpp"], cwd=tmp_path, check=True)
    times = []
    for _ in range(2):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with stdin.open("rb") as feed:
            subprocess.run([str(tmp_path / "spin")], stdin=feed, capture_output=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return min(times)


def test_validation_checks_each_languages_limit(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    root = copy_fixture("sum")
    spin_s = _bare_cpu_s(SPIN_CPP, root / "data" / "sample" / "1.in", tmp_path)
    # cpp's limit is 0.3x the spin's quieter bare run: load only adds CPU time, so the
    # spin is over it however busy the machine is, and 30x under Python's 10 s limit
    factor = round(0.3 * spin_s / 10, 4)
    _with_limits(root, {"cpp": {"time_factor": factor}})
    (root / "submissions" / "accepted" / "sum.cpp").write_text(SPIN_CPP)
    # a Python spin up to the 10 s limit has nothing to say here
    (root / "submissions" / "time_limit_exceeded" / "spin.py").unlink()
    report = validate_package(root, sandbox=sandbox, cache_dir=tmp_path / "cache")
    cpp_field = "limits.languages.cpp.time_factor"
    # every error is the slow C++ solution against cpp's limit; the Python one fits its own
    assert report.errors, "the spin fits a limit 0.3x its bare CPU time"
    assert {error.field for error in report.errors} == {cpp_field}, report.errors
    written = yaml.safe_load((root / "problem.yaml").read_text())["limits"]
    cpp_s = Limits.model_validate(written).for_language("cpp")
    tle = next(error for error in report.errors if error.file == "submissions/accepted/sum.cpp")
    assert tle.message.startswith("expected AC, got TLE"), tle
    # the CPU limit, or the wall limit where the machine starved the spin of CPU
    over = (f"CPU time exceeded {cpp_s.time_s:g} s", f"wall time exceeded {cpp_s.wall_s:g} s")
    assert any(text in tle.message for text in over), tle
    python = next(s for s in report.solutions if s.path == "submissions/accepted/sum.py")
    assert python.ok, python


def test_a_factor_scales_the_base_limit() -> None:
    limits = Limits(time_s=5, languages={"cpp": {"time_factor": 0.2}, "c": {"time_s": 0.5}})
    assert limits.for_language("cpp").time_s == 1
    assert limits.for_language("cpp").wall_s == 3
    assert limits.for_language("c").time_s == 0.5
    assert limits.time_field("cpp") == "limits.languages.cpp.time_factor"
    assert limits.time_field("python") == "limits.time_s"


def test_limits_for_a_language_are_checked_at_load(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    cases = [
        ({"java": {"time_s": 1.0}}, "limits.languages.java", "not a language of this problem"),
        ({"cpp": {"time_s": 1.0, "time_factor": 0.5}}, "limits.languages.cpp", "not both"),
        ({"cpp": {"time_factor": 7}}, "limits", "over the 60 s maximum"),
    ]
    root = copy_fixture("sum")
    for languages, field, reason in cases:
        _with_limits(root, languages)
        with pytest.raises(ProblemFormatError) as caught:
            load_package(root, sandbox=sandbox, cache_dir=tmp_path)
        assert caught.value.field == field and reason in caught.value.reason, caught.value
