"""A warm stdio test forks from an interpreter that has already imported what the
stdio runner imports before the learner's code (`graders.kinds.base.RUNNER_PRELOAD`):
otherwise every test imports it again in its own process (`pkgutil`, which
`runpy.run_path` imports, was 4 ms of a 7.5 ms warm test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graders import load_package
from graders.kinds import get_kind
from graders.runner import resolve_language, warm_spec
from sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]

SHOW_MODULES = "import sys\nprint('\\n'.join(sorted(sys.modules)))\n"


def _modules(argv: list[str], cwd: Path) -> set[str]:
    out = subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "0"}
    ).stdout
    return set(out.split())


@pytest.mark.parametrize(
    "root",
    ["tests/graders/fixtures/sum", "problems/guess-the-number"],
    ids=["stdio", "interactive"],
)
def test_the_warm_interpreter_has_what_the_runner_imports(
    root: str, sandbox: Sandbox, cache_dir: Path, tmp_path: Path
) -> None:
    package = load_package(ROOT / root, sandbox=sandbox, cache_dir=cache_dir)
    language = resolve_language(package, "python")
    kind = get_kind(package.spec.type)
    for file, data in kind.workdir_files(package, SHOW_MODULES, language).items():
        (tmp_path / file).parent.mkdir(exist_ok=True)
        (tmp_path / file).write_bytes(data)
    argv = list(kind.run_argv(package, language))
    runner = _modules([sys.executable, *argv[1:]], tmp_path)  # as a cold test sees them
    warm = warm_spec(package, language)
    assert warm is not None
    names = list(warm.preload)
    preload = f"import importlib\nfor m in {names!r}: importlib.import_module(m)\n"
    served = _modules([sys.executable, "-c", preload + SHOW_MODULES], tmp_path)
    harness = {"__main__", "gradebox_guard", "gradebox_protocol"}
    assert runner - served - harness == set()
