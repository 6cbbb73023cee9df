"""Per-language limits (`limits.languages`): C++ gets its own, calibrated time limit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from graders import ProblemFormatError, load_package, validate_package
from graders.package.model import Limits
from graders.runner import test_limits as limits_for
from sandbox import Sandbox

# About half a second of CPU in C++: over a third of a 1 s limit, under the limit itself.
SPIN_CPP = """#include <cstdio>
int main() {
    int n; long long s = 0, x;
    std::scanf("%d", &n);
    for (int i = 0; i < n; ++i) { std::scanf("%lld", &x); s += x; }
    volatile long long spin = 0;
    for (long long i = 0; i < 600000000LL; ++i) spin = spin + 1;
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


def test_validation_checks_each_languages_limit(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    root = _with_limits(copy_fixture("sum"), {"cpp": {"time_factor": 0.1}})
    (root / "submissions" / "accepted" / "sum.cpp").write_text(SPIN_CPP)
    report = validate_package(root, sandbox=sandbox, cache_dir=tmp_path)
    fields = [error.field for error in report.errors]
    # the 10 s Python limit is fine; the slow C++ solution breaks the 3x rule of cpp's
    # 0.1 x 10 s (fixed work: a calibration measured around it scales with it)
    assert fields == ["limits.languages.cpp.time_factor"], report.errors
    assert "time limit 1 s (cpp)" in report.errors[0].message


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
