"""Leads as actions on the case page: raised, not relevant (with a reason), resulted;
append-only, audited, shown on the page and in the assessment, counted in the export."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select, text
from web_site import Site

from relook.review import lead_actions
from relook.store.tables import audit_log, run_leads


def _case_with_leads(site: Site) -> tuple[str, list[str]]:
    in_scope = set(site.in_scope_cases())
    with site.store.read() as connection:
        rows = connection.execute(
            select(run_leads.c.case_id, run_leads.c.lead_id)
            .where(run_leads.c.run_id == site.run_id)
            .order_by(run_leads.c.case_id, run_leads.c.lead_id)
        ).all()
    by_case: dict[str, list[str]] = {}
    for case_id, lead_id in rows:
        if case_id in in_scope:
            by_case.setdefault(case_id, []).append(lead_id)
    case_id = max(by_case, key=lambda c: len(by_case[c]))
    return case_id, by_case[case_id]


def test_a_reviewer_marks_leads_and_the_marks_show_count_and_export(site: Site) -> None:
    case_id, leads = _case_with_leads(site)
    supervisor = site.login("supervisor")
    assert supervisor.post(
        "/queue/assign", {"case_ids": case_id, "assignee": str(site.users["reviewer"].id)}
    ).status_code == 303  # fmt: skip
    reviewer = site.login("reviewer")
    assert 'data-testid="lead-action-form"' in reviewer.get(f"/cases/{case_id}").text
    lead = leads[0]
    url = f"/cases/{case_id}/leads/{lead}"
    # "Not relevant" needs a reason; an unknown lead is refused.
    assert reviewer.post(url, {"action": "not_relevant", "reason": ""}).status_code == 400
    assert reviewer.post(f"/cases/{case_id}/leads/L0000", {"action": "raised"}).status_code == 404
    assert reviewer.post(url, {"action": "raised", "reason": ""}).status_code == 303
    assert reviewer.post(
        url, {"action": "not_relevant", "reason": "the phone is the school's"}
    ).status_code == 303  # fmt: skip

    page = reviewer.get(f"/cases/{case_id}").text
    assert "Not relevant" in page and "the phone is the school&#39;s" in page
    assert 'data-testid="lead-counts"' in page and "1 not relevant" in page

    # Both marks are kept (the later one is the state) and each was audited.
    with site.store.read() as connection:
        marks = lead_actions.history(connection, case_id)
        audited = connection.execute(
            select(audit_log.c.detail).where(audit_log.c.object_id == case_id)
        ).scalars().all()  # fmt: skip
    assert [m.action.value for m in marks] == ["raised", "not_relevant"]
    assert sum(1 for d in audited if d and "lead_action" in d) == 2

    # A mark cannot be changed or removed in the store.
    try:
        with site.store.write() as connection:
            connection.execute(text("DELETE FROM lead_actions"))
    except Exception as exc:
        assert "append-only" in str(exc)
    else:
        raise AssertionError("lead_actions accepted a DELETE")

    # The export counts the case's leads by what was done with them.
    assert reviewer.post(f"/cases/{case_id}/assessments", {
        "enquiry_answer": "yes", "risk_answer": "no", "safeguarding_answer": "no",
        "justice_answer": "unclear", "decision": "refer_local_action",
        "reasons": "lines_of_enquiry", "rationale": "see leads",
    }).status_code == 303  # fmt: skip
    with site.store.read() as connection:
        from relook.review import export

        csv_text, _ = export.assessments_csv(connection)
    rows = [r for r in csv.DictReader(io.StringIO(csv_text)) if r["case_id"] == case_id]
    assert (rows[0]["leads_raised"], rows[0]["leads_not_relevant"]) == ("0", "1")


def test_an_unassigned_reviewer_cannot_mark_a_lead(site: Site) -> None:
    case_id, leads = _case_with_leads(site)
    reviewer = site.login("reviewer")
    response = reviewer.post(f"/cases/{case_id}/leads/{leads[0]}", {"action": "raised"})
    assert response.status_code in (403, 404)
