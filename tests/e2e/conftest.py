"""Browser end-to-end fixtures: the real server, the real SPA, Debian's Chromium.

One server per test session (`gradebox server run` on a free port, a temporary
SQLite database and data folder, the bundled problems, the embedded judgehost),
started after `scripts/build-frontend` so the SPA it serves is current. Each test
gets a fresh browser context; any console error or uncaught page exception fails it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from e2e_browser import ConsoleWatch, Server
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("GRADEBOX_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_S = 90.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def frontend_dist() -> Path:
    """Builds the SPA (a no-op when nothing changed since the last build). A lock
    keeps parallel pytest-xdist workers from building into the same folder at once."""
    with (ROOT / "frontend" / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run([str(ROOT / "scripts" / "build-frontend")], cwd=ROOT, check=True)
    dist = ROOT / "frontend" / "dist"
    assert (dist / "index.html").is_file()
    return dist


@pytest.fixture(scope="session")
def server(frontend_dist: Path) -> Iterator[Server]:
    # Not pytest's tmp_path: its folders are 0700, and the sandbox's unprivileged
    # user must traverse the data folder to reach unpacked packages.
    home = Path(tempfile.mkdtemp(prefix="gradebox-e2e-"))
    home.chmod(0o755)
    port = _free_port()
    env = {
        **os.environ,
        "GRADEBOX_ENVIRONMENT": "development",
        "GRADEBOX_DATABASE_URL": f"sqlite:///{home / 'gradebox.db'}",
        "GRADEBOX_DATA_DIR": str(home / "data"),
        "GRADEBOX_PROBLEMS_DIR": str(ROOT / "problems"),
        "GRADEBOX_FRONTEND_DIST": str(frontend_dist),
        "GRADEBOX_DEMO_USERS": "true",
        "GRADEBOX_REGISTRATION_ENABLED": "true",
        "GRADEBOX_LOG_FORMAT": "text",
        "GRADEBOX_LOG_LEVEL": "WARNING",
    }
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
    deadline = time.monotonic() + SERVER_START_S
    try:
        while True:
            if process.poll() is not None:
                tail = log.read_text()[-3000:]
                raise RuntimeError(f"server exited with {process.returncode}:\n{tail}")
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                tail = log.read_text()[-3000:]
                raise RuntimeError(f"server not healthy after {SERVER_START_S}s:\n{tail}")
            time.sleep(0.3)
        yield Server(url=url, log=log, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def console() -> ConsoleWatch:
    return ConsoleWatch()


def _open_page(browser: Browser, server: Server, color_scheme: str, watch: ConsoleWatch) -> Page:
    context = browser.new_context(
        base_url=server.url,
        viewport={"width": 1400, "height": 1000},
        color_scheme=color_scheme,  # type: ignore[arg-type]
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)
    return page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


def _finish(request: pytest.FixtureRequest, page: Page, console: ConsoleWatch) -> None:
    """Screenshots a failed test's page (to see what the browser saw), then checks the console."""
    if request.node.stash.get(_FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"FAILED-{request.node.name}.png", full_page=True)
    page.context.close()
    assert console.errors == [], "browser console errors:\n" + "\n".join(console.errors)


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Browser, server: Server, console: ConsoleWatch
) -> Iterator[Page]:
    page = _open_page(browser, server, "light", console)
    yield page
    _finish(request, page, console)


@pytest.fixture
def dark_page(
    request: pytest.FixtureRequest, browser: Browser, server: Server, console: ConsoleWatch
) -> Iterator[Page]:
    page = _open_page(browser, server, "dark", console)
    yield page
    _finish(request, page, console)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
