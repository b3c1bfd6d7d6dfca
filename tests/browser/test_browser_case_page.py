"""The case page as a reviewer reads it: contents bar, jump links, printing."""

from __future__ import annotations

from browser_support import ARTIFACTS, LiveSite, signed_in
from playwright.sync_api import Browser, expect


def test_contents_jump_to_the_assessment_and_print_leaves_the_controls_out(
    browser: Browser, live_site: LiveSite
) -> None:
    page = signed_in(browser, live_site, "reviewer", width=1280)
    page.goto(f"{live_site.url}/cases/{live_site.case_id}")
    contents = page.get_by_test_id("contents")
    contents.get_by_role("link", name="Assessment").click()
    expect(page.get_by_test_id("assessment-form")).to_be_in_viewport()
    expect(contents).to_be_in_viewport()  # it stays at the top while reading
    page.screenshot(path=ARTIFACTS / "14-case-contents.png")
    page.emulate_media(media="print")
    expect(contents).to_be_hidden()
    expect(page.get_by_test_id("assessment-form")).to_be_hidden()
    expect(page.get_by_test_id("case-id")).to_be_visible()
    page.context.close()
