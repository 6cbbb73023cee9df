"""`gradebox submit` against a real server: the exit codes CI scripts rely on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.live_server import ROOT, LiveServer, free_port, live_server

PACKAGE = ROOT / "problems" / "largest-connected-region"
ACCEPTED = PACKAGE / "submissions" / "accepted" / "bfs.py"
WRONG = PACKAGE / "submissions" / "wrong_answer" / "eight_neighbours.py"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(
        tmp_path_factory.mktemp("cli-server"), GRADEBOX_SANDBOX="bwrap", GRADEBOX_CLIENT_RETRY_S="2"
    ) as srv:
        yield srv


@pytest.fixture(scope="module")
def token(server: LiveServer) -> str:
    made = server.gradebox(
        "admin",
        "create-user",
        "ci-bot",
        "--role",
        "learner",
        env={"GRADEBOX_PASSWORD": "ci-bot-password-1"},
    )
    assert made.returncode == 0, made.stderr
    created = server.gradebox("admin", "create-token", "ci-bot", "-s", "submit", "-s", "read")
    assert created.returncode == 0, created.stderr
    return created.stdout.strip().splitlines()[-1]


def _submit(server: LiveServer, token: str, *args: str) -> tuple[int, str, str]:
    done = server.gradebox("submit", *args, env={"GRADEBOX_TOKEN": token})
    return done.returncode, done.stdout, done.stderr


def test_accepted_exits_zero_and_writes_junit(
    server: LiveServer, token: str, tmp_path: Path
) -> None:
    report = tmp_path / "junit.xml"
    code, out, err = _submit(
        server,
        token,
        "--problem",
        "largest-connected-region",
        "--language",
        "python",
        "--junit",
        str(report),
        str(ACCEPTED),
    )
    assert code == 0, out + err
    assert "AC" in out
    suite = ElementTree.parse(report).getroot()
    cases = suite.findall(".//testcase")
    assert cases, "JUnit report has no test cases"
    assert not suite.findall(".//failure")


def test_wrong_answer_exits_one(server: LiveServer, token: str) -> None:
    code, out, err = _submit(server, token, "-p", "largest-connected-region", "--json", str(WRONG))
    assert code == 1, out + err
    assert '"verdict": "WA"' in out


def test_unknown_problem_is_a_usage_error(server: LiveServer, token: str) -> None:
    code, _, err = _submit(server, token, "-p", "no-such-problem", str(ACCEPTED))
    assert code == 2
    assert "no-such-problem" in err or "not found" in err.lower()


def test_unknown_language_is_a_usage_error(server: LiveServer, token: str) -> None:
    code, _, err = _submit(
        server, token, "-p", "largest-connected-region", "-l", "cobol", str(ACCEPTED)
    )
    assert code == 2
    assert "cobol" in err


def test_bad_token_is_refused(server: LiveServer) -> None:
    code, _, err = _submit(
        server, "gbx_not-a-real-token", "-p", "largest-connected-region", str(ACCEPTED)
    )
    assert code == 2
    assert "401" in err


def test_missing_file_is_a_usage_error(server: LiveServer, token: str, tmp_path: Path) -> None:
    code, _, err = _submit(
        server, token, "-p", "largest-connected-region", str(tmp_path / "nope.py")
    )
    assert code == 2
    assert "no such file" in err


def test_unreachable_server_exits_three(server: LiveServer, token: str) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    code, _, err = _submit(
        server, token, "--url", url, "-p", "largest-connected-region", str(ACCEPTED)
    )
    assert code == 3
    assert "cannot reach" in err
