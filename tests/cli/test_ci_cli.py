"""The CLI for CI and instructors, driven as a subprocess against a live server: every
exit code of docs/ci.md, the stored login, problem push, idempotent submit, JUnit
that validates, and a signed webhook that arrives."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from backend.services.webhooks_signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from tests.backend.live import wait_for
from tests.backend.problems import ACCEPTED, write_problem
from tests.cli.conftest import Minted, mint
from tests.junit_schema import check_junit
from tests.live_server import LiveServer, free_port
from tests.webhook_receiver import receiver

pytestmark = pytest.mark.slow

# Right on tests 2-4; on sample/01 ("1 2") it prints control characters after the 3.
PARTLY_WRONG = (
    "a, b = map(int, input().split())\n"
    "print('3\\x07\\x1b[31m\\x00' if (a, b) == (1, 2) else a + b)\n"
)


def _run(
    server: LiveServer, *args: str, token: str | None = None, **env: str
) -> tuple[int, str, str]:
    extra = dict(env)
    if token is not None:
        extra["GRADEBOX_TOKEN"] = token
    done = server.gradebox(*args, env=extra)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def _source(tmp: Path, text: str, name: str = "solution.py") -> Path:
    path = tmp / name
    path.write_text(text)
    return path


def test_accepted_exits_0_with_a_valid_junit_report(
    ci_server: LiveServer, learner: Minted, add_two: Path, tmp_path: Path
) -> None:
    report = tmp_path / "junit.xml"
    code, out, err = _run(
        ci_server,
        "submit",
        str(_source(tmp_path, ACCEPTED)),
        "-p",
        "add-two",
        "--junit",
        str(report),
        token=learner.token,
    )
    assert code == 0, out + err
    for name in ("sample/01", "sample/02", "main/01", "main/02"):
        assert name in out  # each test shown as it was judged
    root = check_junit(report.read_text())
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "0", "0")


def test_not_accepted_exits_1_and_learner_control_characters_keep_junit_valid(
    ci_server: LiveServer, learner: Minted, add_two: Path, tmp_path: Path
) -> None:
    report = tmp_path / "junit.xml"
    code, out, err = _run(
        ci_server,
        "submit",
        str(_source(tmp_path, PARTLY_WRONG)),
        "-p",
        "add-two",
        "--json",
        "--junit",
        str(report),
        token=learner.token,
    )
    assert code == 1, out + err
    result = json.loads(out)
    assert result["verdict"] == "WA"
    root = check_junit(report.read_text())
    verdicts = [test["verdict"] for test in result["tests"]]
    assert verdicts.count("WA") == 1
    assert root.get("tests") == str(len(verdicts))
    assert (root.get("failures"), root.get("errors")) == ("1", "0")
    failure = root.find("testcase[@name='sample/01']/failure")
    assert failure is not None and failure.get("type") == "WA"
    assert "\\x07" in (failure.text or "")  # escaped, not dropped silently


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["-p", "no-such-problem"], "no-such-problem"),
        (["-p", "add-two", "-l", "cobol"], "cobol"),
    ],
    ids=["unknown-problem", "wrong-language"],
)
def test_refused_requests_exit_2(
    ci_server: LiveServer,
    learner: Minted,
    add_two: Path,
    tmp_path: Path,
    args: list[str],
    expect: str,
) -> None:
    code, _, err = _run(
        ci_server, "submit", str(_source(tmp_path, ACCEPTED)), *args, token=learner.token
    )
    assert code == 2
    assert expect in _one_error_line(err)


def test_missing_and_binary_files_exit_2(
    ci_server: LiveServer, learner: Minted, tmp_path: Path
) -> None:
    code, _, err = _run(
        ci_server, "submit", str(tmp_path / "nope.py"), "-p", "add-two", token=learner.token
    )
    assert code == 2 and "no such file" in _one_error_line(err)
    binary = tmp_path / "a.out"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00")
    code, _, err = _run(ci_server, "submit", str(binary), "-p", "add-two", token=learner.token)
    assert code == 2 and "binary" in _one_error_line(err)


def test_missing_or_revoked_token_exits_2(
    ci_server: LiveServer, add_two: Path, tmp_path: Path
) -> None:
    solution = str(_source(tmp_path, ACCEPTED))
    code, _, err = _run(ci_server, "submit", solution, "-p", "add-two")
    assert code == 2 and "no API token" in _one_error_line(err)
    minted = mint(ci_server, "demo", "demo")
    code, out, err = _run(ci_server, "token", "revoke", str(minted.token_id), token=minted.token)
    assert code == 0, out + err
    code, _, err = _run(ci_server, "submit", solution, "-p", "add-two", token=minted.token)
    assert code == 2 and "401" in _one_error_line(err)


def test_server_down_exits_3(learner: Minted, ci_server: LiveServer, tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    code, _, err = _run(
        ci_server,
        "submit",
        str(_source(tmp_path, ACCEPTED)),
        "-p",
        "add-two",
        "--url",
        down,
        token=learner.token,
    )
    assert code == 3 and "cannot reach" in _one_error_line(err)


def test_waiting_too_long_exits_4(
    ci_server: LiveServer, learner: Minted, add_two: Path, tmp_path: Path
) -> None:
    """A solution that sleeps past the time limit cannot be judged by the time the
    server answers the POST, and --timeout 0 gives no time to wait."""
    slow = _source(tmp_path, "import time\ntime.sleep(5)\n# exit-4 test\n")
    code, _, err = _run(
        ci_server, "submit", str(slow), "-p", "add-two", "--timeout", "0", token=learner.token
    )
    assert code == 4 and "not judged within" in _one_error_line(err)


def _count(server: LiveServer, token: str) -> int:
    code, out, err = _run(server, "submissions", "list", "--json", "-p", "add-two", token=token)
    assert code == 0, err
    return int(json.loads(out)["count"])


def test_a_retried_submit_does_not_duplicate(
    ci_server: LiveServer, add_two: Path, tmp_path: Path
) -> None:
    minted = mint(ci_server, "demo", "demo")
    before = _count(ci_server, minted.token)
    solution = str(_source(tmp_path, ACCEPTED + "# retried\n"))
    ids = []
    for _ in range(2):
        code, out, err = _run(
            ci_server,
            "submit",
            solution,
            "-p",
            "add-two",
            "--json",
            "--idempotency-key",
            "run-1234-add-two",
            token=minted.token,
        )
        assert code == 0, out + err
        ids.append(json.loads(out)["id"])
    assert ids[0] == ids[1]
    assert _count(ci_server, minted.token) == before + 1


def test_login_stores_the_token_for_the_owner_only(
    ci_server: LiveServer, add_two: Path, tmp_path: Path
) -> None:
    config = tmp_path / "cfg" / "gradebox.json"
    env = {"GRADEBOX_CLI_CONFIG": str(config)}
    code, _, err = _run(ci_server, "login", "-u", "demo", GRADEBOX_PASSWORD="wrong", **env)
    assert code == 2 and "wrong username or password" in _one_error_line(err)
    assert not config.exists()
    code, out, err = _run(ci_server, "login", "-u", "demo", GRADEBOX_PASSWORD="demo", **env)
    assert code == 0, out + err
    assert stat.S_IMODE(os.stat(config).st_mode) == 0o600
    assert json.loads(config.read_text())["token"].startswith("gbx_")
    # Later commands need no --token and no GRADEBOX_TOKEN.
    code, out, err = _run(ci_server, "submissions", "list", "--json", **env)
    assert code == 0, err
    assert "count" in json.loads(out)


def test_problem_push_validates_uploads_and_reports(
    ci_server: LiveServer, teacher: Minted, tmp_path: Path
) -> None:
    good = write_problem(tmp_path / "good", "cli-push")
    code, out, err = _run(ci_server, "problem", "push", str(good), token=teacher.token)
    assert code == 0, out + err
    assert "cli-push v1 (new version)" in out
    code, out, err = _run(
        ci_server, "problem", "push", str(good), "--no-validate", token=teacher.token
    )
    assert code == 0 and "cli-push v1 (unchanged)" in out, out + err

    bad = write_problem(tmp_path / "bad", "cli-broken")
    (bad / "submissions" / "accepted" / "sol.py").write_text("print(0)\n")
    code, out, err = _run(ci_server, "problem", "push", str(bad), token=teacher.token)
    assert code == 1, out + err
    assert "nothing was uploaded" in _one_error_line(err)
    code, out, err = _run(
        ci_server, "problem", "push", str(bad), "--no-validate", token=teacher.token
    )
    assert code == 1, out + err
    assert "cli-broken" in _one_error_line(err)

    code, out, err = _run(ci_server, "problem", "list", "--json", token=teacher.token)
    assert code == 0, err
    slugs = {row["slug"] for row in json.loads(out)}
    assert "cli-push" in slugs and "cli-broken" not in slugs
    code, _, err = _run(ci_server, "problem", "push", str(tmp_path / "none"), token=teacher.token)
    assert code == 2 and "no such package folder" in _one_error_line(err)


def test_a_learner_cannot_push(ci_server: LiveServer, learner: Minted, tmp_path: Path) -> None:
    root = write_problem(tmp_path, "learner-push")
    code, _, err = _run(
        ci_server, "problem", "push", str(root), "--no-validate", token=learner.token
    )
    assert code == 2 and "403" in _one_error_line(err)


def test_callback_arrives_signed_and_internal_callbacks_are_refused(
    ci_server: LiveServer, learner: Minted, add_two: Path, tmp_path: Path
) -> None:
    solution = str(_source(tmp_path, ACCEPTED + "# webhook\n"))
    with receiver() as hook:
        code, out, err = _run(
            ci_server,
            "submit",
            solution,
            "-p",
            "add-two",
            "--callback-url",
            hook.url,
            token=learner.token,
        )
        assert code == 0, out + err
        wait_for(lambda: hook.requests, 60, "the callback")
    (request,) = hook.requests
    assert verify(
        learner.webhook_secret,
        timestamp=request.headers[TIMESTAMP_HEADER],
        signature_header=request.headers[SIGNATURE_HEADER],
        body=request.body,
    )
    assert json.loads(request.body)["submission"]["verdict"] == "AC"

    code, _, err = _run(
        ci_server,
        "submit",
        solution,
        "-p",
        "add-two",
        "--idempotency-key",
        "ssrf",
        "--callback-url",
        f"http://localhost:{hook.port}/hook",
        token=learner.token,
    )
    assert code == 2 and "internal address" in _one_error_line(err)
