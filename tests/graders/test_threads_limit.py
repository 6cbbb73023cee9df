"""`limits.threads`: how many CPUs a test's processes may keep busy at once (default 1),
checked when the package loads and fed to the sandbox's `Limits.cpus`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from graders import load_package
from graders.errors import ProblemFormatError
from graders.runner import test_limits as limits_for
from sandbox import Sandbox


def _with_threads(root: Path, threads: object) -> Path:
    spec = yaml.safe_load((root / "problem.yaml").read_text())
    spec.setdefault("limits", {})["threads"] = threads
    (root / "problem.yaml").write_text(yaml.safe_dump(spec))
    return root


def test_one_cpu_per_test_by_default(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    package = load_package(copy_fixture("sum"), sandbox=sandbox, cache_dir=tmp_path)
    assert package.spec.limits.threads == 1
    assert limits_for(package, "python").cpus == 1


def test_threads_reach_the_sandbox_limits(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path
) -> None:
    root = _with_threads(copy_fixture("sum"), 4)
    package = load_package(root, sandbox=sandbox, cache_dir=tmp_path)
    assert limits_for(package, "python").cpus == 4
    assert limits_for(package, "cpp").cpus == 4


@pytest.mark.parametrize("bad", [0, -1, 17, "many", 1.5])
def test_bad_threads_are_refused_when_the_package_loads(
    copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path, bad: object
) -> None:
    root = _with_threads(copy_fixture("sum"), bad)
    with pytest.raises(ProblemFormatError, match="threads"):
        load_package(root, sandbox=sandbox, cache_dir=tmp_path)
