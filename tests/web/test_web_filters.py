"""Filters as the browser sends them: every field of the form, the unset ones blank.

A `<select>` whose first option is "Any" sends `status=`; a blank date sends `since=`.
Each filter must work while the others are left at "Any".
"""

from __future__ import annotations

import re

from sqlalchemy import select
from web_site import Site

from relook.store.tables import run_cases

QUEUE_FORM = ("scope", "band", "category", "area", "status", "network", "assignee", "sort")


def _form(**chosen: str) -> dict[str, str]:
    return {name: chosen.get(name, "") for name in QUEUE_FORM} | {"scope": "wider"}


def _shown(html: str) -> list[str]:
    return re.findall(r'class="case-link">(C\d+)<', html)


def _band_of(site: Site) -> dict[str, str | None]:
    with site.store.read() as connection:
        rows = connection.execute(
            select(run_cases.c.case_id, run_cases.c.priority_band).where(
                run_cases.c.run_id == site.run_id, run_cases.c.in_scope_wider.is_(True)
            )
        ).all()
    return {r.case_id: r.priority_band for r in rows}


def test_each_queue_filter_works_with_the_others_left_blank(site: Site) -> None:
    supervisor = site.login("supervisor")
    bands = _band_of(site)
    chosen = sorted({b for b in bands.values() if b})[0]
    response = supervisor.get("/queue", params=_form(band=chosen))
    assert response.status_code == 200
    shown = _shown(response.text)
    assert shown and {bands[c] for c in shown} == {chosen}
    everything = supervisor.get("/queue", params=_form())
    assert everything.status_code == 200 and _shown(everything.text)
    for name, value in (("network", "any"), ("status", "unassigned"), ("assignee", "none")):
        filtered = supervisor.get("/queue", params=_form(**{name: value}))
        assert filtered.status_code == 200, name
        assert set(_shown(filtered.text)) <= set(bands), name


def test_audit_filters_take_blank_dates_and_part_of_a_name(site: Site) -> None:
    site.login("analyst").get(f"/cases/{site.in_scope_cases()[0]}")
    auditor = site.login("auditor")
    blank = {"actor": "", "action": "", "object_id": "", "since": "", "until": ""}
    page = auditor.get("/audit", params=blank | {"actor": "ANALY"})
    assert page.status_code == 200
    assert "view_case" in page.text and "analyst" in page.text
    assert "supervisor" not in re.sub(r"<(nav|header)[^>]*>.*?</\1>", "", page.text, flags=re.S)


def _column(site: Site, name: str) -> dict[str, object]:
    with site.store.read() as connection:
        rows = connection.execute(
            select(run_cases.c.case_id, getattr(run_cases.c, name)).where(
                run_cases.c.run_id == site.run_id, run_cases.c.in_scope_wider.is_(True)
            )
        ).all()
    return {r[0]: r[1] for r in rows}


def test_queue_sorts_by_a_column_and_keeps_the_filters(site: Site) -> None:
    supervisor = site.login("supervisor")
    leads = _column(site, "n_leads")
    page = supervisor.get("/queue", params=_form(sort="leads", network="any"))
    assert page.status_code == 200
    shown = _shown(page.text)
    counts = [leads[c] for c in shown]
    assert shown and counts == sorted(counts, reverse=True)
    assert set(shown) <= set(site.in_scope_cases(in_network=True))
    assert 'name="sort" value="leads"' in page.text
    # The header links keep the filters and offer the other direction of a date.
    assert "sort=-outcome" not in page.text and "network=any&amp;sort=outcome" in page.text
    newest = supervisor.get("/queue", params={"sort": "outcome"})
    oldest = supervisor.get("/queue", params={"sort": "-outcome"})
    outcome = _column(site, "outcome_on")
    newest_dates = [outcome[c] for c in _shown(newest.text) if outcome[c]]
    oldest_dates = [outcome[c] for c in _shown(oldest.text) if outcome[c]]
    assert newest_dates == sorted(newest_dates, reverse=True)
    assert oldest_dates == sorted(oldest_dates)
    assert 'href="/queue?scope=wider&amp;sort=-outcome"' in newest.text
    assert supervisor.get("/queue", params={"sort": "nonsense"}).status_code == 400
