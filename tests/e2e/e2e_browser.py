"""Helpers shared by the browser tests (imported by conftest and the tests)."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage


class ConsoleWatch:
    """Collects console errors and uncaught exceptions of one page."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self._expected: list[tuple[int, str]] = []

    def expect_failed_load(self, status: int, url_part: str) -> None:
        """A test that provokes an HTTP error on purpose names it; Chromium logs those."""
        self._expected.append((status, url_part))

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        for status, part in self._expected:
            if f"status of {status}" in message.text and part in url:
                return
        self.errors.append(f"console.error: {message.text} ({url})")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"uncaught: {error}")
