"""A reviewer loses no typed text when the session ends: the draft saves itself."""

from __future__ import annotations

from browser_support import ARTIFACTS, LiveSite, signed_in
from playwright.sync_api import Browser, expect

TEXT = "A registration mark in the strategy meeting note was never checked."


def test_typed_text_comes_back_after_the_session_ends(
    browser: Browser, live_site: LiveSite
) -> None:
    page = signed_in(browser, live_site, "reviewer")
    page.goto(f"{live_site.url}/cases/{live_site.case_id}")
    form = page.get_by_test_id("assessment-form")
    form.locator("input[name=enquiry_answer][value=yes]").check()
    form.locator("textarea[name=enquiry_notes]").fill(TEXT)
    expect(form.get_by_test_id("autosave-status")).to_contain_text("Draft saved", timeout=15_000)
    page.context.close()  # the session is gone, nothing was submitted

    again = signed_in(browser, live_site, "reviewer")
    again.goto(f"{live_site.url}/cases/{live_site.case_id}")
    form = again.get_by_test_id("assessment-form")
    expect(form.get_by_test_id("draft-restored")).to_be_visible()
    expect(form.locator("textarea[name=enquiry_notes]")).to_have_value(TEXT)
    expect(form.locator("input[name=enquiry_answer][value=yes]")).to_be_checked()
    form.scroll_into_view_if_needed()
    again.screenshot(path=ARTIFACTS / "13-draft-restored.png")
    again.context.close()
