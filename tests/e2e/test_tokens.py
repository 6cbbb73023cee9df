"""A learner creates an API token in the UI, sees it once with a CI example, uses
it from outside the browser, and revokes it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.live_server import LiveServer

pytestmark = pytest.mark.e2e


def test_create_use_and_revoke_a_token(page: Page, server: LiveServer, artifacts: Path) -> None:
    page.goto("/login?next=/tokens")
    page.get_by_label("Username").fill("demo")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()

    name = "ci-e2e"
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create token").click()
    shown = page.get_by_test_id("new-token")
    expect(shown).to_be_visible()
    token = shown.inner_text().strip()
    example = page.locator(".ci-example")
    expect(example).to_contain_text(f"GRADEBOX_TOKEN={token}")
    expect(example).to_contain_text("gradebox submit --problem")
    expect(example).to_contain_text("curl")
    page.screenshot(path=artifacts / "tokens-created.png", full_page=True)

    # The token works outside the browser, as a CI job would use it.
    bearer = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{server.url}/api/v1/auth/me", headers=bearer, timeout=10)
    assert me.status_code == 200 and me.json()["username"] == "demo"

    # Shown once: after "Done" and a reload the secret is gone from the page.
    page.get_by_role("button", name="Done").click()
    page.reload()
    row = page.locator("tr", has_text=name).first
    expect(row).to_be_visible()
    expect(page.get_by_text(token)).to_have_count(0)

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("button", name="Revoke")).to_have_count(0)
    after = httpx.get(f"{server.url}/api/v1/auth/me", headers=bearer, timeout=10)
    assert after.status_code == 401
