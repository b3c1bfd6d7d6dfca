"""The programme dashboard and the data-quality page, as each role sees them."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select
from web_site import Site

from relook.store.tables import audit_log

ANSWERS = {
    "enquiry_answer": "yes", "enquiry_notes": "", "risk_answer": "no", "risk_notes": "",
    "safeguarding_answer": "no", "safeguarding_notes": "", "justice_answer": "no",
    "justice_notes": "", "decision": "refer_local_action", "reasons": "lines_of_enquiry",
    "rationale": "A vehicle never checked.",
}  # fmt: skip


def _stage(html: str, key: str) -> int:
    found = re.search(rf'data-testid="{key}">([\d,]+)<', html)
    assert found, key
    return int(found.group(1).replace(",", ""))


def test_progress_counts_follow_the_review(site: Site) -> None:
    supervisor = site.login("supervisor")
    before = supervisor.get("/programme").text
    cases = site.in_scope_cases()[20:22]
    for case_id in cases:
        assigned = supervisor.post(
            "/queue/assign", {"case_ids": case_id, "assignee": str(site.users["reviewer"].id)}
        )
        assert assigned.status_code == 303
    reviewer = site.login("reviewer")
    assert reviewer.post(f"/cases/{cases[0]}/assessments", ANSWERS).status_code == 303
    approved = supervisor.post(f"/cases/{cases[0]}/assessments/1/sign-off",
                               {"outcome": "approved", "comment": ""})  # fmt: skip
    assert approved.status_code == 303
    after = supervisor.get("/programme").text
    assert _stage(after, "stage-done") == _stage(before, "stage-done") + 1
    assert _stage(after, "referred") == _stage(before, "referred") + 1
    assert _stage(after, "stage-in_progress") == _stage(before, "stage-in_progress") + 1
    assert 'data-testid="forecast"' in after and "<svg" in after
    rows = list(csv.reader(io.StringIO(supervisor.get("/programme/reviewer.csv").text)))
    assert rows[0] == [
        "reviewer",
        "unassigned",
        "in_progress",
        "awaiting_sign_off",
        "done",
        "total",
    ]
    mine = next(r for r in rows[1:] if r[0] == "reviewer")
    assert int(mine[4]) >= 1 and int(mine[2]) >= 1


def test_a_supervisor_sets_the_deadline_and_target(site: Site) -> None:
    supervisor = site.login("supervisor")
    saved = supervisor.post(
        "/programme/settings", {"start_on": "2026-01-05", "deadline": "2027-03-31",
                                "weekly_target": "40"},
    )  # fmt: skip
    assert saved.status_code == 303
    page = supervisor.get("/programme").text
    assert 'value="2027-03-31"' in page and "The deadline is 2027-03-31" in page
    assert "target of 40 a week" in page
    with site.store.read() as connection:
        entry = connection.execute(
            select(audit_log.c.actor, audit_log.c.detail).where(
                audit_log.c.action == "programme_settings"
            )
        ).all()[-1]
    assert entry.actor == "supervisor" and "2027-03-31" in entry.detail
    bad = supervisor.post("/programme/settings", {"deadline": "31/03/2027"})
    assert bad.status_code == 400


def test_an_admin_sees_aggregates_but_no_case_lists(site: Site) -> None:
    admin = site.login("admin")
    page = admin.get("/programme")
    assert page.status_code == 200 and 'id="waiting"' not in page.text
    assert re.search(r'href="/cases/C\d+"', page.text) is None
    assert admin.get("/programme/waiting.csv").status_code == 403
    assert admin.get("/programme/band.csv").status_code == 200
    assert 'data-testid="programme-settings"' not in page.text
    assert admin.post("/programme/settings", {"weekly_target": "1"}).status_code == 403
    assert site.login("reviewer").get("/programme").status_code == 403
    assert site.login("auditor").get("/programme").status_code == 403


def test_the_data_quality_page_shows_key_fields_by_year(site: Site) -> None:
    analyst = site.login("analyst")
    page = analyst.get("/quality")
    assert page.status_code == 200
    assert 'data-testid="quality-ethnicity"' in page.text
    assert "Suspects&#39; ethnicity" in page.text or "Suspects' ethnicity" in page.text
    assert re.search(r"<td>20\d\d</td>", page.text)
