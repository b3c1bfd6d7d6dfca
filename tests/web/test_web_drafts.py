"""Drafts: typed text survives the session, is the author's alone, and goes on submit;
a returned assessment comes back filled in with the supervisor's comment."""

from __future__ import annotations

import html
import re

from sqlalchemy import select
from web_site import Site

from relook.store.tables import assessment_drafts, audit_log

NOTE = "The VRM in the note of 2014-03-02 was never checked on PNC."
ANSWERS = {
    "enquiry_answer": "yes", "enquiry_notes": NOTE,
    "risk_answer": "yes", "risk_notes": "",
    "safeguarding_answer": "no", "safeguarding_notes": "",
    "justice_answer": "unclear", "justice_notes": "",
    "decision": "refer_local_action", "reasons": "lines_of_enquiry",
    "rationale": "Unchecked vehicle links two cases.",
}  # fmt: skip
AUTOSAVE = {"X-Relook-Autosave": "1"}


def _case_for_reviewer(site: Site, index: int) -> str:
    case_id = site.in_scope_cases()[index]
    supervisor = site.login("supervisor")
    assigned = supervisor.post(
        "/queue/assign", {"case_ids": case_id, "assignee": str(site.users["reviewer"].id)}
    )
    assert assigned.status_code == 303
    return case_id


def test_a_draft_survives_a_new_session_and_only_its_author_sees_it(site: Site) -> None:
    case_id = _case_for_reviewer(site, 5)
    first_session = site.login("reviewer")
    saved = first_session.post(
        f"/cases/{case_id}/draft", {"enquiry_answer": "yes", "enquiry_notes": NOTE},
        headers=AUTOSAVE,
    )  # fmt: skip
    assert saved.status_code == 204 and saved.headers["X-Relook-Saved-At"]
    # The same text again: nothing new is written or audited.
    again = first_session.post(
        f"/cases/{case_id}/draft", {"enquiry_answer": "yes", "enquiry_notes": NOTE},
        headers=AUTOSAVE,
    )  # fmt: skip
    assert again.status_code == 204
    with site.store.read() as connection:
        entries = connection.execute(
            select(audit_log.c.detail).where(
                audit_log.c.action == "draft_saved", audit_log.c.object_id == case_id
            )
        ).all()
    assert len(entries) == 1 and NOTE not in str(entries[0].detail)  # a digest, not the text

    new_session = site.login("reviewer")
    page = new_session.get(f"/cases/{case_id}").text
    assert 'data-testid="draft-restored"' in page and html.escape(NOTE) in page
    assert 'value="yes" required checked' in page
    supervisor_page = site.login("supervisor").get(f"/cases/{case_id}").text
    assert html.escape(NOTE) not in supervisor_page

    submitted = new_session.post(f"/cases/{case_id}/assessments", ANSWERS)
    assert submitted.status_code == 303
    with site.store.read() as connection:
        left = connection.execute(
            select(assessment_drafts).where(assessment_drafts.c.case_id == case_id)
        ).all()
    assert left == []


def test_only_someone_who_may_assess_the_case_keeps_a_draft(site: Site) -> None:
    case_id = _case_for_reviewer(site, 6)
    other = site.login("reviewer2")
    refused = other.post(f"/cases/{case_id}/draft", {"rationale": "x"}, headers=AUTOSAVE)
    assert refused.status_code == 403
    assert site.login("analyst").post(f"/cases/{case_id}/draft", {}).status_code == 403


def test_a_returned_assessment_opens_filled_in_with_the_comment(site: Site) -> None:
    case_id = _case_for_reviewer(site, 7)
    reviewer = site.login("reviewer")
    assert reviewer.post(f"/cases/{case_id}/assessments", ANSWERS).status_code == 303
    supervisor = site.login("supervisor")
    comment = "Say which note names the vehicle."
    returned = supervisor.post(
        f"/cases/{case_id}/assessments/1/sign-off", {"outcome": "returned", "comment": comment}
    )
    assert returned.status_code == 303
    page = reviewer.get(f"/cases/{case_id}").text
    assert 'data-testid="returned-filled"' in page
    assert html.escape(NOTE) in page and html.escape(comment) in page
    # The Save draft button comes back to the page, with the draft now in front.
    explicit = reviewer.post(f"/cases/{case_id}/draft", {**ANSWERS, "rationale": "Note N12."})
    assert explicit.status_code == 303
    assert 'data-testid="draft-restored"' in reviewer.get(f"/cases/{case_id}").text


def test_the_case_page_has_contents_and_the_next_case_in_my_queue(site: Site) -> None:
    first, second = _case_for_reviewer(site, 8), _case_for_reviewer(site, 9)
    reviewer = site.login("reviewer")
    page = reviewer.get(f"/cases/{first}").text
    assert 'data-testid="contents"' in page and 'href="#assessment"' in page
    nexts = re.findall(r'data-testid="next-case">Next in my queue: (C\d+)', page)
    assert nexts and nexts[0] != first
    # Following "next" never stops: from the last case it goes round to the first.
    seen = {first}
    current = nexts[0]
    while current not in seen:
        seen.add(current)
        following = re.findall(
            r'data-testid="next-case">Next in my queue: (C\d+)',
            reviewer.get(f"/cases/{current}").text,
        )
        current = following[0]
    assert second in seen
