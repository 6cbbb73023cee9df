"""Browser end-to-end fixtures: the real server, the real SPA, Debian's Chromium.

One server per test session (`gradebox server run` on a free port, a temporary
SQLite database and data folder, the bundled problems, the embedded judgehost),
started after `scripts/build-frontend` so the SPA it serves is current. Each test
gets a fresh browser context; any console error or uncaught page exception fails it.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_browser import ConsoleWatch
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.live_server import ROOT, LiveServer, live_server

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
def server(frontend_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    home = tmp_path_factory.mktemp("e2e-server")
    with live_server(
        home,
        GRADEBOX_FRONTEND_DIST=str(frontend_dist),
        GRADEBOX_REGISTRATION_ENABLED="true",
    ) as srv:
        yield srv


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


def _open_page(
    browser: Browser, server: LiveServer, color_scheme: str, watch: ConsoleWatch
) -> Page:
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
    request: pytest.FixtureRequest, browser: Browser, server: LiveServer, console: ConsoleWatch
) -> Iterator[Page]:
    page = _open_page(browser, server, "light", console)
    yield page
    _finish(request, page, console)


@pytest.fixture
def dark_page(
    request: pytest.FixtureRequest, browser: Browser, server: LiveServer, console: ConsoleWatch
) -> Iterator[Page]:
    page = _open_page(browser, server, "dark", console)
    yield page
    _finish(request, page, console)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
