"""A real `gradebox server run` process on a free port with its own database.

Shared by the tests that talk to the service from outside (the CLI client, the
browser): they see exactly what a user of `make run` sees.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    home: Path
    log: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] = field(repr=False)

    def gradebox(
        self, *args: str, env: Mapping[str, str] | None = None, **kwargs: object
    ) -> subprocess.CompletedProcess[str]:
        """Run the `gradebox` CLI against this server's database and URL."""
        return subprocess.run(
            [str(Path(sys.executable).parent / "gradebox"), *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=300,
            **kwargs,  # type: ignore[call-overload]
        )


def server_env(home: Path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GRADEBOX_")}
    env.update(
        {
            "GRADEBOX_ENVIRONMENT": "development",
            "GRADEBOX_DATABASE_URL": f"sqlite:///{home / 'gradebox.db'}",
            "GRADEBOX_DATA_DIR": str(home / "data"),
            "GRADEBOX_PROBLEMS_DIR": str(ROOT / "problems"),
            "GRADEBOX_DEMO_USERS": "true",
            "GRADEBOX_LOG_FORMAT": "text",
            "GRADEBOX_LOG_LEVEL": "WARNING",
            # The CLI's stored login: never the developer's own file.
            "GRADEBOX_CLI_CONFIG": str(home / "cli-config.json"),
        }
    )
    env.update(overrides)
    return env


def wait_healthy(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float = START_TIMEOUT_S
) -> None:
    """Until `/healthz` answers 200; RuntimeError with the log's tail if the server
    exits first or stays unhealthy past `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"server not healthy after {timeout_s}s:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


@contextmanager
def live_server(home: Path, **overrides: str) -> Iterator[LiveServer]:
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = server_env(home, **overrides)
    log = home / "server.log"
    gradebox = Path(sys.executable).parent / "gradebox"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(gradebox), "server", "run", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    env["GRADEBOX_URL"] = url
    try:
        wait_healthy(url, process, log)
        yield LiveServer(url=url, home=home, log=log, env=env, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
