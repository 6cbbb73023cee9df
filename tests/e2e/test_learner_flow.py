"""A learner registers, opens a problem, submits a wrong then a right solution and
watches the live results turn into WA and then AC; the pages are screenshotted."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from e2e_browser import ConsoleWatch
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SLUG = "largest-connected-region"
JUDGE_TIMEOUT_MS = 120_000


_SCRIPT_SIZES = """() => {
    const script = document.querySelector(".statement .katex .msupsub .mtight");
    const size = (el) => parseFloat(getComputedStyle(el).fontSize);
    return [size(script), size(script.closest(".katex"))];
}"""


def _solution(kind: str) -> str:
    files = sorted((ROOT / "problems" / SLUG / "submissions" / kind).glob("*.py"))
    assert files, f"the bundled package has no {kind} Python solution"
    return files[0].read_text()


def _register(page: Page) -> str:
    username = f"e2e-{uuid.uuid4().hex[:8]}"
    page.goto("/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Create an account").click()
    expect(page.get_by_test_id("whoami")).to_have_text(username)
    return username


def _replace_code(page: Page, source: str) -> None:
    editor = page.locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)
    # The draft mirrors the editor: the text landed intact (no auto-indent or bracket mangling).
    stored = page.evaluate(f"() => localStorage.getItem('gradebox:draft:{SLUG}:python')")
    assert stored == source


def test_register_submit_wrong_then_right(page: Page, artifacts: Path) -> None:
    username = _register(page)

    page.goto("/")
    row = page.locator(f"tr[data-slug='{SLUG}']")
    expect(row).to_be_visible()
    all_rows = page.locator("tr[data-slug]").count()
    page.get_by_role("searchbox", name="Search problems").fill("largest")
    expect(page.locator("tr[data-slug]:not([data-slug*='largest'])")).to_have_count(0)
    assert page.locator("tr[data-slug]").count() < all_rows
    page.get_by_role("searchbox", name="Search problems").fill("")
    page.get_by_label("Filter by tag").select_option("flood fill")
    expect(page).to_have_url(re.compile(r"tag=flood"))
    expect(page.locator("tr[data-slug]")).not_to_have_count(all_rows)
    expect(row).to_be_visible()
    row.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Math is typeset by KaTeX, not left as raw $...$, and styled by the matching
    # stylesheet: an exponent is set smaller than the text around it.
    expect(page.locator(".statement .katex").first).to_be_visible()
    script_size, base_size = page.evaluate(_SCRIPT_SIZES)
    assert script_size < 0.85 * base_size, (script_size, base_size)
    expect(page.locator(".cm-content")).to_be_visible()
    page.screenshot(path=artifacts / "problem-statement.png", full_page=True)

    # Wrong answer, submitted with the keyboard shortcut.
    _replace_code(page, _solution("wrong_answer"))
    page.keyboard.press("ControlOrMeta+Enter")
    results = page.get_by_test_id("results")
    expect(results).to_be_visible()
    # Unjudged first (queued, then running as rows stream in), then the verdict.
    expect(results).to_have_attribute("data-status", re.compile("queued|running"))
    page.screenshot(path=artifacts / "results-live.png", full_page=True)
    expect(results).to_have_attribute("data-verdict", "WA", timeout=JUDGE_TIMEOUT_MS)
    expect(results.locator("tr[data-verdict='WA']").first).to_be_visible()
    expect(results.locator(".verdict-name")).to_have_text("Wrong answer")
    page.screenshot(path=artifacts / "results-wrong-answer.png", full_page=True)

    # The draft survives a reload, and each language keeps its own.
    wrong_first_line = _solution("wrong_answer").strip().splitlines()[0]
    page.reload()
    expect(page.locator(".cm-content")).to_contain_text(wrong_first_line)
    page.get_by_test_id("language").select_option("cpp")
    expect(page.locator(".cm-content")).to_contain_text("#include")  # the C++ starter template
    page.get_by_test_id("language").select_option("python")
    expect(page.locator(".cm-content")).to_contain_text(wrong_first_line)

    # Right answer, submitted with the button.
    _replace_code(page, _solution("accepted"))
    page.get_by_test_id("submit").click()
    results = page.get_by_test_id("results")
    expect(results).to_have_attribute("data-verdict", "AC", timeout=JUDGE_TIMEOUT_MS)
    expect(results.locator("tr[data-verdict]").first).to_be_visible()
    expect(results.locator("tr[data-verdict]:not([data-verdict='AC'])")).to_have_count(0)
    page.screenshot(path=artifacts / "results-accepted.png", full_page=True)

    # History: both submissions, newest first, and the problem marked solved.
    page.goto("/submissions")
    rows = page.get_by_test_id("submission-table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("data-verdict", "AC")
    expect(rows.nth(1)).to_have_attribute("data-verdict", "WA")
    page.screenshot(path=artifacts / "my-submissions.png", full_page=True)

    # Reopen the wrong one in the editor.
    rows.nth(1).get_by_role("link", name="Open in editor").click()
    first_line = _solution("wrong_answer").strip().splitlines()[0]
    expect(page.locator(".cm-content")).to_contain_text(first_line)
    expect(page.get_by_test_id("results")).to_have_attribute("data-verdict", "WA")
    # Reopened once: the URL forgets it, so a reload keeps edits made after reopening.
    expect(page).not_to_have_url(re.compile(r"submission="))
    page.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.insert_text("\n# edited after reopening\n")
    page.reload()
    expect(page.locator(".cm-content")).to_contain_text("# edited after reopening")

    page.goto("/")
    expect(page.locator(f"tr[data-slug='{SLUG}'] .mark.solved")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.reload()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.get_by_text(username)).to_have_count(0)


def test_dark_mode_follows_the_system(dark_page: Page, artifacts: Path) -> None:
    dark_page.goto(f"/problems/{SLUG}")
    expect(dark_page.locator(".statement .katex").first).to_be_visible()
    background = dark_page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(20, 23, 29)", background
    expect(dark_page.get_by_role("link", name="Log in to submit")).to_be_visible()
    dark_page.screenshot(path=artifacts / "problem-dark.png", full_page=True)


def test_api_errors_are_shown_not_blank(page: Page, console: ConsoleWatch) -> None:
    console.expect_failed_load(404, "/api/v1/problems/no-such-problem")
    page.goto("/problems/no-such-problem")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("no-such-problem")
