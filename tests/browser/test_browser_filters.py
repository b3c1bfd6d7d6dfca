"""The queue's filters and the search, in Chromium."""

from __future__ import annotations

from browser_support import ARTIFACTS, LiveSite, signed_in
from playwright.sync_api import Browser, expect


def test_band_filter_narrows_the_queue_while_status_is_any(
    browser: Browser, live_site: LiveSite
) -> None:
    page = signed_in(browser, live_site, "supervisor", width=1400)
    context = page.context
    bands = page.locator("select[name=band] option").evaluate_all(
        "options => options.map(o => o.value).filter(v => v)"
    )
    assert bands, "the band filter offers no band"
    expect(page.locator("select[name=status]")).to_have_value("")
    with page.expect_response(lambda r: "/queue?" in r.url) as answer:
        page.select_option("select[name=band]", bands[0])
    assert answer.value.status == 200
    # Wait for the results to be swapped in, then every row must carry the chosen band.
    page.wait_for_function(
        """band => {
            const cells = [...document.querySelectorAll('#queue-results span.band')];
            return cells.length > 0 && cells.every(c => c.classList.contains('band-' + band));
        }""",
        arg=bands[0],
    )
    expect(page).to_have_url(
        f"{live_site.url}/queue?scope=wider&band={bands[0]}&category=&area=&status=&network=&assignee=&sort=rank"
    )
    page.screenshot(path=ARTIFACTS / "10-queue-band-filter.png", full_page=True)
    # Sorting by a column keeps the band chosen.
    page.locator("#queue-results th a.sort", has_text="Leads").click()
    page.wait_for_url(lambda url: "sort=leads" in url and f"band={bands[0]}" in url)
    counts = page.evaluate(
        """() => {
            const heads = [...document.querySelectorAll('#queue-results thead th')];
            const at = heads.findIndex(th => th.textContent.trim() === 'Leads');
            return [...document.querySelectorAll('#queue-results tbody tr')]
                .map(tr => parseInt(tr.children[at].textContent.trim() || '0', 10));
        }"""
    )
    assert counts
    assert counts == sorted(counts, reverse=True)
    expect(page.locator("select[name=band]")).to_have_value(bands[0])
    context.close()


def test_search_from_the_menu_and_open_a_match(browser: Browser, live_site: LiveSite) -> None:
    page = signed_in(browser, live_site, "reviewer", width=1400)
    context = page.context
    page.get_by_role("link", name="Search").click()
    page.fill("input[name=q]", live_site.case_id.lower())
    page.keyboard.press("Enter")
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text("1 case you may open")
    page.screenshot(path=ARTIFACTS / "11-search.png", full_page=True)
    results.locator(f"a.case-link:text-is('{live_site.case_id}')").click()
    page.wait_for_url(f"{live_site.url}/cases/{live_site.case_id}")
    context.close()


def test_every_filter_answers_alone_and_the_queue_fits_800_pixels(
    browser: Browser, live_site: LiveSite
) -> None:
    page = signed_in(browser, live_site, "supervisor", width=800)
    context = page.context
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    for name in ("category", "area", "status", "network", "assignee"):
        page.goto(f"{live_site.url}/queue")
        values = page.locator(f"select[name={name}] option").evaluate_all(
            "options => options.map(o => o.value).filter(v => v)"
        )
        assert values, name
        with page.expect_response(lambda r: "/queue?" in r.url) as answer:
            page.select_option(f"select[name={name}]", values[0])
        assert answer.value.status == 200, name
        expect(page.locator("#queue-results .count")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "17-queue-800px.png", full_page=True)
    context.close()
