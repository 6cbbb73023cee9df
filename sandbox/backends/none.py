"""No isolation at all: rlimits and a temp dir only. For grader unit tests; never
chosen automatically, since learner code would run with the judge's privileges."""

from __future__ import annotations

import sys
from pathlib import Path

from sandbox.local import LocalSandbox, runtime_path
from sandbox.registry import register
from sandbox.settings import get_settings
from sandbox.spec import RunSpec


class NoneSandbox(LocalSandbox):
    name = "none"

    def wrap(self, spec: RunSpec, workdir: Path) -> tuple[list[str], str]:
        return list(spec.argv), str(workdir)

    def environment(self, spec: RunSpec, workdir: Path) -> dict[str, str]:
        runtime = get_settings().runtime_dir
        if not (runtime / "bin" / "python3").exists():
            runtime = Path(sys.executable).parent.parent
        env = {"PATH": runtime_path(runtime), "HOME": str(workdir), "LANG": "C.UTF-8"}
        env.update(spec.env)
        return env


register("none", NoneSandbox, lambda: True, auto=False)
