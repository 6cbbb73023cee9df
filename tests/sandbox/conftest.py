"""Real sandboxes for the sandbox tests: bwrap, Docker (runc) and Docker + gVisor.

The Docker fixtures start the daemon and build the image when missing
(`scripts/ensure-docker`, `scripts/build-images`); they never skip.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import Sandbox
from sandbox.settings import get_settings

REPO = Path(__file__).resolve().parents[2]

BACKENDS = [
    pytest.param("bwrap", id="bwrap"),
    pytest.param("docker", id="docker", marks=pytest.mark.docker),
    pytest.param("runsc", id="runsc", marks=pytest.mark.docker),
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The first Docker test may build the image on a fresh machine (debootstrap, torch):
    give Docker tests room beyond the suite's default per-test timeout."""
    here = Path(__file__).parent
    for item in items:
        if item.get_closest_marker("docker") and here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.timeout(1800))


def _script(name: str) -> None:
    proc = subprocess.run(
        [str(REPO / "scripts" / name)], cwd=REPO, capture_output=True, text=True, timeout=1800
    )
    if proc.returncode != 0:
        raise RuntimeError(f"scripts/{name} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")


@pytest.fixture(scope="session")
def docker_ready() -> None:
    _script("ensure-docker")
    _script("build-images")


def make_sandbox(name: str, request: pytest.FixtureRequest) -> Sandbox:
    if name == "bwrap":
        from sandbox.backends.bwrap import BwrapSandbox

        return BwrapSandbox()
    request.getfixturevalue("docker_ready")
    from sandbox.backends.docker import DockerSandbox

    return DockerSandbox(runtime="runsc" if name == "runsc" else "runc")


@pytest.fixture(scope="session", params=BACKENDS)
def sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    box = make_sandbox(request.param, request)
    yield box
    close = getattr(box, "close", None)
    if close is not None:
        close()


@pytest.fixture(autouse=True)
def judge_secret(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fake secret in the judge's own environment: it must never reach a sandbox."""
    secret = "gbx-fake-secret-" + os.urandom(8).hex()
    monkeypatch.setenv("GRADEBOX_SECRET_KEY", secret)
    get_settings.cache_clear()
    return secret
