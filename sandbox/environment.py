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
        # PyPy sizes its nursery at half the last-level cache: 240 MB on a judge with
        # a 480 MB L3, more than a 256 MB address-space cap, so every PyPy program
        # aborted there ("cannot allocate nursery"). A fixed size also keeps a PyPy
        # program's memory and speed from depending on which judge ran it.
        "PYPY_GC_NURSERY": "16M",
    }
    env.update(spec.env)
    return env
