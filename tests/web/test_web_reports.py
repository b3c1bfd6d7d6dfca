"""Case reports from the case page and the supervisor's referral pack, through the web:
who may, what is sent, and what the audit trail keeps."""

from __future__ import annotations

import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

from sqlalchemy import select
from web_site import Site

sys.path.insert(0, str(Path(__file__).parents[1] / "reports"))

from report_world import ReportWorld, pdf_text

from relook.review.assessments import Decision, SignOffOutcome
from relook.store.tables import audit_log

REASON = "file for the panel's review meeting"


def _world(site: Site) -> ReportWorld:
    return ReportWorld(site.store, site.run_id, site.users)


def _exports(site: Site) -> list[tuple[str, str | None, str | None]]:
    with site.store.read() as connection:
        rows = connection.execute(
            select(audit_log.c.actor, audit_log.c.object_type, audit_log.c.object_id)
            .where(audit_log.c.action == "export")
            .order_by(audit_log.c.seq)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_the_case_page_offers_and_sends_its_report(site: Site) -> None:
    victim = _world(site).named_victim()
    supervisor = site.login("supervisor")
    page = supervisor.get(f"/cases/{victim.case_id}").text
    assert 'data-testid="report-form"' in page and 'value="pdf"' in page and 'value="html"' in page
    pdf = supervisor.post(f"/cases/{victim.case_id}/report", {"reason": REASON, "format": "pdf"})
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert f"case-report-{victim.case_id}.pdf" in pdf.headers["content-disposition"]
    text = pdf_text(pdf.content)
    assert victim.name not in text and f"Case report {victim.case_id}" in text
    revealed = supervisor.post(
        f"/cases/{victim.case_id}/report", {"reason": REASON, "format": "html", "reveal": "true"}
    )
    assert revealed.headers["content-type"].startswith("text/html")
    assert victim.name in revealed.text
    assert _exports(site) == [("supervisor", "case_report", victim.case_id)] * 2


def test_a_report_needs_a_reason_and_the_permission(site: Site) -> None:
    case_id = _world(site).named_victim().case_id
    supervisor = site.login("supervisor")
    assert (
        supervisor.post(f"/cases/{case_id}/report", {"reason": "", "format": "pdf"}).status_code
        == 400
    )
    # A reviewer may not report a case they may not open; the analyst holds no permission.
    reviewer = site.login("reviewer")
    assert reviewer.post(f"/cases/{case_id}/report", {"reason": REASON}).status_code == 403
    analyst = site.login("analyst")
    assert 'data-testid="report-form"' not in analyst.get(f"/cases/{case_id}").text
    assert analyst.post(f"/cases/{case_id}/report", {"reason": REASON}).status_code == 403
    assert _exports(site) == []


def test_the_supervisor_downloads_the_referral_pack(site: Site) -> None:
    world = _world(site)
    case_ids = world.case_ids(3)
    for case_id in case_ids[:2]:
        world.decide(case_id, Decision.REFER_NATIONAL_PANEL, SignOffOutcome.APPROVED)
    supervisor = site.login("supervisor")
    assert 'href="/referrals"' in supervisor.get("/exports").text
    listing = supervisor.get("/referrals").text
    assert all(f">{case_id}</a>" in listing for case_id in case_ids[:2])
    assert f">{case_ids[2]}</a>" not in listing
    assert "<td>Refer to the national panel</td>" in listing  # the form's words, not the key's
    response = supervisor.post("/referrals/pack", {"reason": REASON})
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(archive.read("referral-pack/manifest.json"))
    assert sorted(c["case_id"] for c in manifest["cases"]) == sorted(case_ids[:2])
    for case in manifest["cases"]:
        for file in case["files"]:
            content = archive.read(f"referral-pack/{file['path']}")
            assert hashlib.sha256(content).hexdigest() == file["sha256"]
    assert [e[1] for e in _exports(site)] == ["referral_pack"]
    assert site.login("reviewer").post("/referrals/pack", {"reason": REASON}).status_code == 403
    assert site.login("analyst").get("/referrals").status_code == 403
