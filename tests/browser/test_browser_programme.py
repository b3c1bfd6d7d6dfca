"""The programme dashboard and the data-quality page in Chromium, with no console errors."""

from __future__ import annotations

from browser_support import ARTIFACTS, LiveSite, signed_in
from playwright.sync_api import Browser, expect


def test_supervisor_reads_the_programme_and_sets_the_deadline(
    browser: Browser, live_site: LiveSite
) -> None:
    page = signed_in(browser, live_site, "supervisor", width=1300)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
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
