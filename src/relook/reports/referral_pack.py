"""The referral pack: every case signed off for the national panel, as the panel gets it.

For each case whose latest assessment is approved with the decision "refer to the
national panel": its case report (PDF) and the same report as data (JSON), both
pseudonymised (a pack never reveals); plus one `manifest.json` naming each case, its
decision, who signed it off and when, and the sha256 of every file. The folder is
written whole or not at all (`relook.atomic.staged_dir`), and the pack is audited as
one disclosure with its reason before it is put in place.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from relook.atomic import staged_dir
from relook.digests import file_digest
from relook.errors import RelookError
from relook.reports.disclosure import (
    PACK_OBJECT,
    check_may_export_referrals,
    command_line_user,
    record_disclosure,
)
from relook.reports.document import CaseReport, production_stamp, report_data
from relook.reports.production import case_report, file_stem
from relook.reports.render import pdfs, report_html
from relook.review import case_page, referrals
from relook.review.assessments import Decision
from relook.review.errors import NotFound
from relook.review.referrals import SignedOffDecision
from relook.review.runs import latest_run
from relook.security.accounts import User
from relook.security.justification import checked_reason
from relook.store.engine import Store

MANIFEST = "manifest.json"
PACK_KIND = "relook referral pack"


def signed_off_referrals(connection: Connection) -> list[SignedOffDecision]:
    """Cases whose latest assessment is approved with the decision to refer to the
    national panel, by case id."""
    return referrals.signed_off(connection, Decision.REFER_NATIONAL_PANEL)


@dataclass(frozen=True)
class PackResult:
    out: Path
    referrals: list[SignedOffDecision]
    files: int
    manifest_sha256: str


def check_target(out: Path) -> None:
    """The pack replaces `out` whole: refuse a folder that is not an earlier pack."""
    if not out.exists():
        return
    if not out.is_dir():
        raise RelookError(f"{out}: exists and is not a folder")
    if any(out.iterdir()) and not _is_pack(out / MANIFEST):
        raise RelookError(
            f"{out}: holds files that are not a referral pack; give an empty or new folder"
        )


def _is_pack(manifest: Path) -> bool:
    try:
        return bool(json.loads(manifest.read_text(encoding="utf-8")).get("kind") == PACK_KIND)
    except (OSError, ValueError, AttributeError):
        return False


def pack_reports(
    connection: Connection, user: User, *, reason: str, marking: str
) -> tuple[str, list[tuple[SignedOffDecision, CaseReport]]]:
    """(run id, each referral with its pseudonymised report)."""
    run = latest_run(connection)
    if run is None:
        raise NotFound("no run has been imported yet (run `relook run` first)")
    reports = []
    for referral in signed_off_referrals(connection):
        row = case_page.find_case(connection, run.run_id, referral.case_id)
        if row is None:
            raise NotFound(
                f"case {referral.case_id} is signed off for referral but not in the current run"
            )
        reports.append(
            (
                referral,
                case_report(
                    connection, run.run_id, row, user, reason=reason, reveal=False,
                    marking=marking,
                ),
            )
        )  # fmt: skip
    return run.run_id, reports


def write_case_files(folder: Path, report: CaseReport, pdf: bytes) -> Iterator[dict[str, Any]]:
    """The case's PDF and JSON in `folder`; each file's manifest entry."""
    stem = file_stem(report.case_id)
    data = json.dumps(report_data(report), indent=2, ensure_ascii=False, sort_keys=True)
    for name, content in ((f"{stem}.pdf", pdf), (f"{stem}.json", data.encode("utf-8"))):
        path = folder / name
        path.write_bytes(content)
        yield {"path": f"cases/{name}", "sha256": hashlib.sha256(content).hexdigest(),
               "bytes": len(content)}  # fmt: skip


def case_entry(referral: SignedOffDecision, files: list[dict[str, Any]]) -> dict[str, Any]:
    """One case in the manifest: the decision and its reasons, who signed it off and when,
    its files."""
    return {
        "case_id": referral.case_id,
        "decision": referral.decision.value,
        "reasons": list(referral.reason_labels),
        "assessment_version": referral.version,
        "signed_off_by": referral.signed_off_by,
        "signed_off_at": referral.signed_off_at,
        "files": files,
    }


def manifest(
    run_id: str,
    user: User,
    reason: str,
    marking: str,
    produced_at: str,
    cases: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "kind": PACK_KIND,
        "run_id": run_id,
        "produced_by": user.username,
        "produced_at": produced_at,
        "reason": reason,
        "marking": marking,
        "cases": cases,
    }


def write_pack(
    store: Store,
    user: User,
    out: Path,
    *,
    reason: str,
    marking: str,
    via: str,
    step: Callable[[str], None] = lambda _case_id: None,
) -> PackResult:
    """Write the pack into `out` (replaced whole); `step` is called after each case."""
    check_may_export_referrals(user)
    reason = checked_reason(reason)
    check_target(out)
    with store.read() as connection:
        run_id, reports = pack_reports(connection, user, reason=reason, marking=marking)
    entries = []
    with staged_dir(out) as staged:
        (staged / "cases").mkdir()
        produced_at = production_stamp()
        laid_out = pdfs([report_html(report) for _, report in reports])
        for (referral, report), pdf in zip(reports, laid_out, strict=True):
            files = list(write_case_files(staged / "cases", report, pdf))
            entries.append(case_entry(referral, files))
            step(referral.case_id)
        text = json.dumps(
            manifest(run_id, user, reason, marking, produced_at, entries),
            indent=2, ensure_ascii=False,
        )  # fmt: skip
        (staged / MANIFEST).write_text(text, encoding="utf-8")
        manifest_sha = file_digest(staged / MANIFEST)
        # Recorded before the folder is put in place: a pack nobody recorded never appears.
        with store.write() as connection:
            record_disclosure(
                connection, user, object_type=PACK_OBJECT, object_id=manifest_sha,
                reason=reason, via=via,
                detail={"run_id": run_id, "cases": [r.case_id for r, _ in reports],
                        "files": 2 * len(reports) + 1},
            )  # fmt: skip
    return PackResult(out, [r for r, _ in reports], 2 * len(reports) + 1, manifest_sha)


def write_pack_for(
    store: Store,
    username: str,
    out: Path,
    *,
    reason: str,
    marking: str,
    step: Callable[[str], None] = lambda _case_id: None,
) -> PackResult:
    """`write_pack` as the command line's `--user` account."""
    with store.read() as connection:
        user = command_line_user(connection, username)
    return write_pack(
        store, user, out, reason=reason, marking=marking, via="command line", step=step
    )


def count_referrals(store: Store) -> int:
    with store.read() as connection:
        return len(signed_off_referrals(connection))
