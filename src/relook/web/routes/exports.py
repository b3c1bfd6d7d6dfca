"""Exports: assessments as CSV. An export is a disclosure, so it needs a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel

from relook.review.export import assessments_csv
from relook.security import audit
from relook.security.audit import AuditAction
from relook.security.policy import Permission
from relook.store.clock import now_iso
from relook.web.concurrency import slow_work
from relook.web.deps import CurrentUser, ReasonText, StoreDep, require
from relook.web.templating import render

router = APIRouter()


class ExportForm(BaseModel):
    reason: ReasonText
    csrf_token: str = ""


@router.get("/exports", name="exports", dependencies=[require(Permission.EXPORT_ASSESSMENTS)])
def exports(request: Request) -> Response:
    return render(request, "exports.html", title="Exports")


@router.post(
    "/exports/assessments",
    name="export_assessments",
    dependencies=[require(Permission.EXPORT_ASSESSMENTS)],
)
@slow_work  # reads every assessment
def export_assessments(
    store: StoreDep, user: CurrentUser, form: Annotated[ExportForm, Form()]
) -> Response:
    with store.write() as connection:
        text, count = assessments_csv(connection)
        audit.append(
            connection,
            user.actor,
            AuditAction.EXPORT,
            object_type="assessments",
            object_id="assessments.csv",
            reason=form.reason,
            detail={"rows": count},
        )
    stamp = now_iso()[:10]
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="relook-assessments-{stamp}.csv"',
        },
    )
