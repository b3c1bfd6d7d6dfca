"""The audit trail, for auditors: browse, filter, verify the chain. Read-only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field

from relook.security import audit, refusals
from relook.security.audit import AuditAction, AuditFilter
from relook.security.policy import Permission
from relook.web.concurrency import slow_work
from relook.web.deps import CurrentUser, DbDep, StoreDep, require
from relook.web.filters import FilterQuery
from relook.web.templating import render

router = APIRouter()
PAGE_SIZE = 100
DAY = r"^\d{4}-\d{2}-\d{2}$"
REFUSED_DAYS = 30
"""The auditor's page says how many refused attempts the last this many days hold."""


class AuditQuery(FilterQuery):
    actor: str | None = Field(None, max_length=120)
    action: AuditAction | None = None
    object_id: str | None = Field(None, max_length=120)
    since: str | None = Field(None, pattern=DAY)
    until: str | None = Field(None, pattern=DAY)
    page: int = Field(1, ge=1, le=1_000_000)


@router.get("/audit", name="audit_log", dependencies=[require(Permission.VIEW_AUDIT)])
def audit_log(
    request: Request,
    db: DbDep,
    store: StoreDep,
    user: CurrentUser,
    query: Annotated[AuditQuery, Query()],
) -> Response:
    where = AuditFilter(
        actor=query.actor or None,
        action=query.action.value if query.action else None,
        object_id=query.object_id or None,
        since=query.since or None,
        until=query.until or None,
    )
    with store.write() as connection:
        audit.append(
            connection,
            user.actor,
            AuditAction.VIEW_AUDIT,
            object_type="audit",
            detail={k: v for k, v in where.__dict__.items() if v},
        )
    entries, total = audit.search(db, where, offset=(query.page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    params = {k: v for k, v in where.__dict__.items() if v}
    return render(
        request,
        "audit.html",
        title="Audit trail",
        entries=entries,
        total=total,
        page=min(query.page, pages),
        pages=pages,
        where=where,
        params=params,
        actions=[a.value for a in AuditAction],
        refused=refusals.refused_since(db, REFUSED_DAYS),
        refused_days=REFUSED_DAYS,
    )


@router.get("/audit/verify", name="verify_audit", dependencies=[require(Permission.VIEW_AUDIT)])
@slow_work  # hashes every entry of the log
def verify_audit(request: Request, store: StoreDep, user: CurrentUser) -> Response:
    with store.snapshot() as connection:
        result = audit.verify(connection, store.audit_key)
    with store.write() as connection:
        audit.append(
            connection,
            user.actor,
            AuditAction.VERIFY_AUDIT,
            object_type="audit",
            detail={
                "ok": result.ok,
                "checked": result.checked,
                "first_bad": result.first_bad_seq,
                "records_problem": result.records_problem,
            },
        )
    return render(request, "audit_verify.html", title="Audit chain", result=result)
