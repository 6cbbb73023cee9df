"""The restricted Docker API (deploy/docker_proxy.py): what judgehost containers talk to
instead of the host's Docker socket.

The policy is checked on its own (fast), then a real proxy process in front of the real
daemon: the docker sandbox backend grades through it unchanged, while a privileged,
host-mounting, other-image or exec request is refused before it reaches dockerd.
"""

from __future__ import annotations

import copy
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.docker_proxy import Policy, Refused, check_create

REPO = Path(__file__).resolve().parents[2]
PROXY = REPO / "deploy" / "docker_proxy.py"
SANDBOX_IMAGE = "gradebox-sandbox:latest"

# What sandbox.backends.docker sends (docker-py's create body), trimmed to what matters.
HARDENED = {
    "Image": SANDBOX_IMAGE,
    "Labels": {"org.gradebox.sandbox": "1"},
    "User": "0:0",
    "Cmd": ["/usr/bin/python3", "-I", "-S", "/opt/gradebox/agent.py"],
    "HostConfig": {
        "NetworkMode": "none",
        "ReadonlyRootfs": True,
        "Tmpfs": {"/work": "rw,exec,size=256m", "/tmp": "rw,noexec,size=64m"},
        "CapDrop": ["ALL"],
        "CapAdd": ["SETUID", "SETGID", "KILL", "SYS_ADMIN"],
        "SecurityOpt": ["no-new-privileges"],
        "PidsLimit": 256,
        "Memory": 2 << 30,
        "MemorySwap": 2 << 30,
        "NanoCpus": 1_000_000_000,
        "IpcMode": "private",
        "Runtime": "runc",
    },
}
POLICY = Policy(images=frozenset({SANDBOX_IMAGE}), runtimes=frozenset({"runc", "runsc"}))


def _with(path: str, value):
    body = copy.deepcopy(HARDENED)
    *parents, last = path.split(".")
    node = body
    for key in parents:
        node = node[key]
    node[last] = value
    return body


def test_the_hardened_sandbox_passes():
    check_create(HARDENED, POLICY)


@pytest.mark.parametrize(
    ("path", "value", "why"),
    [
        ("HostConfig.Privileged", True, "privileged"),
        ("HostConfig.Binds", ["/:/host"], "Binds"),
        ("HostConfig.Mounts", [{"Type": "bind", "Source": "/", "Target": "/h"}], "Mounts"),
        ("HostConfig.Devices", [{"PathOnHost": "/dev/sda"}], "Devices"),
        ("HostConfig.PidMode", "host", "PidMode"),
        ("HostConfig.NetworkMode", "host", "network"),
        ("HostConfig.NetworkMode", "bridge", "network"),
        ("HostConfig.IpcMode", "host", "IPC"),
        ("HostConfig.UsernsMode", "host", "UsernsMode"),
        ("HostConfig.CapAdd", ["SYS_PTRACE"], "capabilities"),
        ("HostConfig.CapAdd", ["SYS_ADMIN", "NET_ADMIN"], "capabilities"),
        ("HostConfig.CapDrop", [], "drop all"),
        ("HostConfig.SecurityOpt", ["no-new-privileges", "seccomp=unconfined"], "seccomp"),
        ("HostConfig.SecurityOpt", [], "no-new-privileges"),
        ("HostConfig.ReadonlyRootfs", False, "read-only"),
        ("HostConfig.Memory", 0, "memory"),
        ("HostConfig.PidsLimit", -1, "pids"),
        ("HostConfig.Runtime", "kata", "runtime"),
        ("HostConfig.VolumesFrom", ["db"], "VolumesFrom"),
        ("HostConfig.CgroupParent", "/", "CgroupParent"),
        ("HostConfig.Tmpfs", {"/etc": "rw,size=1m"}, "tmpfs"),
        ("HostConfig.DeviceRequests", [{"Count": -1, "Capabilities": [["gpu"]]}], "GPU"),
        ("Image", "gradebox-api:latest", "sandbox image"),
        ("Image", "gradebox-sandbox@sha256:" + "0" * 64, "digest"),
        ("Labels", {}, "label"),
        ("Volumes", {"/data": {}}, "volumes"),
    ],
)
def test_anything_else_is_refused(path, value, why):
    with pytest.raises(Refused, match=why):
        check_create(_with(path, value), POLICY)


def test_gpu_requests_only_when_allowed():
    body = _with("HostConfig.DeviceRequests", [{"Count": -1, "Capabilities": [["gpu"]]}])
    check_create(body, Policy(images=POLICY.images, allow_gpu=True))


# --- a real proxy in front of the real daemon --------------------------------------------


@pytest.fixture(scope="module")
def proxy_url(tmp_path_factory, docker_ready):
    from sandbox.settings import get_settings

    sock = tmp_path_factory.mktemp("proxy") / "docker.sock"
    log = sock.with_suffix(".log")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, str(PROXY), "--listen", f"unix:{sock}"]
            + ["--image", get_settings().docker_image],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(100):
            if sock.exists():
                break
            time.sleep(0.1)
        yield f"unix://{sock}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def docker_ready():
    from tests.sandbox.conftest import _script

    _script("ensure-docker")
    _script("build-images")


@pytest.mark.docker
def test_the_docker_sandbox_grades_through_the_proxy(proxy_url, monkeypatch):
    from sandbox.backends.docker import DockerSandbox
    from sandbox.spec import RunSpec

    monkeypatch.setenv("DOCKER_HOST", proxy_url)
    result = DockerSandbox().run(
        RunSpec(argv=("python3", "-c", "print(sum(map(int, input().split())))"), stdin=b"2 40\n")
    )
    assert result.stdout == b"42\n", result


@pytest.mark.docker
def test_the_proxy_refuses_escapes(proxy_url):
    import docker
    from docker.errors import APIError

    from sandbox.settings import get_settings

    client = docker.DockerClient(base_url=proxy_url, timeout=30)
    image = get_settings().docker_image
    labels = {"org.gradebox.sandbox": "1"}
    attempts = {
        "privileged": {"image": image, "labels": labels, "privileged": True},
        "host mount": {"image": image, "labels": labels, "volumes": {"/": {"bind": "/host"}}},
        "host network": {"image": image, "labels": labels, "network_mode": "host"},
        "other image": {"image": "gradebox-sandbox-root:latest", "labels": labels},
    }
    for what, kwargs in attempts.items():
        with pytest.raises(APIError) as info:
            client.containers.create(command="true", **kwargs)
        assert info.value.status_code == 403, what
        assert "gradebox docker proxy" in str(info.value), what
    for call in (client.containers.list, client.images.list, client.networks.list):
        with pytest.raises(APIError) as info:
            call()
        assert info.value.status_code == 403
    # the daemon itself answers the same request when asked directly: the proxy refused
    direct = docker.from_env(timeout=30)
    assert isinstance(direct.containers.list(), list)
