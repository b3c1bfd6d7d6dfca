"""Assigning many cases in Chromium: a network from its case page, a page, everything."""

from __future__ import annotations

from browser_support import ARTIFACTS, LiveSite, signed_in
from playwright.sync_api import Browser, Dialog, expect


def test_a_network_is_assigned_from_its_case_page_in_two_clicks(
    browser: Browser, live_site: LiveSite
) -> None:
    page = signed_in(browser, live_site, "supervisor")
    page.goto(f"{live_site.url}/cases/{live_site.case_id}")
    form = page.get_by_test_id("assign-network")
    form.locator("select[name=assignee]").select_option(label="reviewer")  # click 1
    form.locator("button[type=submit]").click()  # click 2
    page.wait_for_url(lambda url: "assigned=" in url and "network=" in url)
    expect(page.get_by_test_id("assigned")).to_contain_text("to reviewer")
    statuses = page.locator("#queue-results tbody tr td:last-child").all_inner_texts()
    assert statuses and set(statuses) == {"reviewer"}
    page.screenshot(path=ARTIFACTS / "12-network-assigned.png", full_page=True)
    page.context.close()


def test_select_all_ticks_the_page_and_assign_all_asks_first(
    browser: Browser, live_site: LiveSite
) -> None:
    page = signed_in(browser, live_site, "supervisor")
    page.check("input[data-select-all=case_ids]")
    boxes = page.locator("input[name=case_ids]")
    assert boxes.count() > 1
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    asked: list[str] = []

    def decline(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.select_option("#assign-form select[name=assignee]", label="reviewer (reviewer)")
    page.get_by_test_id("assign-matching").click()
    page.wait_for_timeout(300)
    assert asked and "every page" in asked[0]
    assert page.url.endswith("/queue")  # declined: nothing was sent
    page.context.close()
