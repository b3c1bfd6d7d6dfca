"""Assessment, sign-off, versions, export: the review's decisions through the web."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from web_site import Site

from relook.review import assessments
from relook.store.tables import audit_log

ANSWERS = {
    "enquiry_answer": "yes", "enquiry_notes": "VRM in the 2014 note never checked",
    "risk_answer": "yes", "risk_notes": "suspect named in a 2019 case",
    "safeguarding_answer": "no", "safeguarding_notes": "",
    "justice_answer": "unclear", "justice_notes": "",
    "decision": "refer_local_action", "reasons": "lines_of_enquiry",
    "rationale": "Unchecked vehicle links two cases.",
}  # fmt: skip


def _assign(site: Site, case_id: str, to: str = "reviewer") -> None:
    supervisor = site.login("supervisor")
    response = supervisor.post(
        "/queue/assign", {"case_ids": case_id, "assignee": str(site.users[to].id)}
    )
    assert response.status_code == 303


def test_assess_return_reassess_approve(site: Site) -> None:
    case_id = site.in_scope_cases()[0]
    _assign(site, case_id)
    reviewer = site.login("reviewer")
    page = reviewer.get(f"/cases/{case_id}")
    assert 'data-testid="assessment-form"' in page.text
    assert reviewer.post(f"/cases/{case_id}/assessments", ANSWERS).status_code == 303
    # A reviewer cannot sign off; an incomplete form is refused.
    assert reviewer.post(f"/cases/{case_id}/assessments/1/sign-off",
                         {"outcome": "approved"}).status_code == 403  # fmt: skip
    assert reviewer.post(f"/cases/{case_id}/assessments",
                         {**ANSWERS, "rationale": ""}).status_code == 400  # fmt: skip

    supervisor = site.login("supervisor")
    assert 'data-testid="sign-off-form"' in supervisor.get(f"/cases/{case_id}").text
    returned = supervisor.post(f"/cases/{case_id}/assessments/1/sign-off",
                               {"outcome": "returned", "comment": ""})  # fmt: skip
    assert returned.status_code == 400  # a return needs a comment
    assert supervisor.post(f"/cases/{case_id}/assessments/1/sign-off",
                           {"outcome": "returned", "comment": "Say which note."}).status_code == 303  # fmt: skip
    # Signing off twice, or an old version, is refused.
    assert supervisor.post(f"/cases/{case_id}/assessments/1/sign-off",
                           {"outcome": "approved"}).status_code == 409  # fmt: skip

    assert reviewer.post(f"/cases/{case_id}/assessments",
                         {**ANSWERS, "rationale": "Note N12 names the VRM."}).status_code == 303  # fmt: skip
    supervisor2 = site.login("supervisor2")
    assert supervisor2.post(f"/cases/{case_id}/assessments/2/sign-off",
                            {"outcome": "approved", "comment": ""}).status_code == 303  # fmt: skip
    final = reviewer.get(f"/cases/{case_id}").text
    assert "Approved by supervisor2" in final and "Returned by supervisor" in final
    assert 'data-testid="assessment-form"' not in final  # signed off: no more versions
    assert reviewer.post(f"/cases/{case_id}/assessments", ANSWERS).status_code == 409

    with site.store.read() as connection:
        history = assessments.history(connection, case_id)
        actions = list(
            connection.execute(
                select(audit_log.c.action).where(audit_log.c.object_id == case_id)
            ).scalars()
        )
    assert [a.version for a in history] == [2, 1]
    assert history[1].rationale == ANSWERS["rationale"]  # version 1 kept unchanged
    assert actions.count("assess") == 2 and actions.count("sign_off") == 2


def test_no_one_signs_off_their_own_assessment(site: Site) -> None:
    case_id = site.in_scope_cases()[1]
    supervisor = site.login("supervisor")
    assert supervisor.post(f"/cases/{case_id}/assessments", ANSWERS).status_code == 303
    page = supervisor.get(f"/cases/{case_id}").text
    assert 'data-testid="sign-off-form"' not in page
    assert "awaits sign-off by another supervisor" in page
    refused = supervisor.post(f"/cases/{case_id}/assessments/1/sign-off", {"outcome": "approved"})
    assert refused.status_code == 403 and "never their own" in refused.text
    assert (
        site.login("supervisor2")
        .post(f"/cases/{case_id}/assessments/1/sign-off", {"outcome": "approved"})
        .status_code
        == 303
    )


def test_a_reviewer_assesses_only_assigned_cases(site: Site) -> None:
    case_id = site.in_scope_cases()[2]
    _assign(site, case_id, to="reviewer2")
    reviewer = site.login("reviewer")
    assert reviewer.post(f"/cases/{case_id}/assessments", ANSWERS).status_code == 403


def test_export_is_audited_with_its_reason_and_safe_to_open(site: Site) -> None:
    case_id = site.in_scope_cases()[0]
    _assign(site, case_id)
    reviewer = site.login("reviewer")
    assert reviewer.post(f"/cases/{case_id}/assessments",
                         {**ANSWERS, "rationale": "=HYPERLINK(\"x\")"}).status_code == 303  # fmt: skip
    supervisor = site.login("supervisor")
    assert supervisor.post("/exports/assessments", {"reason": "short"}).status_code == 400
    response = supervisor.post("/exports/assessments", {"reason": "monthly national return"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 1 and rows[0]["case_id"] == case_id
    assert rows[0]["rationale"].startswith("'=")
    with site.store.read() as connection:
        entry = (
            connection.execute(select(audit_log).where(audit_log.c.action == "export"))
            .mappings()
            .one()
        )
    assert entry["reason"] == "monthly national return" and entry["actor"] == "supervisor"
