"""What a learner reads when a submission fails: the numeric feedback of a tensor
problem (error sizes, the first mismatch, a dtype mistake) and a C++ compiler's
message; then, after solving, the verdict, the editorial and the solved mark.

Each submission's results must be its own: a new submission starts from an empty
panel, never from the previous verdict and test rows."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
TENSOR = "layernorm-forward"
STDIO = "largest-connected-region"
JUDGE_TIMEOUT_MS = 120_000

RETURNS_INPUT = """import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    return x
"""
RETURNS_FLOAT64 = RETURNS_INPUT.replace("return x", "return x.astype(np.float64)")
BROKEN_CPP = "#include <iostream>\nint main() { int x = ; return 0 }\n"


def _register(page: Page) -> str:
    username = f"e2e-{uuid.uuid4().hex[:8]}"
    page.goto("/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Create an account").click()
    expect(page.get_by_test_id("whoami")).to_have_text(username)
    return username


def _replace_code(page: Page, source: str) -> None:
    page.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)


def _submit_and_wait(page: Page, previous: str | None) -> Locator:
    """Submits, waits for the panel of the new submission, then for its verdict."""
    page.get_by_test_id("submit").click()
    heading = page.locator(".live h2")
    if previous is not None:
        expect(heading).not_to_have_text(previous)
    results = page.get_by_test_id("results")
    expect(results).to_have_attribute("data-verdict", re.compile(r"\w"), timeout=JUDGE_TIMEOUT_MS)
    return results


def test_tensor_feedback_then_accepted(page: Page, artifacts: Path) -> None:
    _register(page)
    page.goto(f"/problems/{TENSOR}")
    expect(page.locator(".cm-content")).to_be_visible()
    # Tensor samples are shown as arrays (test_practice_flow.py reads them closely).
    expect(page.locator(".sample-array[data-array='x']").first).to_be_visible()
    expect(page.locator(".editorial")).to_have_count(0)

    # Wrong values: the sample's row gives the size of the error and where it starts.
    _replace_code(page, RETURNS_INPUT)
    results = _submit_and_wait(page, None)
    expect(results).to_have_attribute("data-verdict", "WA")
    sample = results.locator("tr[data-test='sample/01']")
    expect(sample).to_have_attribute("data-verdict", "WA")
    facts = sample.locator(".feedback dl[data-output='y']")
    expect(facts.locator("dt", has_text="max abs error")).to_be_visible()
    expect(facts.locator("dt", has_text="first mismatch at")).to_be_visible()
    expect(facts.locator("div", has=page.locator("dt", has_text="shape"))).to_contain_text("(2, 5)")
    expect(sample).to_contain_text("differ beyond tolerance")
    page.screenshot(path=artifacts / "tensor-wrong-values.png", full_page=True)

    # Wrong dtype: the float32 tests flag it, and only those.
    first = page.locator(".live h2").inner_text()
    _replace_code(page, RETURNS_FLOAT64)
    results = _submit_and_wait(page, first)
    expect(results).to_have_attribute("data-verdict", "WA")
    alert = results.locator("tr[data-test^='float32/'] .feedback .alert").first
    expect(alert).to_contain_text("float64 (expected float32)")
    expect(results.locator("tr[data-test^='float64/'] .feedback .alert")).to_have_count(0)
    page.screenshot(path=artifacts / "tensor-wrong-dtype.png", full_page=True)

    # Right: every row of this submission is AC (none left over from the last one),
    # and the editorial appears without a reload.
    second = page.locator(".live h2").inner_text()
    reference = ROOT / "problems" / TENSOR / "submissions" / "accepted" / "reference.py"
    _replace_code(page, reference.read_text())
    results = _submit_and_wait(page, second)
    expect(results).to_have_attribute("data-verdict", "AC")
    expect(results.locator(".score")).to_have_text("Score 100 / 100")
    expect(results.locator("tr[data-verdict]").first).to_be_visible()
    expect(results.locator("tr[data-verdict]:not([data-verdict='AC'])")).to_have_count(0)
    expect(results.locator(".feedback .alert")).to_have_count(0)
    editorial = page.locator(".editorial")
    expect(editorial).to_be_visible()
    # The editorial's own title is not a second h1 under its "Editorial" heading.
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    page.screenshot(path=artifacts / "tensor-accepted.png", full_page=True)

    # The problem's own history, reached with the arrow keys of the tab list.
    page.get_by_role("tab", name="Statement").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="My submissions")).to_be_focused()
    history = page.get_by_role("tabpanel", name="My submissions").get_by_test_id("submission-table")
    expect(history.locator("tbody tr")).to_have_count(3)
    expect(history.locator("tbody tr").first).to_have_attribute("data-verdict", "AC")

    page.get_by_role("link", name="Problems", exact=True).click()
    expect(page.locator(f"tr[data-slug='{TENSOR}'] .mark.solved")).to_be_visible()


def test_cpp_compile_error_shows_the_compiler(page: Page, artifacts: Path) -> None:
    _register(page)
    page.goto(f"/problems/{STDIO}")
    page.get_by_test_id("language").select_option("cpp")
    _replace_code(page, BROKEN_CPP)
    results = _submit_and_wait(page, None)
    expect(results).to_have_attribute("data-verdict", "CE")
    expect(results.locator(".verdict-name")).to_have_text("Compile error")
    output = results.locator(".compile-output pre")
    expect(output).to_contain_text("error:")
    expect(output).to_contain_text("expected primary-expression")
    expect(results.locator("tr[data-verdict]")).to_have_count(0)  # nothing ran
    page.screenshot(path=artifacts / "cpp-compile-error.png", full_page=True)

    # On a phone, the history fits the screen: the table scrolls, the page does not.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/submissions")
    expect(page.get_by_test_id("submission-table").locator("tbody tr")).to_have_count(1)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifacts / "my-submissions-phone.png", full_page=True)

    # The statement comes first on a phone; a link skips it to the editor.
    page.goto(f"/problems/{TENSOR}")
    expect(page.locator(".cm-content")).not_to_be_in_viewport()
    page.get_by_role("link", name="Go to the editor").click()
    expect(page.locator(".cm-content")).to_be_in_viewport()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_keyboard_reaches_the_editor_with_a_visible_ring(page: Page) -> None:
    page.goto(f"/problems/{STDIO}")
    expect(page.locator(".cm-content")).to_be_visible()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('cm-content')"):
            break
    else:
        pytest.fail("Tab never reached the editor")
    ring = page.evaluate(
        "() => getComputedStyle(document.querySelector('.code-editor')).outlineStyle"
    )
    assert ring == "solid", ring
    # Esc, then Tab, leaves the editor instead of indenting.
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert not page.evaluate("() => document.activeElement.classList.contains('cm-content')")
