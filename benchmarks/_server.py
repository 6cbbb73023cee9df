"""A Gradebox server for the benchmarks, started the way a user would start it.

`sqlite`: `gradebox server run` as `make run` starts it (SQLite, the embedded judgehost,
the default logging). `pg`: the production settings (PostgreSQL, several uvicorn
workers, no embedded judge: a judgehost is a separate process, `start_judgehost`).
Each gets a fresh database in a temporary folder and a free port, and a learner
`bench` with an API token (`read`, `submit`), made through the admin CLI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live_server import free_port, wait_healthy  # noqa: E402

GRADEBOX = str(Path(sys.executable).parent / "gradebox")
START_TIMEOUT_S = 300.0
SECRET = "benchmark-secret-key-0123456789"


@dataclass
class Server:
    url: str
    token: str
    env: dict[str, str]
    mode: str
    home: Path
    pid: int  # `gradebox server run` (under `pg`, the parent of uvicorn's workers)

    def client(self, timeout: float = 120.0) -> httpx.Client:
        return httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=timeout,
        )

    def cli(self, *args: str, **env: str) -> str:
        proc = subprocess.run(
            [GRADEBOX, *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0:
            raise SystemExit(f"gradebox {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout


def _env(home: Path, database_url: str, production: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADEBOX_")}
    env.update(
        {
            "GRADEBOX_DATABASE_URL": database_url,
            "GRADEBOX_DATA_DIR": str(home / "data"),
            "GRADEBOX_PROBLEMS_DIR": str(ROOT / "problems"),
            "GRADEBOX_CLI_CONFIG": str(home / "cli-config.json"),
        }
    )
    if production:
        env.update(
            {
                "GRADEBOX_ENVIRONMENT": "production",
                "GRADEBOX_SECRET_KEY": SECRET,
                "GRADEBOX_COOKIE_SECURE": "true",
            }
        )
    return env


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def make_run_env(pool: int = 1) -> dict[str, str]:
    """What `make run` sets for its embedded judge (Makefile): one session ahead per
    kind, as many jobs at once as there are CPUs."""
    return {"GRADEBOX_WARM_POOL": str(pool), "GRADEBOX_JUDGE_WORKERS": str(os.cpu_count() or 1)}


@contextmanager
def running_server(
    mode: str, workers: int = 4, extra_env: Mapping[str, str] | None = None
) -> Iterator[Server]:
    """`mode` is `sqlite` (make run) or `pg` (PostgreSQL and `workers` processes)."""
    home = Path(tempfile.mkdtemp(prefix="gradebox-bench-"))
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, home, True)
        if mode == "pg":
            from tests.backend.pg import PostgresServer

            pg = PostgresServer()
            pg.start()
            stack.callback(pg.stop)
            env = _env(home, pg.url(pg.create_database()), production=True)
            extra = ["--workers", str(workers), "--no-embedded-judge"]
        elif mode == "sqlite":
            env = _env(home, f"sqlite:///{home / 'gradebox.db'}", production=False)
            extra = []
        else:
            raise SystemExit(f"unknown mode {mode!r} (sqlite, pg)")
        env.update(extra_env or {})
        port = free_port()
        log = home / "server.log"
        out = stack.enter_context(log.open("wb"))
        process = subprocess.Popen(
            [GRADEBOX, "server", "run", "--host", "127.0.0.1", "--port", str(port), *extra],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        stack.callback(_stop, process)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process, log, START_TIMEOUT_S)
        except RuntimeError as exc:
            raise SystemExit(str(exc)) from None
        env["GRADEBOX_URL"] = url
        server = Server(url=url, token="", env=env, mode=mode, home=home, pid=process.pid)
        server.cli("admin", "create-user", "bench", "--role", "learner", GRADEBOX_PASSWORD="x" * 12)
        server.token = server.cli("admin", "create-token", "bench").strip().splitlines()[-1]
        yield server


@contextmanager
def judgehost(server: Server) -> Iterator[None]:
    """A `gradebox judgehost` process for a server without an embedded one."""
    token = server.cli(
        "admin", "create-user", "judge", "--role", "admin", GRADEBOX_PASSWORD="y" * 12
    )
    del token
    secret = server.cli("admin", "create-token", "judge", "--scope", "judge").strip()
    secret = secret.splitlines()[-1]
    log = server.home / "judgehost.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [GRADEBOX, "judgehost", "--url", server.url, "--token", secret],
            cwd=ROOT,
            env=server.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield
        finally:
            _stop(process)


def stop_on_sigterm() -> None:
    """`timeout` or a kill sends SIGTERM: unwind, so the servers started here stop."""
    import signal

    def _raise(_sig: int, _frame: object) -> None:
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, _raise)


def machine_note() -> str:
    load1, load5, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {load1:.2f} (1 min) {load5:.2f} (5 min)"
