"""Recording a victim's engagement on the case page, as a reviewer does it."""

from __future__ import annotations

from browser_support import ARTIFACTS, LiveSite, signed_in
from playwright.sync_api import Browser, expect

from relook.review import victim_engagement
from relook.review.victim_engagement import EngagementStatus


def test_a_reviewer_records_that_a_victim_agrees(browser: Browser, live_site: LiveSite) -> None:
    page = signed_in(browser, live_site, "reviewer", width=1280)
    page.goto(f"{live_site.url}/cases/{live_site.case_id}")
    page.get_by_test_id("contents").get_by_role("link", name="Victim engagement").click()
    section = page.get_by_test_id("engagement")
    expect(section).to_contain_text("Victim A")
    expect(section).to_contain_text("Not yet contacted")
    form = page.get_by_test_id("engagement-form")
    form.locator("select[name=victim_mention_id]").select_option(label="Victim A")
    form.locator("select[name=status]").select_option("agrees")
    form.locator("input[name=happened_on]").fill("2026-10-09")
    form.locator("input[name=note]").fill("Agreed at a meeting with her ISVA.")
    form.get_by_role("button", name="Record").click()
    page.wait_for_url(lambda url: url.endswith(f"/cases/{live_site.case_id}#engagement"))
    section = page.get_by_test_id("engagement")
    expect(section).to_contain_text("Agrees to reinvestigation")
    expect(section).to_contain_text("Agreed at a meeting with her ISVA.")
    page.screenshot(path=ARTIFACTS / "20-victim-engagement.png", full_page=False)
    assert live_site.store is not None
    with live_site.store.read() as connection:
        statuses = victim_engagement.current_status(connection, live_site.case_id)
    assert list(statuses.values()) == [EngagementStatus.AGREES]
    page.context.close()
