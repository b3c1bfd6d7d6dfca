"""Case reports from the case page, and the supervisor's referral pack.

Both are disclosures: each needs a reason, is audited before anything is sent, and is
rendered on demand on the slow-work pool (a PDF takes a fraction of a second; a pack,
one per referred case).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel

from relook.reports.document import handling_marking
from relook.reports.production import MEDIA_TYPES, ProducedReport, case_report, record_report
from relook.reports.referral_pack import signed_off_referrals, write_pack
from relook.reports.render import render as render_report
from relook.security.policy import Permission
from relook.store.clock import now_iso
from relook.web.concurrency import slow_work
from relook.web.deps import CurrentRun, CurrentUser, DbDep, ReasonText, StoreDep, require
from relook.web.routes.cases import VisibleCase
from relook.web.templating import render

router = APIRouter()


class ReportForm(BaseModel):
    reason: ReasonText
    format: Literal["pdf", "html"] = "pdf"
    reveal: bool = False
    csrf_token: str = ""


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post(
    "/cases/{case_id}/report", name="case_report", dependencies=[require(Permission.PRODUCE_REPORT)]
)
@slow_work  # lays out a PDF
def case_report_download(
    db: DbDep,
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
    case_row: VisibleCase,
    form: Annotated[ReportForm, Form()],
) -> Response:
    """The case's report, as the case page shows it to this user (revealed only when asked
    for, with the reason)."""
    report = case_report(
        db, run.run_id, case_row, user, reason=form.reason, reveal=form.reveal,
        marking=handling_marking(),
    )  # fmt: skip
    content = render_report(report, form.format)
    with store.write() as connection:
        record_report(connection, user, report, form.format, via="web")
    produced = ProducedReport(report.case_id, form.format, content, form.reveal)
    return _download(content, MEDIA_TYPES[form.format], produced.filename)


@router.get("/referrals", name="referrals", dependencies=[require(Permission.EXPORT_REFERRALS)])
def referrals(request: Request, db: DbDep) -> Response:
    return render(
        request, "referrals.html", title="Referrals to the national panel",
        referrals=signed_off_referrals(db),
    )  # fmt: skip


class PackForm(BaseModel):
    reason: ReasonText
    csrf_token: str = ""


@router.post(
    "/referrals/pack", name="referral_pack", dependencies=[require(Permission.EXPORT_REFERRALS)]
)
@slow_work  # one PDF per referred case
def referral_pack(
    store: StoreDep, user: CurrentUser, form: Annotated[PackForm, Form()]
) -> Response:
    """The referral pack as one zip: the same folder `relook export referrals` writes."""
    with tempfile.TemporaryDirectory(prefix="relook-referrals-") as scratch:
        folder = Path(scratch) / "referral-pack"
        write_pack(store, user, folder, reason=form.reason, marking=handling_marking(), via="web")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, f"referral-pack/{path.relative_to(folder)}")
    stamp = now_iso()[:10]
    return _download(buffer.getvalue(), "application/zip", f"relook-referral-pack-{stamp}.zip")
