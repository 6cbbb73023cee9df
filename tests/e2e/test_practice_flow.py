"""Practising in Chromium: tensor samples you can read, a Run with custom input (not a
submission), and a track page whose progress follows what the learner solves.

A server of its own serves copies of bundled packages with a `track:` added (the
bundled packages get their tracks from the catalog work), so the test does not
depend on which tracks the catalog holds; everything else is the real `make run`
stack: SPA, API, embedded judgehost, bwrap sandbox.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from e2e_browser import ConsoleWatch
from playwright.sync_api import Browser, Page, expect

from tests.live_server import ROOT, LiveServer, live_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TRACK = "e2e-normalization"
FIRST, SECOND = "layernorm-forward", "layernorm-backward"
STDIO = "largest-connected-region"
JUDGE_TIMEOUT_MS = 120_000
expect.set_options(timeout=15_000)  # a busy 2-core machine: pages may take seconds


@pytest.fixture(scope="module")
def practice_server(
    frontend_dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    home = tmp_path_factory.mktemp("e2e-practice")
    problems = home / "problems"
    for position, slug in enumerate((FIRST, SECOND, STDIO)):
        shutil.copytree(ROOT / "problems" / slug, problems / slug)
        if slug != STDIO:
            spec = problems / slug / "problem.yaml"
            text = re.sub(r"(?m)^track:.*\n", "", spec.read_text())
            spec.write_text(text + f"track: {{id: {TRACK}, position: {position}}}\n")
    with live_server(
        home,
        GRADEBOX_FRONTEND_DIST=str(frontend_dist),
        GRADEBOX_REGISTRATION_ENABLED="true",
        GRADEBOX_PROBLEMS_DIR=str(problems),
    ) as srv:
        yield srv


@pytest.fixture
def pwatch() -> ConsoleWatch:
    return ConsoleWatch()


@pytest.fixture
def ppage(browser: Browser, practice_server: LiveServer, pwatch: ConsoleWatch) -> Iterator[Page]:
    watch = pwatch
    context = browser.new_context(
        base_url=practice_server.url, viewport={"width": 1400, "height": 1000}
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=practice_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)
    yield page
    context.close()
    assert watch.errors == [], "browser console errors:\n" + "\n".join(watch.errors)


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


def test_tensor_samples_are_readable(ppage: Page, artifacts: Path) -> None:
    page = ppage
    page.goto(f"/problems/{FIRST}")
    raw = (ROOT / "problems" / FIRST / "data" / "sample" / "01.in").read_bytes()
    inputs = np.load(__import__("io").BytesIO(raw))
    sample = page.locator(".sample[data-sample='sample/01']")
    x = sample.locator(".sample-array[data-array='x']")
    expect(x.get_by_test_id("shape")).to_have_text(f"({', '.join(map(str, inputs['x'].shape))})")
    expect(x).to_contain_text(str(inputs["x"].dtype))
    expect(x.locator(".array-values")).to_contain_text(f"{inputs['x'].flat[0]:.6f}"[:6])
    expect(sample.locator(".sample-array[data-array='eps']").get_by_test_id("shape")).to_have_text(
        "scalar"
    )
    expect(sample.locator(".sample-array[data-array='y']")).to_be_visible()  # expected output

    # The download is the package's own .npz.
    href = sample.get_by_test_id("download-input").get_attribute("href")
    assert href is not None
    assert page.request.get(href).body() == raw

    # Copy as Python: the snippet on the clipboard rebuilds the inputs.
    sample.locator(".sample-python summary").click()
    sample.get_by_test_id("copy-python").click()
    expect(sample.get_by_test_id("copy-python")).to_have_text("Copied")
    snippet = page.evaluate("() => navigator.clipboard.readText()")
    namespace: dict[str, object] = {}
    exec(snippet.rsplit("\n\n", 1)[0], namespace)  # our own snippet, without the call
    assert np.array_equal(namespace["x"], inputs["x"])
    page.screenshot(path=artifacts / "practice-tensor-samples.png", full_page=True)


def test_run_with_custom_input_is_not_a_submission(
    ppage: Page, pwatch: ConsoleWatch, artifacts: Path
) -> None:
    page = ppage
    _register(page)
    page.goto(f"/problems/{STDIO}")
    _replace_code(page, "print(0)\n")
    page.get_by_test_id("run-mode").select_option("custom")
    page.get_by_test_id("custom-input").fill("2 3\n110\n011\n")
    page.get_by_test_id("run").click()
    results = page.get_by_test_id("run-results")
    expect(results).to_have_attribute("data-verdict", "WA", timeout=JUDGE_TIMEOUT_MS)
    custom = results.locator("tr[data-test='custom/input']")
    expect(custom).to_have_attribute("data-verdict", "WA")
    diff = results.get_by_test_id("diff").last
    expect(diff.locator("tr.differs")).to_contain_text("4")  # the reference's answer
    expect(diff.locator("tr.differs")).to_contain_text("0")
    expect(results).to_contain_text("the reference solution's output")
    expect(results.locator("tr[data-test='sample/01']")).to_be_visible()
    page.screenshot(path=artifacts / "practice-run-custom-stdio.png", full_page=True)

    # A tensor problem: the custom input starts as the first sample, as a Python literal.
    page.goto(f"/problems/{FIRST}")
    reference = ROOT / "problems" / FIRST / "submissions" / "accepted" / "reference.py"
    _replace_code(page, reference.read_text())
    page.get_by_test_id("run-mode").select_option("custom")
    box = page.get_by_test_id("custom-input")
    expect(box).to_have_value(re.compile(r"^\{\n    'x': \[\["))
    box.fill("{'x': [[1.0, 2.0, 4.0]], 'gamma': [1.0, 1.0, 1.0], 'beta': [0.0, 0.0, 0.0]}")
    page.get_by_test_id("run").click()
    results = page.get_by_test_id("run-results")
    expect(results).to_have_attribute("data-verdict", "AC", timeout=JUDGE_TIMEOUT_MS)
    expect(results.locator("tr[data-test='custom/input']")).to_have_attribute("data-verdict", "AC")
    page.screenshot(path=artifacts / "practice-run-custom-tensor.png", full_page=True)

    # A literal the server will not parse: a clear message, nothing evaluated.
    pwatch.expect_failed_load(422, "/api/v1/runs")
    box.fill("__import__('os')")
    page.get_by_test_id("run").click()
    expect(page.locator(".run-panel .error-box")).to_contain_text("not a JSON or Python literal")

    # Runs are not submissions.
    page.goto("/submissions")
    expect(page.get_by_test_id("submission-table").locator("tbody tr")).to_have_count(0)


def test_track_page_follows_progress(ppage: Page, artifacts: Path) -> None:
    page = ppage
    _register(page)
    page.goto("/tracks")
    page.get_by_role("link", name="E2e normalization").click()
    expect(page.get_by_test_id("track-progress").first).to_contain_text("0 of 2 solved")
    expect(page.get_by_test_id("track-next")).to_contain_text("Start with: LayerNorm forward")
    steps = page.locator(".track-problems li")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_have_attribute("data-slug", FIRST)

    page.get_by_test_id("track-next").get_by_role("link").click()
    expect(page).to_have_url(re.compile(f"/problems/{FIRST}$"))
    reference = ROOT / "problems" / FIRST / "submissions" / "accepted" / "reference.py"
    _replace_code(page, reference.read_text())
    page.get_by_test_id("submit").click()
    results = page.get_by_test_id("results")
    expect(results).to_have_attribute("data-verdict", "AC", timeout=JUDGE_TIMEOUT_MS)

    page.get_by_test_id("track-link").click()
    expect(page.get_by_test_id("track-progress").first).to_contain_text("1 of 2 solved")
    expect(page.get_by_test_id("track-next")).to_contain_text("Next up: LayerNorm backward")
    expect(steps.nth(0)).to_have_class("solved")
    expect(steps.nth(1)).to_have_class("next")
    page.screenshot(path=artifacts / "practice-track-progress.png", full_page=True)

    # The problem list filters by track, in track order.
    page.goto(f"/?track={TRACK}")
    rows = page.locator("table.problems tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("data-slug", FIRST)
    expect(rows.nth(0).locator(".mark.solved")).to_be_visible()


def test_hint_for_a_known_mistake(ppage: Page, artifacts: Path) -> None:
    page = ppage
    _register(page)
    page.goto(f"/problems/{FIRST}")
    wrong = ROOT / "problems" / FIRST / "submissions" / "wrong_answer" / "unbiased_variance.py"
    _replace_code(page, wrong.read_text())
    page.get_by_test_id("submit").click()
    results = page.get_by_test_id("results")
    expect(results).to_have_attribute("data-verdict", "WA", timeout=JUDGE_TIMEOUT_MS)
    row = results.locator("tr[data-test='sample/01']")
    expect(row.get_by_test_id("hint")).to_contain_text("biased variance")
    expect(results.get_by_test_id("hint-summary")).to_contain_text("divide by D, not D - 1")
    page.screenshot(path=artifacts / "practice-hint.png", full_page=True)

    # The instructor sees the misconception among the hints that fired.
    page.get_by_role("button", name="Log out").click()
    # Wait for the sign-out to land: a page loaded while it is in flight still has
    # the CSRF cookie and asks /auth/me of a session that is already gone (a 401).
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    page.goto("/login")
    page.get_by_label("Username").fill("teacher")
    page.get_by_label("Password").fill("teacher")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("whoami")).to_contain_text("teacher")
    page.goto("/instructor/analytics")
    row = page.get_by_test_id("analytics").locator(f"tr[data-slug='{FIRST}']")
    expect(row.locator("td").nth(1)).not_to_have_text("0")
    stats = page.locator(f".analytics-problem[data-slug='{FIRST}']").get_by_test_id("hint-stats")
    expect(stats).to_contain_text("biased variance")
    page.screenshot(path=artifacts / "practice-analytics.png", full_page=True)
