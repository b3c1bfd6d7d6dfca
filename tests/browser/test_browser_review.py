"""A day's work in a real browser: sign in, queue, case with its network graph,
assessment, and a supervisor's sign-off in another session."""

from __future__ import annotations

from browser_support import ARTIFACTS, LiveSite
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from review_world import PASSWORD


def _sign_in(page: Page, site: LiveSite, username: str) -> None:
    page.goto(f"{site.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}/queue")


def _watch_console(page: Page) -> list[str]:
    problems: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(message.text)

    page.on("console", record)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_assess_and_sign_off_in_chromium(browser: Browser, live_site: LiveSite) -> None:
    reviewer_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = reviewer_context.new_page()
    problems = _watch_console(page)
    _sign_in(page, live_site, "reviewer")
    expect(page.get_by_test_id("whoami")).to_contain_text("reviewer")
    case_link = page.locator(f"a.case-link:text-is('{live_site.case_id}')")
    expect(case_link).to_be_visible()
    page.screenshot(path=ARTIFACTS / "01-reviewer-queue.png", full_page=True)

    case_link.click()
    page.wait_for_url(f"{live_site.url}/cases/{live_site.case_id}")
    expect(page.get_by_test_id("case-id")).to_have_text(live_site.case_id)
    page.wait_for_function(
        "window.relookNetwork !== undefined && window.relookNetwork.nodes().length > 1"
    )
    drawn = page.evaluate("window.relookNetwork.nodes().filter(n => n.renderedWidth() > 0).length")
    assert drawn > 1
    expect(page.get_by_test_id("people")).to_contain_text("Victim A")
    page.screenshot(path=ARTIFACTS / "02-case-with-network.png", full_page=True)

    form = page.get_by_test_id("assessment-form")
    for question, answer in (("enquiry", "yes"), ("risk", "yes"), ("safeguarding", "no"),
                             ("justice", "unclear")):  # fmt: skip
        form.locator(f"input[name={question}_answer][value={answer}]").check()
    form.locator("textarea[name=enquiry_notes]").fill("A vehicle in the notes was never checked.")
    form.locator("input[name=decision][value=refer_local_action]").check()
    form.locator("input[name=reasons][value=lines_of_enquiry]").check()
    form.locator("textarea[name=rationale]").fill("The unchecked vehicle links two cases.")
    form.get_by_role("button", name="Submit for sign-off").click()
    page.wait_for_url(lambda url: url.endswith(f"/cases/{live_site.case_id}#assessment"))
    history = page.get_by_test_id("assessment-history")
    expect(history).to_contain_text("Version 1 by reviewer")
    expect(history).to_contain_text("Awaiting sign-off")
    page.screenshot(path=ARTIFACTS / "03-assessment-submitted.png", full_page=True)

    # One click on a linked case in the graph opens it.
    other = page.evaluate(
        "window.relookNetwork.nodes('[kind = \"case\"][href][!current]').first().id()"
    )
    # Tapped from a timer: evaluate() would otherwise wait out the navigation it starts.
    page.evaluate(
        "id => setTimeout(() => window.relookNetwork.getElementById(id).emit('tap'), 0)", other
    )
    page.wait_for_url(f"{live_site.url}/cases/{other.removeprefix('case:')}")
    assert not problems, problems
    reviewer_context.close()

    supervisor_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = supervisor_context.new_page()
    problems = _watch_console(page)
    _sign_in(page, live_site, "supervisor")
    # The queue's filters update the results in place (HTMX).
    page.select_option("select[name=status]", "awaiting_sign_off")
    expect(page.locator("#queue-results a.case-link")).to_have_count(1)
    expect(page).to_have_url(
        f"{live_site.url}/queue?scope=wider&band=&category=&area=&status=awaiting_sign_off&network=&assignee=&sort=rank"
    )
    page.locator(f"a.case-link:text-is('{live_site.case_id}')").click()
    sign_off = page.get_by_test_id("sign-off-form")
    sign_off.locator("input[name=outcome][value=approved]").check()
    sign_off.locator("textarea[name=comment]").fill("Agreed: refer to the panel.")
    sign_off.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: url.endswith(f"/cases/{live_site.case_id}#assessment"))
    expect(page.get_by_test_id("sign-off-outcome")).to_contain_text("Approved by supervisor")
    page.screenshot(path=ARTIFACTS / "04-signed-off.png", full_page=True)
    assert not problems, problems
    supervisor_context.close()


def test_reloading_a_reveal_hides_again_without_a_second_reveal(
    browser: Browser, live_site: LiveSite
) -> None:
    from sqlalchemy import func, select

    from relook.store.tables import audit_log

    def reveals() -> int:
        assert live_site.store is not None
        with live_site.store.read() as connection:
            return int(
                connection.execute(
                    select(func.count()).where(
                        audit_log.c.action == "reveal", audit_log.c.object_id == live_site.case_id
                    )
                ).scalar_one()
            )

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    problems = _watch_console(page)
    _sign_in(page, live_site, "reviewer")
    page.goto(f"{live_site.url}/cases/{live_site.case_id}")
    before = reveals()
    page.locator("details.reveal summary").click()
    page.fill("textarea[name=reason]", "arranging safeguarding with social care")
    page.click("details.reveal button[type=submit]")
    page.wait_for_selector("[data-revealed]")
    assert page.locator("details.reveal").count() == 0
    page.screenshot(path=ARTIFACTS / "05-revealed.png", full_page=True)
    assert reveals() == before + 1
    assert page.url == f"{live_site.url}/cases/{live_site.case_id}"
    page.reload()
    expect(page.get_by_test_id("people")).to_contain_text("Victim A")
    assert page.locator("[data-revealed]").count() == 0
    assert page.locator("details.reveal").count() == 1
    assert reveals() == before + 1
    assert not problems, problems
    context.close()
