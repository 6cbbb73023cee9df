"""bubblewrap: fresh user/pid/net/ipc/uts/mount namespaces, read-only system, tmpfs-free
writable workdir only. The default when no Docker daemon answers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sandbox.local import LocalSandbox
from sandbox.registry import register
from sandbox.settings import get_settings
from sandbox.spec import RunSpec

_NOBODY = "65534"


def _runtime_binds(runtime: Path) -> list[str]:
    """Bind the runtime venv and the interpreter it links to, read-only."""
    binds = ["--ro-bind", str(runtime), "/opt/runtime"]
    python = runtime / "bin" / "python3"
    if python.is_symlink():
        target = python.resolve().parent.parent
        if not str(target).startswith("/usr"):
            binds += ["--ro-bind", str(target), str(target)]
    return binds


class BwrapSandbox(LocalSandbox):
    name = "bwrap"

    def wrap(self, spec: RunSpec, workdir: Path) -> tuple[list[str], str]:
        runtime = get_settings().runtime_dir
        argv = [
            shutil.which("bwrap") or "bwrap",
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--uid", _NOBODY,
            "--gid", _NOBODY,
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin",
            "--ro-bind", "/etc/alternatives", "/etc/alternatives",
            *_runtime_binds(runtime),
            "--proc", "/proc",
            "--dev", "/dev",
            "--tmpfs", "/tmp",
            "--bind", str(workdir), "/work",
            "--chdir", "/work",
            "--clearenv",
        ]  # fmt: skip
        for key, value in self.environment(spec, workdir).items():
            argv += ["--setenv", key, value]
        return [*argv, "--", *spec.argv], str(workdir)

    def environment(self, spec: RunSpec, workdir: Path) -> dict[str, str]:
        env = {"PATH": "/opt/runtime/bin:/usr/local/bin:/usr/bin", "HOME": "/work", "LANG": "C.UTF-8"}
        env.update(spec.env)
        return env


def _usable() -> bool:
    return shutil.which("bwrap") is not None and os.path.isdir("/usr")


register("bwrap", BwrapSandbox, _usable)
