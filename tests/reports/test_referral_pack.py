"""The referral pack: exactly the cases signed off for the national panel, each with its
report and data, a manifest whose checksums hold, one audit entry, never half a folder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from report_world import ReportWorld, pdf_text

from relook.errors import RelookError
from relook.reports.document import DEFAULT_MARKING
from relook.reports.referral_pack import MANIFEST, signed_off_referrals, write_pack
from relook.review.assessments import Decision, SignOffOutcome
from relook.review.errors import NotAllowed
from relook.security.audit import AuditKeyMissing
from relook.store.engine import open_store

REASON = "referrals for the panel meeting"


def referred(reports: ReportWorld) -> list[str]:
    """Two cases approved for the panel; others that must stay out of the pack: one
    returned, one awaiting sign-off, one approved with another decision."""
    victim_case = reports.named_victim().case_id
    others = [c for c in reports.case_ids(8) if c != victim_case]
    wanted = sorted([victim_case, others[0]])
    for case_id in wanted:
        reports.decide(case_id, Decision.REFER_NATIONAL_PANEL, SignOffOutcome.APPROVED)
    reports.decide(others[1], Decision.REFER_NATIONAL_PANEL, SignOffOutcome.RETURNED)
    reports.decide(others[2], Decision.REFER_NATIONAL_PANEL, None)
    reports.decide(others[3], Decision.REFER_LOCAL_ACTION, SignOffOutcome.APPROVED)
    return wanted


def test_the_pack_holds_the_referred_cases_with_checksums_and_one_audit_entry(
    reports_on_each_backend: ReportWorld, tmp_path: Path
) -> None:
    reports = reports_on_each_backend
    wanted = referred(reports)
    victim = reports.named_victim()
    out = tmp_path / "pack"
    result = write_pack(
        reports.store, reports.users["supervisor"], out, reason=REASON,
        marking=DEFAULT_MARKING, via="command line",
    )  # fmt: skip
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert [c["case_id"] for c in manifest["cases"]] == wanted
    for case in manifest["cases"]:
        assert case["decision"] == "refer_national_panel"
        assert case["signed_off_by"] == "supervisor" and case["signed_off_at"]
        assert len(case["files"]) == 2
        for file in case["files"]:
            content = (out / file["path"]).read_bytes()
            assert hashlib.sha256(content).hexdigest() == file["sha256"]
            assert len(content) == file["bytes"]
    # Nothing in the folder the manifest does not name.
    named = {f["path"] for c in manifest["cases"] for f in c["files"]} | {MANIFEST}
    assert {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} == named
    # Pseudonymised, in the PDF and in the data.
    victim_files = next(c for c in manifest["cases"] if c["case_id"] == victim.case_id)["files"]
    pdf, data = (out / victim_files[0]["path"]), (out / victim_files[1]["path"])
    assert victim.name not in pdf_text(pdf.read_bytes())
    assert victim.name not in data.read_text(encoding="utf-8")
    assert json.loads(data.read_text(encoding="utf-8"))["case_id"] == victim.case_id
    (entry,) = reports.audit_entries("export")
    assert entry.object_type == "referral_pack" and entry.reason == REASON
    assert entry.object_id == hashlib.sha256((out / MANIFEST).read_bytes()).hexdigest()
    assert entry.object_id == result.manifest_sha256
    assert entry.detail_items["cases"] == wanted


def test_only_a_supervisor_exports_referrals(reports: ReportWorld, tmp_path: Path) -> None:
    referred(reports)
    for role in ("reviewer", "analyst", "auditor", "admin"):
        with pytest.raises(NotAllowed, match="does not export referral packs"):
            write_pack(
                reports.store, reports.users[role], tmp_path / role, reason=REASON,
                marking=DEFAULT_MARKING, via="web",
            )  # fmt: skip
        assert not (tmp_path / role).exists()
    assert reports.audit_entries("export") == []


def test_a_folder_that_is_not_a_pack_is_refused_and_a_pack_is_replaced_whole(
    reports: ReportWorld, tmp_path: Path
) -> None:
    referred(reports)
    supervisor = reports.users["supervisor"]
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "minutes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(RelookError, match="not a referral pack"):
        write_pack(reports.store, supervisor, foreign, reason=REASON, marking="X", via="web")
    assert (foreign / "minutes.txt").read_text(encoding="utf-8") == "keep me"
    out = tmp_path / "pack"
    write_pack(reports.store, supervisor, out, reason=REASON, marking="X", via="web")
    (out / "stray.txt").write_text("left by hand", encoding="utf-8")
    write_pack(reports.store, supervisor, out, reason=REASON, marking="X", via="web")
    assert not (out / "stray.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no half-written pack
    assert len(reports.audit_entries("export")) == 2


def test_a_pack_the_audit_cannot_record_is_never_put_in_place(
    reports: ReportWorld, tmp_path: Path
) -> None:
    """The pack is recorded before it is put in place: a store that cannot write the audit
    entry (opened without the audit key) leaves no folder, not even a hidden one."""
    referred(reports)
    keyless = open_store(reports.store.engine, migrate=False)
    out = tmp_path / "packs" / "pack"
    with pytest.raises(AuditKeyMissing):
        write_pack(keyless, reports.users["supervisor"], out, reason=REASON, marking="X", via="web")
    assert list(out.parent.iterdir()) == []
    assert reports.audit_entries("export") == []


def test_selection_follows_the_latest_signed_off_version(reports: ReportWorld) -> None:
    wanted = referred(reports)
    with reports.store.read() as connection:
        found = signed_off_referrals(connection)
    assert [r.case_id for r in found] == wanted
    assert {r.version for r in found} == {1}
