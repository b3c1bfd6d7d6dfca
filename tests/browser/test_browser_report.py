"""A reviewer downloads their case's report from the case page, as a PDF."""

from __future__ import annotations

import io
from pathlib import Path

from browser_support import ARTIFACTS, LiveSite, signed_in
from playwright.sync_api import Browser
from pypdf import PdfReader
from sqlalchemy import select

from relook.store.tables import audit_log


def test_the_reviewer_downloads_the_case_report_as_a_pdf(
    browser: Browser, live_site: LiveSite, tmp_path: Path
) -> None:
    page = signed_in(browser, live_site, "reviewer", width=1280)
    page.goto(f"{live_site.url}/cases/{live_site.case_id}")
    form = page.get_by_test_id("report-form")
    form.locator("input[name=reason]").fill("case file for the panel meeting")
    page.screenshot(path=ARTIFACTS / "30-case-report-form.png")
    with page.expect_download() as download_info:
        form.get_by_role("button", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"case-report-{live_site.case_id}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    first = " ".join(reader.pages[0].extract_text().split())
    assert f"Case report {live_site.case_id}" in first
    assert "Produced by reviewer on" in first
    assert live_site.store is not None
    with live_site.store.read() as connection:
        entry = connection.execute(
            select(audit_log.c.actor, audit_log.c.object_id, audit_log.c.reason).where(
                audit_log.c.action == "export", audit_log.c.object_type == "case_report"
            )
        ).one()
    assert tuple(entry) == ("reviewer", live_site.case_id, "case file for the panel meeting")
    page.context.close()
