"""The case report: what the PDF says (read back with pypdf), who is named in it, who may
produce it, and the audit entry every report leaves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_world import ReportWorld, decision_input, pdf_text
from typer.testing import CliRunner

from relook.cli import app
from relook.errors import RelookError
from relook.reports.document import DEFAULT_MARKING, MARKING_ENV
from relook.reports.production import produce
from relook.reports.render import css_string, pdfs
from relook.review import assessments, victim_engagement
from relook.review.assessments import DECISION_REASONS, Decision, SignOffOutcome
from relook.review.errors import NotAllowed
from relook.review.victim_engagement import EngagementStatus
from relook.security import accounts
from relook.security.audit import SYSTEM
from relook.workspace import Workspace

REASON = "file for the national panel's review"


def test_a_pdf_report_is_pseudonymised_with_header_footer_and_audit(reports: ReportWorld) -> None:
    victim = reports.named_victim()
    report = produce(
        reports.store, "supervisor", victim.case_id, kind="pdf", reason=REASON, reveal=False,
        marking=DEFAULT_MARKING,
    )  # fmt: skip
    assert report.content.startswith(b"%PDF")
    text = pdf_text(report.content)
    assert victim.name not in text
    assert "Victim A" in text
    # Header and footer on every page: case reference, marking, who and when, page n of m.
    assert text.count(f"Case report {victim.case_id}") >= 2
    assert text.count(DEFAULT_MARKING) >= 2
    assert "Produced by supervisor on" in text
    assert "Page 1 of" in text
    for section in ("Why the case is in scope", "Network", "Leads", "Language flags",
                    "Timeline", "Assessment: every version", "Victim engagement"):  # fmt: skip
        assert section in text
    (entry,) = reports.audit_entries("export")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        "supervisor", "case_report", victim.case_id,
    )  # fmt: skip
    assert entry.reason == REASON
    assert entry.detail_items["format"] == "pdf"
    assert entry.detail_items["revealed"] is False
    assert entry.detail_items["via"] == "command line"


def test_a_revealed_report_names_the_victim_and_says_so(reports: ReportWorld) -> None:
    victim = reports.named_victim()
    report = produce(
        reports.store, "supervisor", victim.case_id, kind="pdf", reason=REASON, reveal=True,
        marking="SECRET-ISH",
    )  # fmt: skip
    text = pdf_text(report.content)
    assert victim.name in text
    assert "SECRET-ISH" in text
    assert "victims' identities shown" in text
    (entry,) = reports.audit_entries("export")
    assert entry.detail_items["revealed"] is True


def test_html_report_carries_the_network_picture_and_every_assessment_version(
    reports: ReportWorld,
) -> None:
    victim = reports.named_victim()
    with reports.store.write() as connection:
        assessments.submit(
            connection, victim.case_id, decision_input(Decision.REFER_LOCAL_ACTION,
            f"{victim.name} described the car"), author=reports.users["supervisor2"],
            run_id=reports.run_id,
        )  # fmt: skip
        assessments.sign_off(
            connection, victim.case_id, 1, SignOffOutcome.RETURNED, "say more",
            supervisor=reports.users["supervisor"],
        )  # fmt: skip
        assessments.submit(
            connection, victim.case_id, decision_input(Decision.REFER_NATIONAL_PANEL),
            author=reports.users["supervisor2"], run_id=reports.run_id,
        )  # fmt: skip
    html = produce(
        reports.store, "supervisor", victim.case_id, kind="html", reason=REASON, reveal=False,
        marking=DEFAULT_MARKING,
    ).content.decode()  # fmt: skip
    assert "<svg" in html and f">{victim.case_id}</text>" in html
    assert "Version 2 by supervisor2" in html and "Version 1 by supervisor2" in html
    assert "Returned by supervisor" in html and "awaiting sign-off" in html
    # A reviewer's note naming the victim is redacted like the page's own texts.
    assert victim.name not in html
    assert "[Victim A] described the car" in html


def test_a_report_carries_victim_engagement_and_the_reasons_of_the_decision_that_stands(
    reports: ReportWorld,
) -> None:
    victim = reports.named_victim()
    with reports.store.write() as connection:
        victim_engagement.record(
            connection, reports.users["supervisor"], victim.case_id, victim.mention_id,
            EngagementStatus.AGREES, "2026-11-30", f"{victim.name} agreed by phone",
        )  # fmt: skip
    reports.decide(victim.case_id, Decision.REFER_NATIONAL_PANEL, SignOffOutcome.APPROVED)
    text = pdf_text(
        produce(
            reports.store,
            "supervisor",
            victim.case_id,
            kind="pdf",
            reason=REASON,
            reveal=False,
            marking=DEFAULT_MARKING,
        ).content
    )
    assert victim_engagement.STATUS_LABELS[EngagementStatus.AGREES] in text
    assert "2026-11-30" in text and "agreed by phone" in text
    assert victim.name not in text  # the note names the victim: redacted as the page redacts
    assert "Reasons for the referral" in text
    for label in DECISION_REASONS[Decision.REFER_NATIONAL_PANEL].values():
        assert label in text


def test_engagement_stays_off_the_report_of_a_reviewer_who_holds_the_case_only_by_its_network(
    reports: ReportWorld,
) -> None:
    victim = reports.named_victim()
    with reports.store.write() as connection:
        victim_engagement.record(
            connection, reports.users["supervisor"], victim.case_id, victim.mention_id,
            EngagementStatus.DECLINES, "2026-11-30", "declined",
        )  # fmt: skip
    neighbour = reports.network_neighbour(victim.case_id)
    reports.assign(neighbour, "reviewer")
    html = produce(
        reports.store, "reviewer", victim.case_id, kind="html", reason=REASON, reveal=False,
        marking=DEFAULT_MARKING,
    ).content.decode()  # fmt: skip
    assert "declined" not in html
    reports.assign(victim.case_id, "reviewer")
    html = produce(
        reports.store, "reviewer", victim.case_id, kind="html", reason=REASON, reveal=False,
        marking=DEFAULT_MARKING,
    ).content.decode()  # fmt: skip
    assert "declined" in html


def test_a_reviewer_reports_only_cases_they_may_open(reports: ReportWorld) -> None:
    case_id = reports.named_victim().case_id
    with pytest.raises(NotAllowed, match="may not open case"):
        produce(
            reports.store, "reviewer", case_id, kind="html", reason=REASON, reveal=False,
            marking=DEFAULT_MARKING,
        )  # fmt: skip
    (refusal,) = reports.audit_entries("access_refused")
    assert (refusal.actor, refusal.object_id) == ("reviewer", case_id)
    assert reports.audit_entries("export") == []
    reports.assign(case_id, "reviewer")
    made = produce(
        reports.store, "reviewer", case_id, kind="html", reason=REASON, reveal=True,
        marking=DEFAULT_MARKING,
    )  # fmt: skip
    assert made.revealed


@pytest.mark.parametrize("role", ["analyst", "auditor", "admin"])
def test_roles_without_the_permission_produce_no_report(reports: ReportWorld, role: str) -> None:
    case_id = reports.named_victim().case_id
    before = reports.audit_count()
    with pytest.raises(NotAllowed, match="does not produce case reports"):
        produce(
            reports.store, role, case_id, kind="pdf", reason=REASON, reveal=False,
            marking=DEFAULT_MARKING,
        )  # fmt: skip
    assert reports.audit_count() == before


def test_a_report_needs_a_reason_in_words(reports: ReportWorld) -> None:
    case_id = reports.named_victim().case_id
    with pytest.raises(ValueError, match="give a reason in words"):
        produce(
            reports.store, "supervisor", case_id, kind="pdf", reason="..........", reveal=False,
            marking=DEFAULT_MARKING,
        )  # fmt: skip
    assert reports.audit_entries("export") == []


def test_header_text_cannot_break_out_of_the_style_element() -> None:
    quoted = str(css_string('A"B\\C</style><script>'))
    assert "</style>" not in quoted and '"B' not in quoted
    assert quoted.startswith('"') and quoted.endswith('"')


def test_the_command_writes_the_report_for_an_account(
    world_workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workspace(world_workspace).store() as store, store.write() as connection:
        accounts.create_user(
            connection, "sup", "supervisor", "correct horse battery staple", by=SYSTEM
        )
    with Workspace(world_workspace).store() as store:
        victim = ReportWorld(store, _current_run(world_workspace), {}).named_victim()
    monkeypatch.setenv(MARKING_ENV, "OFFICIAL")
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(
        app,
        ["report", "case", victim.case_id, "--workspace", str(world_workspace), "--out", str(out),
         "--user", "sup", "--reason", REASON],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes())
    assert "OFFICIAL" in text and victim.name not in text
    refused = CliRunner().invoke(
        app,
        ["report", "case", victim.case_id, "--workspace", str(world_workspace), "--out",
         str(tmp_path / "r.docx"), "--user", "sup", "--reason", REASON],
    )  # fmt: skip
    # (main() turns the error into one line and exit code 2; the runner calls the app.)
    assert isinstance(refused.exception, RelookError)
    assert ".pdf or .html" in str(refused.exception)
    assert not (tmp_path / "r.docx").exists()


def _current_run(workspace: Path) -> str:
    run_id = Workspace(workspace).current_run_id()
    assert run_id is not None
    return run_id


def test_report_data_is_json_of_what_the_report_shows(reports: ReportWorld) -> None:
    from relook.reports.document import Production, build_report, report_data
    from relook.review import access, case_page

    victim = reports.named_victim()
    with reports.store.read() as connection:
        row = case_page.find_case(connection, reports.run_id, victim.case_id)
        assert row is not None
        report = build_report(
            connection, reports.run_id, row,
            reach=access.reach(connection, reports.run_id, reports.users["supervisor"]),
            production=Production("supervisor", "2026-12-02 10:00 UTC", REASON, "OFFICIAL", False),
        )  # fmt: skip
    data = json.loads(json.dumps(report_data(report)))
    assert data["case_id"] == victim.case_id
    assert victim.name not in json.dumps(data)
    assert any(p["label"] == "Victim A" and p["protected"] for p in data["people"])
    assert data["network"]["cases"] and data["screening_reasons"]


def test_many_reports_are_laid_out_in_worker_processes_in_order(reports: ReportWorld) -> None:
    case_ids = reports.case_ids(4)
    htmls = [
        produce(
            reports.store, "supervisor", case_id, kind="html", reason=REASON, reveal=False,
            marking=DEFAULT_MARKING,
        ).content.decode()
        for case_id in case_ids
    ]  # fmt: skip
    laid_out = list(pdfs(htmls, workers=2))
    assert [
        f"Case report {c}" in pdf_text(pdf) for c, pdf in zip(case_ids, laid_out, strict=True)
    ] == [True] * 4
