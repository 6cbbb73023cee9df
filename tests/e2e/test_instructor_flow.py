"""An instructor logs in, drops a problem package zip on the upload page, reads the
validation report, then hides and publishes the new problem."""

from __future__ import annotations

import base64
import shutil
import uuid
import zipfile
from pathlib import Path

import pytest
import yaml
from e2e_browser import ConsoleWatch
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SOURCE_PROBLEM = "largest-connected-region"
VALIDATE_TIMEOUT_MS = 240_000


def _package_zip(tmp_path: Path, *, break_it: bool = False) -> tuple[Path, str]:
    """A bundled package under a fresh slug, so the upload creates a new problem.

    Trimmed so validation takes seconds: the 2000x2000 group goes, and with it the
    solutions that only fail on large grids (too slow, too deep a recursion)."""
    slug = f"e2e-upload-{uuid.uuid4().hex[:6]}"
    tree = tmp_path / slug
    shutil.copytree(ROOT / "problems" / SOURCE_PROBLEM, tree)
    for slow_only in ("time_limit_exceeded", "run_time_error"):
        shutil.rmtree(tree / "submissions" / slow_only, ignore_errors=True)
    spec_path = tree / "problem.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    spec["name"] = f"E2E upload {slug}"
    spec["groups"] = [g for g in spec["groups"] if g["name"] != "large"]
    spec["generators"] = [g for g in spec.get("generators", []) if g["group"] != "large"]
    # Hints may only name solutions and groups the package still has.
    hints = spec.get("hints") or {}
    hints["solutions"] = {
        key: text
        for key, text in (hints.get("solutions") or {}).items()
        if (tree / "submissions" / key).is_file()
    }
    hints["groups"] = {k: v for k, v in (hints.get("groups") or {}).items() if k != "large"}
    spec["hints"] = hints
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    if break_it:  # a wrong solution filed as accepted: validation must refuse the package
        wrong = tree / "submissions" / "wrong_answer" / "counts_regions.py"
        wrong.rename(tree / "submissions" / "accepted" / "counts_regions.py")
    archive = tmp_path / f"{slug}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(tree.rglob("*")):
            if path.is_file():
                zf.write(path, f"{slug}/{path.relative_to(tree).as_posix()}")
    return archive, slug


def _drop_file(page: Page, archive: Path) -> None:
    """Drags the zip onto the drop zone the way a browser delivers a dropped file."""
    page.evaluate(
        """([name, data]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: "application/zip" }));
            const zone = document.querySelector("[data-testid=dropzone]");
            const init = { dataTransfer: transfer, bubbles: true, cancelable: true };
            for (const type of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(type, init));
            }
        }""",
        [archive.name, base64.b64encode(archive.read_bytes()).decode()],
    )


def _login_as_teacher(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill("teacher")
    page.get_by_label("Password").fill("teacher")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("whoami")).to_contain_text("teacher")


def test_instructor_uploads_package_and_sees_report(
    page: Page, tmp_path: Path, artifacts: Path
) -> None:
    archive, slug = _package_zip(tmp_path)

    _login_as_teacher(page)
    page.get_by_role("link", name="Instructor").click()
    expect(page.get_by_test_id("dropzone")).to_be_visible()
    _drop_file(page, archive)

    report = page.get_by_test_id("upload-report")
    expect(report).to_be_visible(timeout=VALIDATE_TIMEOUT_MS)
    expect(report).to_contain_text(slug)
    expect(report.get_by_test_id("report")).to_be_visible()
    # The report names the reference solutions it ran and their verdicts.
    expect(report).to_contain_text("bfs.py")
    expect(report.locator("[data-verdict='AC']").first).to_be_visible()
    expect(report.locator("[data-verdict='WA']").first).to_be_visible()
    page.screenshot(path=artifacts / "instructor-upload-report.png", full_page=True)

    # Hide, then publish again, from the problem page.
    report.get_by_role("link", name=slug).click()
    visibility = page.get_by_test_id("visibility")
    before = visibility.inner_text()
    toggle = page.get_by_role("button", name="Hide" if before == "public" else "Publish")
    toggle.click()
    expect(visibility).to_have_text("hidden" if before == "public" else "public")
    page.get_by_role("button", name="Publish" if before == "public" else "Hide").click()
    expect(visibility).to_have_text(before)

    page.goto(f"/instructor/submissions?problem={slug}")
    expect(page.get_by_role("heading", name="All submissions")).to_be_visible()
    expect(page.get_by_text("No submissions yet.")).to_be_visible()


def test_invalid_package_shows_why(
    page: Page, console: ConsoleWatch, tmp_path: Path, artifacts: Path
) -> None:
    console.expect_failed_load(422, "/api/v1/problems")
    archive, slug = _package_zip(tmp_path, break_it=True)
    _login_as_teacher(page)
    page.goto("/instructor")
    page.get_by_test_id("package-input").set_input_files(archive)

    report = page.get_by_test_id("upload-report")
    expect(report).to_be_visible(timeout=VALIDATE_TIMEOUT_MS)
    expect(report).to_contain_text("Package is invalid")
    failed = report.locator("tr.failed-row")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("counts_regions.py")
    expect(failed).to_contain_text("expected AC, got WA")
    expect(report.get_by_role("heading", name="Errors")).to_be_visible()
    page.screenshot(path=artifacts / "instructor-invalid-report.png", full_page=True)

    page.goto("/")
    expect(page.locator(f"tr[data-slug='{slug}']")).to_have_count(0)
