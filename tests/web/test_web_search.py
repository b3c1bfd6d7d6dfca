"""Search across the force: every way a value is written, need to know, the audit."""

from __future__ import annotations

import re

from sqlalchemy import select
from web_site import Site

from relook.normalise.names import forename_variants
from relook.normalise.phones import to_e164
from relook.review import access
from relook.store.tables import audit_log, run_people, run_vehicles


def _cases(html: str) -> set[str]:
    return set(re.findall(r'class="case-link" href="/cases/(C\d+)"', html))


def _suspect_with_phone(site: Site) -> tuple[str, str, str, str]:
    with site.store.read() as connection:
        row = connection.execute(
            select(run_people.c.case_id, run_people.c.forenames, run_people.c.surname,
                   run_people.c.phone)
            .where(run_people.c.run_id == site.run_id, run_people.c.role == "suspect",
                   run_people.c.phone.is_not(None), run_people.c.forenames.is_not(None),
                   run_people.c.surname.is_not(None))
            .order_by(run_people.c.mention_id)
            .limit(1)
        ).one()  # fmt: skip
    return row.case_id, row.forenames, row.surname, row.phone


def test_search_finds_a_case_however_the_value_is_written(site: Site) -> None:
    supervisor = site.login("supervisor")
    case_id, forenames, surname, phone = _suspect_with_phone(site)
    assert case_id in _cases(supervisor.get("/search", params={"q": case_id.lower()}).text)
    e164 = to_e164(phone)
    assert e164 is not None
    spaced = "0" + e164[3:7] + " " + e164[7:]  # written as a UK number, with a space
    by_phone = supervisor.get("/search", params={"q": spaced})
    assert case_id in _cases(by_phone.text) and "phone of a suspect" in by_phone.text
    first = forenames.split()[0]
    variant = sorted(forename_variants(first.lower()) - {first.lower()} or {first.lower()})[0]
    by_name = supervisor.get("/search", params={"q": f"{variant.upper()} {surname.lower()}"})
    assert case_id in _cases(by_name.text)
    assert "name of a suspect" in by_name.text or "surname of a suspect" in by_name.text
    with site.store.read() as connection:
        vehicle = connection.execute(
            select(run_vehicles.c.case_id, run_vehicles.c.vrm_canonical)
            .where(run_vehicles.c.run_id == site.run_id, run_vehicles.c.vrm_canonical.is_not(None))
            .limit(1)
        ).one()
    spaced_out = " ".join(vehicle.vrm_canonical.lower())  # "a b 1 2 c d e"
    by_mark = supervisor.get("/search", params={"q": spaced_out})
    assert vehicle.case_id in _cases(by_mark.text)
    assert "registration mark" in by_mark.text


def test_a_reviewer_sees_outside_matches_only_as_a_count(site: Site) -> None:
    with site.store.read() as connection:
        reach = access.reach(connection, site.run_id, site.users["reviewer"])
        surnames = connection.execute(
            select(run_people.c.surname, run_people.c.case_id).where(
                run_people.c.run_id == site.run_id, run_people.c.surname.is_not(None)
            )
        ).all()
    outside = next(r for r in surnames if not reach.may_open(r.case_id, None))
    reviewer = site.login("reviewer")
    page = reviewer.get("/search", params={"q": outside.surname})
    assert page.status_code == 200
    assert outside.case_id not in _cases(page.text)
    assert 'data-testid="search-hidden"' in page.text
    with site.store.read() as connection:
        searches = connection.execute(
            select(audit_log.c.actor, audit_log.c.detail).where(audit_log.c.action == "search")
        ).all()
    assert any(a == "reviewer" and outside.surname in str(d) for a, d in searches)


def test_search_is_for_roles_that_open_cases(site: Site) -> None:
    assert site.login("auditor").get("/search", params={"q": "smith"}).status_code == 403
    assert site.login("admin").get("/search", params={"q": "smith"}).status_code == 403
