"""Assessments and sign-offs changed behind relook's back are found by verify (issue 14:
with a trigger dropped, `UPDATE assessments SET decision=...` passed `audit verify`)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from test_web_review_flow import ANSWERS
from web_site import Site

from relook.security import audit


def _decided(site: Site) -> str:
    """A case assessed by one supervisor and approved by another."""
    case_id = site.in_scope_cases()[0]
    author = site.login("supervisor")
    assert author.post(f"/cases/{case_id}/assessments", ANSWERS).status_code == 303
    signer = site.login("supervisor2")
    approved = signer.post(f"/cases/{case_id}/assessments/1/sign-off", {"outcome": "approved"})
    assert approved.status_code == 303
    return case_id


def _verify(site: Site) -> audit.VerifyResult:
    with site.store.snapshot() as connection:
        return audit.verify(connection, site.store.audit_key)


def _tamper(site: Site, table: str, statement: str) -> None:
    with site.store.write() as connection:
        if site.store.is_sqlite:
            for operation in ("update", "delete"):
                connection.execute(text(f"DROP TRIGGER {table}_no_{operation}"))
        else:
            connection.execute(text(f"DROP TRIGGER {table}_append_only ON {table}"))
        connection.execute(text(statement))


@pytest.mark.parametrize(
    ("table", "statement", "found"),
    [
        ("assessments", "UPDATE assessments SET decision = 'no_further_action'", "was changed"),
        ("assessments", "UPDATE assessments SET rationale = 'nothing to see'", "was changed"),
        ("signoffs", "UPDATE signoffs SET outcome = 'returned'", "was changed"),
        ("signoffs", "DELETE FROM signoffs", "is gone"),
        # The decision's structured reasons are vouched for with the assessment.
        (
            "assessment_reasons",
            "UPDATE assessment_reasons SET reason = 'safeguarding'",
            "was changed",
        ),
        ("assessment_reasons", "DELETE FROM assessment_reasons", "was changed"),
    ],
)
def test_verify_reports_a_changed_decision(
    site: Site, table: str, statement: str, found: str
) -> None:
    case_id = _decided(site)
    before = _verify(site)
    assert before.ok and before.records_checked == 2 and before.records_unvouched == 0
    _tamper(site, table, statement)
    after = _verify(site)
    assert not after.ok
    assert after.records_problem is not None and found in after.records_problem
    assert case_id in after.records_problem


def test_verify_reports_a_decision_added_outside_relook(site: Site) -> None:
    case_id = _decided(site)
    with site.store.write() as connection:
        connection.execute(
            text(
                "INSERT INTO assessments (case_id, version, author_id, at, run_id,"
                " enquiry_answer, enquiry_notes, risk_answer, risk_notes, safeguarding_answer,"
                " safeguarding_notes, justice_answer, justice_notes, decision, rationale)"
                " SELECT case_id, 2, author_id, at, run_id, enquiry_answer, enquiry_notes,"
                " risk_answer, risk_notes, safeguarding_answer, safeguarding_notes,"
                " justice_answer, justice_notes, 'no_further_action', rationale"
                " FROM assessments WHERE version = 1"
            )
        )
    problem = _verify(site).records_problem
    assert problem is not None and "has no audit entry" in problem and case_id in problem


def test_the_verify_page_names_the_change_and_offers_no_head_to_note(site: Site) -> None:
    _decided(site)
    auditor = site.login("auditor")
    intact = auditor.get("/audit/verify").text
    assert 'data-testid="verify-head"' in intact and "2 assessments and sign-offs" in intact
    _tamper(site, "assessments", "UPDATE assessments SET decision = 'no_further_action'")
    broken = auditor.get("/audit/verify").text
    assert 'data-testid="verify-records"' in broken and "was changed" in broken
    assert 'data-testid="verify-head"' not in broken and "Note it somewhere" not in broken


def test_decisions_from_before_digests_are_vouched_for_on_upgrade(site: Site) -> None:
    """A store upgraded to digests: decisions recorded before (their entries carry no
    digest) are vouched for as they stand, once, and a later change to one is found."""
    from sqlalchemy import insert

    from relook.security.audit import AuditAction, open_audited_store
    from relook.store.migrate import downgrade
    from relook.store.tables import assessments

    case_id = site.in_scope_cases()[0]
    author = site.users["supervisor"]
    with site.store.write() as connection:  # as relook recorded one before digests
        connection.execute(
            insert(assessments).values(
                case_id=case_id, version=1, author_id=author.id, at="2026-01-01T00:00:00Z",
                run_id=site.run_id, enquiry_answer="yes", enquiry_notes="", risk_answer="no",
                risk_notes="", safeguarding_answer="no", safeguarding_notes="",
                justice_answer="no", justice_notes="", decision="reinvestigate",
                rationale="an older decision",
            )
        )  # fmt: skip
        audit.append(connection, author.actor, AuditAction.ASSESS, object_type="case",
                     object_id=case_id, detail={"version": 1})  # fmt: skip
    assert _verify(site).records_unvouched == 1
    downgrade(site.store.engine, "0007")  # back to the schema before digests
    upgraded = open_audited_store(site.store.engine, audit_key=site.store.audit_key)
    vouched = _verify(site)
    assert vouched.ok and vouched.records_checked == 1 and vouched.records_unvouched == 0
    open_audited_store(site.store.engine, audit_key=site.store.audit_key)  # once only
    with upgraded.read() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM audit_log WHERE action = 'records_vouched'")
        ).scalar_one()
    assert count == 1
    _tamper(site, "assessments", "UPDATE assessments SET decision = 'no_further_action'")
    problem = _verify(site).records_problem
    assert problem is not None and case_id in problem and "was changed" in problem
