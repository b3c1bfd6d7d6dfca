"""Need to know, as issue 14 found it wanting: reasons for disclosures, refused access
recorded, and the match explanation limited to records the user may open."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from web_site import Site

from relook.review import assignments
from relook.store.tables import audit_log, run_episodes, run_people

BLANK_REASONS = (
    " " * 10,
    "." * 10,
    "\u200b" * 12,
    "\u200b \u200b" * 6,
    "1234567890",
    "aaaaaaaaaaaa",  # one "word" is not a reason
)


def _actions(site: Site, object_id: str) -> list[tuple[str, str | None]]:
    with site.store.read() as connection:
        return [
            (r.action, r.reason)
            for r in connection.execute(
                select(audit_log.c.action, audit_log.c.reason)
                .where(audit_log.c.object_id == object_id)
                .order_by(audit_log.c.seq)
            )
        ]


@pytest.mark.parametrize("reason", BLANK_REASONS)
def test_a_reveal_needs_a_reason_in_words(site: Site, reason: str) -> None:
    case_id = site.in_scope_cases()[0]
    analyst = site.login("analyst")
    refused = analyst.post(f"/cases/{case_id}/reveal", {"reason": reason})
    assert refused.status_code == 400
    assert "Victim A" not in refused.text
    assert _actions(site, case_id) == []  # neither a reveal nor a view with reason ''


def test_a_reveal_is_audited_as_a_reveal_with_its_cleaned_reason(site: Site) -> None:
    case_id = site.in_scope_cases()[0]
    analyst = site.login("analyst")
    revealed = analyst.post(
        f"/cases/{case_id}/reveal", {"reason": "  safeguarding\u200b   check  with social care "}
    )
    assert revealed.status_code == 200
    assert _actions(site, case_id) == [("reveal", "safeguarding check with social care")]


@pytest.mark.parametrize("reason", BLANK_REASONS[:3])
def test_an_export_with_a_blank_reason_is_refused(site: Site, reason: str) -> None:
    supervisor = site.login("supervisor")
    refused = supervisor.post("/exports/assessments", {"reason": reason})
    assert refused.status_code == 400
    assert _actions(site, "assessments.csv") == []
    done = supervisor.post("/exports/assessments", {"reason": "monthly return to the team"})
    assert done.status_code == 200
    assert _actions(site, "assessments.csv") == [("export", "monthly return to the team")]


def _reviewer_with_one_case(site: Site) -> tuple[str, str, str, str]:
    """(assigned case, a person on it, that person's mention there, a mention on a case
    the reviewer may not open)."""
    assigned = site.in_scope_cases(in_network=False)[0]
    unrelated = site.in_scope_cases(in_network=False)[1]
    with site.store.write() as connection:
        assignments.assign(connection, site.run_id, [assigned], site.users["reviewer"].id,
                           by=site.users["supervisor"])  # fmt: skip
    with site.store.read() as connection:
        mine = connection.execute(
            select(run_people.c.person_id, run_people.c.mention_id).where(
                run_people.c.run_id == site.run_id,
                run_people.c.case_id == assigned,
                run_people.c.person_id.is_not(None),
            )
        ).first()
        other = connection.execute(
            select(run_people.c.mention_id).where(
                run_people.c.run_id == site.run_id, run_people.c.case_id == unrelated
            )
        ).scalar()
    assert mine is not None and other is not None
    return assigned, mine.person_id, mine.mention_id, other


def test_explain_takes_only_records_the_user_may_open(site: Site) -> None:
    _case, person_id, mention, elsewhere = _reviewer_with_one_case(site)
    reviewer = site.login("reviewer")
    url = f"/persons/{person_id}/explain"
    assert reviewer.get(url, params={"a": mention, "b": mention}).status_code == 200
    oracle = reviewer.get(url, params={"a": mention, "b": elsewhere})
    assert oracle.status_code == 404
    assert not any(elsewhere in detail for (detail,) in _explained(site))
    # An analyst opens every case, so may compare with any record.
    analyst = site.login("analyst")
    assert analyst.get(url, params={"a": mention, "b": elsewhere}).status_code == 200


def _explained(site: Site) -> list[tuple[str]]:
    with site.store.read() as connection:
        return [
            (str(d),)
            for d in connection.execute(
                select(audit_log.c.detail).where(audit_log.c.action == "explain_match")
            ).scalars()
        ]


def _protected_homes(site: Site, case_id: str) -> set[str]:
    """Addresses and postcodes that any victim or missing child on the case has on any
    record, folded to letters and digits."""
    with site.store.read() as connection:
        victims = select(run_people.c.person_id).where(
            run_people.c.run_id == site.run_id, run_people.c.role == "victim"
        )
        missing = select(run_episodes.c.person_id).where(run_episodes.c.run_id == site.run_id)
        on_case = select(run_people.c.person_id).where(
            run_people.c.run_id == site.run_id, run_people.c.case_id == case_id
        )
        rows = connection.execute(
            select(run_people.c.address, run_people.c.postcode).where(
                run_people.c.run_id == site.run_id,
                run_people.c.person_id.in_(on_case),
                run_people.c.person_id.in_(victims.union(missing)),
            )
        ).all()
    homes = set()
    for row in rows:
        if row.address:
            street = row.address.split(",")[-2 if row.address.startswith("Flat") else 0]
            homes.add(re.sub(r"[\W_]", "", street).casefold())
        if row.postcode:
            homes.add(re.sub(r"[\W_]", "", row.postcode).casefold())
    return {h for h in homes if len(h) >= 5}


def test_no_victims_home_on_any_case_page_until_revealed(site: Site) -> None:
    analyst = site.login("analyst")
    checked = 0
    for case_id in site.in_scope_cases()[:60]:
        homes = _protected_homes(site, case_id)
        if not homes:
            continue
        page = re.sub(r"[\W_]", "", analyst.get(f"/cases/{case_id}").text).casefold()
        leaked = sorted(h for h in homes if h in page)
        assert not leaked, (case_id, leaked)
        checked += 1
    assert checked >= 10


def test_refused_access_is_recorded_at_a_bounded_rate_and_shown_to_the_auditor(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from relook.security import refusals

    monkeypatch.setattr(refusals, "PER_USER_LIMIT", 3)
    _case, _person, _mention, _elsewhere = _reviewer_with_one_case(site)
    beyond = site.in_scope_cases(in_network=False)[2:8]
    reviewer = site.login("reviewer")
    for _ in range(3):  # the same case again and again: one entry
        assert reviewer.get(f"/cases/{beyond[0]}").status_code == 403
    entries = [a for a, _r in _actions(site, beyond[0])]
    assert entries == ["access_refused"]
    for case_id in beyond[1:]:  # many cases: up to the limit, then one entry saying so
        assert reviewer.get(f"/cases/{case_id}").status_code == 403
    with site.store.read() as connection:
        recorded = list(
            connection.execute(
                select(audit_log.c.action)
                .where(audit_log.c.action.like("access_refused%"))
                .order_by(audit_log.c.seq)
            ).scalars()
        )
    assert recorded == ["access_refused"] * 3 + ["access_refused_suppressed"]
    auditor = site.login("auditor").get("/audit")
    assert 'data-testid="refused-summary"' in auditor.text and beyond[0] in auditor.text
