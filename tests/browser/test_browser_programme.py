"""The programme dashboard and the data-quality page in Chromium, with no console errors."""

from __future__ import annotations

from browser_support import ARTIFACTS, LiveSite
from playwright.sync_api import Browser, expect
from review_world import PASSWORD


def test_supervisor_reads_the_programme_and_sets_the_deadline(
    browser: Browser, live_site: LiveSite
) -> None:
    page = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_site.url}/login")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_site.url}/queue")
    page.get_by_role("link", name="Programme").click()
    expect(page.get_by_test_id("programme-status")).to_be_visible()
    settings = page.get_by_test_id("programme-settings")
    settings.locator("input[name=deadline]").fill("2027-03-31")
    settings.locator("input[name=weekly_target]").fill("25")
    settings.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("forecast")).to_contain_text("The deadline is 2027-03-31")
    assert page.locator("svg.chart").count() >= 5
    page.screenshot(path=ARTIFACTS / "15-programme.png", full_page=True)
    page.get_by_role("link", name="Data quality").click()
    expect(page.get_by_test_id("quality-ethnicity")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "16-quality.png", full_page=True)
    assert not problems, problems
    page.context.close()
