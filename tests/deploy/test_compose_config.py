"""docker-compose.yml as each supported Compose renders it (`config`; no engine needed):
Debian's docker-compose 1.29 and Compose v2 (`docker compose`, the CLI plugin that
scripts/setup-system installs). The optional parts, which this machine cannot start for
real (no GPU) or which tests/deploy/test_compose.py starts only once (gVisor), are
checked here for each: the `gpu` profile adds `gpu-judge` with an NVIDIA device
reservation and only with the profile; `GRADEBOX_DOCKER_RUNTIME=runsc` reaches every
judgehost and the proxy admits it; the secrets are required.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from tests.deploy.compose import COMPOSE, compose_env

REPO = Path(__file__).resolve().parents[2]
SECRETS = {
    "GRADEBOX_DB_PASSWORD": "db-pw-for-config",
    "GRADEBOX_SECRET_KEY": "secret-for-config",
    "GRADEBOX_JUDGE_TOKEN": "token-for-config",
}


def _config(compose: list[str], tmp_path: Path, values: dict[str, str], *args: str):
    env_file = tmp_path / "env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    argv = [*compose, "-p", "gbconfig", "--env-file", str(env_file), *args, "config"]
    return subprocess.run(
        argv, cwd=REPO, capture_output=True, text=True, timeout=120, env=compose_env()
    )


def _rendered(compose, tmp_path, values, *args) -> dict:
    proc = _config(compose, tmp_path, values, *args)
    assert proc.returncode == 0, proc.stderr
    return yaml.safe_load(proc.stdout)


@pytest.fixture(params=sorted(COMPOSE), ids=str)
def compose(request) -> list[str]:
    return COMPOSE[request.param]


def test_the_default_stack_has_no_gpu_judge_and_runs_sandboxes_with_runc(compose, tmp_path):
    services = _rendered(compose, tmp_path, SECRETS)["services"]
    # v1.29 lists profiled services in `config` but starts them only with the profile
    started = {name for name, svc in services.items() if not svc.get("profiles")}
    assert started == {"db", "api", "dockerproxy", "judge"}
    assert services["judge"]["environment"]["GRADEBOX_DOCKER_RUNTIME"] == "runc"
    # the api's own sandboxes (runs, package validation) go through the proxy too
    api = services["api"]["environment"]
    assert api["GRADEBOX_SANDBOX"] == "docker"
    assert api["DOCKER_HOST"] == "tcp://dockerproxy:2375"
    assert "sandboxapi" in services["api"]["networks"]
    assert not services["api"].get("volumes") or all(
        "docker.sock" not in str(v) for v in services["api"]["volumes"]
    )
    assert "devices" not in str(services["judge"].get("deploy", {}))


def test_the_gpu_profile_reserves_the_gpus(compose, tmp_path):
    services = _rendered(compose, tmp_path, SECRETS, "--profile", "gpu")["services"]
    gpu = services["gpu-judge"]
    assert gpu["profiles"] == ["gpu"]
    assert gpu["command"][-2:] == ["--capability", "gpu"]
    (device,) = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and device["capabilities"] == ["gpu"]
    assert device["count"] in ("all", -1)  # v1 writes "all", v2 its -1
    # as locked down as a cpu judgehost: no socket, no capabilities, read-only
    assert gpu["cap_drop"] == ["ALL"] and gpu["read_only"] is True
    assert not gpu.get("volumes")
    assert gpu["environment"]["DOCKER_HOST"] == "tcp://dockerproxy:2375"


def test_gvisor_reaches_every_judgehost_and_the_proxy_admits_it(compose, tmp_path):
    values = {**SECRETS, "GRADEBOX_DOCKER_RUNTIME": "runsc"}
    services = _rendered(compose, tmp_path, values, "--profile", "gpu")["services"]
    for name in ("api", "judge", "gpu-judge"):
        assert services[name]["environment"]["GRADEBOX_DOCKER_RUNTIME"] == "runsc"
    assert "--runtime=runsc" in services["dockerproxy"]["command"]


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_a_missing_secret_stops_compose_with_its_name(compose, tmp_path, missing):
    values = {k: v for k, v in SECRETS.items() if k != missing}
    proc = _config(compose, tmp_path, values)
    assert proc.returncode != 0
    assert missing in proc.stderr
