"""The referral decision and victim engagement through the web: the form's reasons, the
case page's engagement section, refusals (audited), the dashboard's counts, the export."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select
from web_site import Site

from relook.review import victim_engagement
from relook.review.victim_engagement import EngagementStatus
from relook.store.tables import audit_log, run_cases, run_people

ANSWERS = {
    "enquiry_answer": "yes", "risk_answer": "yes", "safeguarding_answer": "no",
    "justice_answer": "yes", "rationale": "Two suspects, both alive, never reviewed.",
}  # fmt: skip
NATIONAL = ["two_or_more_suspects", "suspects_believed_alive", "not_previously_reviewed",
            "nfa_in_window"]  # fmt: skip


def _mentions(site: Site, case_id: str, role: str) -> list[str]:
    with site.store.read() as connection:
        return list(
            connection.execute(
                select(run_people.c.mention_id)
                .where(
                    run_people.c.run_id == site.run_id,
                    run_people.c.case_id == case_id,
                    run_people.c.role == role,
                )
                .order_by(run_people.c.mention_id)
            ).scalars()
        )


def _assigned_case_with_victims(
    site: Site, username: str = "reviewer", *, in_network: bool | None = None
) -> str:
    cases = site.in_scope_cases(in_network=in_network)
    case_id = next(c for c in cases if _mentions(site, c, "victim"))
    assert site.login("supervisor").post(
        "/queue/assign", {"case_ids": case_id, "assignee": str(site.users[username].id)}
    ).status_code == 303  # fmt: skip
    return case_id


def _audit(site: Site, action: str, case_id: str) -> list[str]:
    with site.store.read() as connection:
        return list(
            connection.execute(
                select(audit_log.c.actor).where(
                    audit_log.c.action == action, audit_log.c.object_id == case_id
                )
            ).scalars()
        )


def test_a_reviewer_records_engagement_and_the_page_and_dashboard_show_it(site: Site) -> None:
    case_id = _assigned_case_with_victims(site)
    victims = _mentions(site, case_id, "victim")
    reviewer = site.login("reviewer")
    page = reviewer.get(f"/cases/{case_id}").text
    assert 'data-testid="engagement-form"' in page
    section = page[page.index('id="engagement"') : page.index('id="assessment"')]
    assert "Victim A" in section and "Not yet contacted" in section
    url = f"/cases/{case_id}/engagement"
    entry = {"victim_mention_id": victims[0], "status": "contact_attempted",
             "happened_on": "2026-10-01", "note": ""}  # fmt: skip
    assert reviewer.post(url, entry).status_code == 303
    assert reviewer.post(url, {**entry, "status": "agrees", "happened_on": "2026-10-09",
                               "note": "met with her ISVA"}).status_code == 303  # fmt: skip
    # A suspect is not a victim of the case; a made-up status or date is refused.
    suspect = _mentions(site, case_id, "suspect")[0]
    assert reviewer.post(url, {**entry, "victim_mention_id": suspect}).status_code == 400
    assert reviewer.post(url, {**entry, "victim_mention_id": "M0"}).status_code == 400
    assert reviewer.post(url, {**entry, "status": "maybe"}).status_code == 400
    assert reviewer.post(url, {**entry, "happened_on": "2999-01-01"}).status_code == 400

    page = reviewer.get(f"/cases/{case_id}").text
    section = page[page.index('id="engagement"') : page.index('id="assessment"')]
    assert "Agrees to reinvestigation" in section and "met with her ISVA" in section
    assert "History (2)" in section
    assert _audit(site, "victim_engagement", case_id) == ["reviewer", "reviewer"]
    with site.store.read() as connection:
        assert victim_engagement.current_status(connection, case_id) == {
            victims[0]: EngagementStatus.AGREES
        }

    programme = site.login("supervisor").get("/programme").text
    agreeing = re.search(r'data-testid="cases-with-agreement">([\d,]+)<', programme)
    assert agreeing and agreeing.group(1) == "1"
    assert re.search(r'data-testid="engagement-agrees">1<', programme)


def test_who_may_not_record_is_refused_and_the_refusal_is_audited(site: Site) -> None:
    case_id = _assigned_case_with_victims(site, "reviewer2", in_network=True)
    victim = _mentions(site, case_id, "victim")[0]
    entry = {"victim_mention_id": victim, "status": "agrees", "happened_on": "2026-10-01"}
    url = f"/cases/{case_id}/engagement"
    # The analyst opens every case but has no need to know about victims' engagement.
    analyst = site.login("analyst")
    assert 'id="engagement"' not in analyst.get(f"/cases/{case_id}").text
    assert analyst.post(url, entry).status_code == 403
    # A reviewer who may open the case (it is linked to theirs) but does not hold it.
    with site.store.read() as connection:
        network = connection.execute(
            select(run_cases.c.network_id).where(
                run_cases.c.run_id == site.run_id, run_cases.c.case_id == case_id
            )
        ).scalar_one()
    reviewer = site.login("reviewer")
    with site.store.read() as connection:
        linked = connection.execute(
            select(run_cases.c.case_id).where(
                run_cases.c.run_id == site.run_id,
                run_cases.c.network_id == network,
                run_cases.c.case_id != case_id,
            )
        ).scalars().first()  # fmt: skip
    assert site.login("supervisor").post(
        "/queue/assign", {"case_ids": linked, "assignee": str(site.users["reviewer"].id)}
    ).status_code == 303  # fmt: skip
    page = reviewer.get(f"/cases/{case_id}")
    assert page.status_code == 200 and 'id="engagement"' not in page.text
    assert reviewer.post(url, entry).status_code == 403
    assert _audit(site, "access_refused", case_id) == ["reviewer"]
    assert _audit(site, "victim_engagement", case_id) == []


def test_a_national_panel_referral_confirms_every_criterion_and_exports(site: Site) -> None:
    case_id = _assigned_case_with_victims(site)
    reviewer = site.login("reviewer")
    page = reviewer.get(f"/cases/{case_id}").text
    for decision in ("refer_national_panel", "refer_local_action", "no_further_action"):
        assert f'name="decision" value="{decision}"' in page
    assert 'value="reinvestigate"' not in page  # earlier decisions are not offered
    url = f"/cases/{case_id}/assessments"
    form = {**ANSWERS, "decision": "refer_national_panel"}
    assert reviewer.post(url, {**form, "reasons": NATIONAL[:3]}).status_code == 400
    assert reviewer.post(url, {**form, "decision": "reinvestigate",
                               "reasons": ["lines_of_enquiry"]}).status_code == 400  # fmt: skip
    # A draft keeps the ticked reasons.
    assert reviewer.post(f"/cases/{case_id}/draft", {**form, "reasons": NATIONAL[:2]}
                         ).status_code == 303  # fmt: skip
    page = reviewer.get(f"/cases/{case_id}").text
    assert 'value="two_or_more_suspects" checked' in page
    assert 'value="not_previously_reviewed" checked' not in page
    assert reviewer.post(url, {**form, "reasons": NATIONAL}).status_code == 303

    supervisor = site.login("supervisor")
    assert supervisor.post(f"/cases/{case_id}/assessments/1/sign-off",
                           {"outcome": "approved", "comment": ""}).status_code == 303  # fmt: skip
    page = supervisor.get(f"/cases/{case_id}").text
    assert "Refer to the national panel" in page
    assert "Suspects believed alive" in page and 'data-testid="decision-reasons"' in page
    assert re.search(r'data-testid="referred-national">1<', supervisor.get("/programme").text)

    exported = supervisor.post("/exports/assessments", {"reason": "panel referral pack check"})
    assert exported.status_code == 200
    (row,) = [r for r in csv.DictReader(io.StringIO(exported.text)) if r["case_id"] == case_id]
    assert row["decision"] == "refer_national_panel"
    assert row["decision_reasons"].split(";") == NATIONAL
