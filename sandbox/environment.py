"""The environment a sandboxed program sees: fixed values plus the spec's own, never
the judge's (which may hold secrets, cf. Judge0 CVE-2024-29021)."""

from __future__ import annotations

from sandbox.spec import RunSpec


def sandbox_environment(spec: RunSpec, path: str) -> dict[str, str]:
    env = {
        "PATH": path,
        "HOME": "/work",
        "LANG": "C.UTF-8",
        "TMPDIR": "/tmp",
        "USER": "learner",  # getpass.getuser() without a passwd entry
        "LOGNAME": "learner",
    }
    env.update(spec.env)
    return env
