"""One live server for the CI-facing CLI tests, with the webhook allow-list naming
127.0.0.1 (where the tests' receivers listen), and the accounts they use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.backend.problems import write_problem
from tests.live_server import LiveServer, live_server


@dataclass
class Minted:
    token: str
    token_id: int
    webhook_secret: str


@pytest.fixture(scope="session")
def ci_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(
        tmp_path_factory.mktemp("ci-server"),
        GRADEBOX_SANDBOX="bwrap",
        GRADEBOX_WEBHOOK_ALLOWED_HOSTS="127.0.0.1",
        GRADEBOX_WEBHOOK_BACKOFF_S="0.2",
        GRADEBOX_WEBHOOK_POLL_S="0.1",
        GRADEBOX_CLIENT_RETRY_S="2",
    ) as srv:
        yield srv


def mint(server: LiveServer, username: str, password: str, *scopes: str) -> Minted:
    args = ["token", "create", "-u", username, "--json"]
    for scope in scopes or ("submit", "read"):
        args += ["-s", scope]
    done = server.gradebox(*args, env={"GRADEBOX_PASSWORD": password})
    assert done.returncode == 0, done.stdout + done.stderr
    body = json.loads(done.stdout)
    return Minted(body["token"], body["id"], body["webhook_secret"])


@pytest.fixture(scope="session")
def learner(ci_server: LiveServer) -> Minted:
    """A token of the demo learner, minted through the CLI."""
    return mint(ci_server, "demo", "demo")


@pytest.fixture(scope="session")
def teacher(ci_server: LiveServer) -> Minted:
    return mint(ci_server, "teacher", "teacher", "submit", "read", "problems:write")


@pytest.fixture(scope="session")
def add_two(
    ci_server: LiveServer, teacher: Minted, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The tiny `add-two` problem, uploaded with `gradebox problem push`."""
    root = write_problem(tmp_path_factory.mktemp("packages"))
    done = ci_server.gradebox(
        "problem", "push", str(root), "--no-validate", env={"GRADEBOX_TOKEN": teacher.token}
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root
