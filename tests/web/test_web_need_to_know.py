"""Need to know, as issue 14 found it wanting: reasons for disclosures, refused access
recorded, and the match explanation limited to records the user may open."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from web_site import Site

from relook.store.tables import audit_log

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
