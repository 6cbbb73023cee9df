"""Settings of the execution layer (environment variables with the GRADEBOX_ prefix).

Each `GRADEBOX_` variable has one owner: this class owns the sandbox's, the choice of
backend (`GRADEBOX_SANDBOX`) included; `graders/settings.py` owns the grader's and
`backend/settings.py` the service's (`tests/test_settings_owners.py` checks it).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

_REPO_ROOT = Path(__file__).resolve().parents[1]


class SandboxSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRADEBOX_", env_file=".env", extra="ignore")

    # docker | bwrap | none | auto (docker when a daemon answers, else bwrap); the
    # backend refuses `none` for the service (`backend/service_sandbox.py`).
    sandbox: str = "auto"
    # Interpreter environment that learner code runs with: a venv built from Debian's
    # /usr/bin/python3 (fast start-up) with numpy and torch; `make` builds it.
    runtime_dir: Path = _REPO_ROOT / ".runtime"
    docker_image: str = "gradebox-sandbox:latest"
    docker_runtime: str = "runc"  # or "runsc" for gVisor
    # A container's whole-session caps (each test also gets its own rlimits).
    docker_memory_mb: int = 2048
    docker_pids: int = 256
    # Under gVisor the container's pids limit counts the sandbox kernel's own host
    # threads (about 200 at rest), not the learner's processes; RLIMIT_NPROC inside
    # bounds those per test.
    docker_runsc_pids: int = 4096
    docker_cpus: float = 1.0
    # How long the automatic choice waits for a Docker daemon to answer.
    docker_probe_timeout_s: float = 2.0
    # Size caps of the sandbox's tmpfs /work (files, compiler output) and /tmp.
    workdir_mb: int = 256
    tmp_mb: int = 64
    # Size cap of /dev/shm (bwrap's /dev would otherwise give it half the RAM).
    shm_mb: int = 64
    # bwrap without root (user namespace per run, rlimits only) is a weaker mode:
    # allowed for development, refused in production unless this says yes.
    allow_unprivileged_bwrap: bool = False
    # Warm interpreters (`sandbox/zygote.py`) for sessions that ask for them; false
    # starts every test cold (the fallback, same results).
    warm: bool = True
    # Parent cgroup (v1 or v2) under which per-run cgroups are made when writable.
    cgroup_parent: str = "gradebox"


@lru_cache(maxsize=1)
def get_settings() -> SandboxSettings:
    return SandboxSettings()
