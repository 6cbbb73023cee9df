"""`gradebox server run` as `make run` starts it: migrations, bundled problems (new
versions only when changed), demo logins, the embedded judgehost, the printed URL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.backend.problems import ACCEPTED, write_problem

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def _serve(tmp: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "GRADEBOX_DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite'}",
        "GRADEBOX_DATA_DIR": str(tmp / "data"),
        "GRADEBOX_PROBLEMS_DIR": str(tmp / "problems"),
        "GRADEBOX_FRONTEND_DIST": str(tmp / "no-dist"),
        "GRADEBOX_JUDGE_POLL_S": "0.1",
        "GRADEBOX_SANDBOX": "bwrap",
    }
    gradebox = Path(sys.executable).parent / "gradebox"
    with open(log, "wb") as out:
        return subprocess.Popen(
            [str(gradebox), "server", "run", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp,
        )


def _wait_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"server did not come up:\n{log.read_text()}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_server_run_serves_and_judges(tmp_path):
    write_problem(tmp_path / "problems")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    proc = _serve(tmp_path, port, log)
    try:
        _wait_up(url, proc, log)
        with httpx.Client(base_url=url) as http:
            me = http.post("/api/v1/auth/login", json={"username": "demo", "password": "demo"})
            assert me.status_code == 200 and me.json()["role"] == "learner"
            created = http.post(
                "/api/v1/submissions",
                params={"wait": 60},
                json={"problem": "add-two", "language": "python", "source": ACCEPTED},
                headers={"X-CSRF-Token": http.cookies["gradebox_csrf"]},
            ).json()
            assert created["verdict"] == "AC", created
            assert http.get("/api/v1/problems/add-two").json()["version"] == 1
    finally:
        _stop(proc)
    output = log.read_text()
    assert f"http://127.0.0.1:{port}/" in output
    assert "demo / demo (learner)" in output and "teacher / teacher (instructor)" in output
    assert "add-two v1 (new version)" in output
    assert "sandbox: bwrap" in output

    # Restart: unchanged packages keep their version, a changed one gets the next.
    (tmp_path / "problems" / "add-two" / "statement.md").write_text("# Add\n\nNew words.\n")
    proc = _serve(tmp_path, port, log)
    try:
        _wait_up(url, proc, log)
        detail = httpx.get(f"{url}/api/v1/problems/add-two").json()
        assert detail["version"] == 2 and "New words" in detail["statement_md"]
    finally:
        _stop(proc)
    assert "add-two v2 (new version)" in log.read_text()


def test_unknown_sandbox_setting_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADEBOX_SANDBOX", "chroot")
    gradebox = Path(sys.executable).parent / "gradebox"
    done = subprocess.run(
        [str(gradebox), "server", "run", "--port", "9"],
        env={
            **os.environ,
            "GRADEBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
            "GRADEBOX_DATA_DIR": str(tmp_path / "data"),
            "GRADEBOX_PROBLEMS_DIR": str(tmp_path / "problems"),
        },
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "GRADEBOX_SANDBOX" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
