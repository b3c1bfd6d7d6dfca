"""The review queue, assignment, and reviewers' workload."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from relook.review import access, assignments
from relook.review.queue import (
    STATUS_LABELS,
    CaseStatus,
    QueueFilter,
    Scope,
    Sort,
    filter_choices,
    queue_page,
)
from relook.security.policy import Permission, allows
from relook.web.deps import CurrentRun, CurrentUser, DbDep, StoreDep, require
from relook.web.filters import FilterQuery
from relook.web.queue_rows import queue_rows
from relook.web.templating import render

router = APIRouter()

CATEGORY_LABELS = {
    "group_exploitation": "Group exploitation",
    "intrafamilial": "Intra-familial",
    "institutional": "Institutional",
    "peer_on_peer": "Peer on peer",
    "online": "Online",
    "unknown": "Unknown",
}


class QueueQuery(FilterQuery):
    """The queue's filters, as the URL carries them."""

    scope: Scope = Scope.WIDER
    band: str | None = Field(None, max_length=40)
    category: str | None = Field(None, max_length=40)
    area: str | None = Field(None, max_length=120)
    status: CaseStatus | None = None
    network: str | None = Field(None, max_length=64)
    assignee: str | None = Field(None, max_length=64)
    """A user id, `me` or `none`."""
    sort: Sort = Sort.RANK
    page: int = Field(1, ge=1, le=100_000)


class AssignForm(BaseModel):
    case_ids: list[str] = Field(min_length=1, max_length=500)
    assignee: str = Field(max_length=64)
    """A user id, or `none` to unassign."""
    return_to: str = Field("/queue", max_length=2000)
    csrf_token: str = ""


def _to_filter(query: QueueQuery, user_id: int, *, default_mine: bool) -> QueueFilter:
    assignee: int | None = None
    unassigned = False
    if (query.assignee in (None, "") and default_mine) or query.assignee == "me":
        assignee = user_id
    elif query.assignee == "none":
        unassigned = True
    elif query.assignee and query.assignee.isdigit():
        assignee = int(query.assignee)
    return QueueFilter(
        scope=query.scope,
        band=query.band or None,
        category=query.category or None,
        area=query.area or None,
        status=query.status,
        network=query.network or None,
        assignee=assignee,
        unassigned=unassigned,
        sort=query.sort,
        page=query.page,
    )


@router.get("/queue", name="queue", dependencies=[require(Permission.VIEW_QUEUE)])
def queue(
    request: Request,
    db: DbDep,
    user: CurrentUser,
    run: CurrentRun,
    query: Annotated[QueueQuery, Query()],
) -> Response:
    # A reviewer's queue opens on their own cases; everyone can widen the filter.
    default_mine = not allows(user.role, Permission.VIEW_ALL_CASES) and not request.query_params
    where = _to_filter(query, user.id, default_mine=default_mine)
    reach = access.reach(db, run.run_id, user)
    page = queue_page(db, run.run_id, where, reach)
    context: dict[str, Any] = {
        "title": "Queue",
        "run": run,
        "page": page,
        "where": where,
        "choices": filter_choices(db, run.run_id),
        "statuses": STATUS_LABELS,
        "category_labels": CATEGORY_LABELS,
        "assignable": assignments.assignable_users(db),
        "return_to": str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    }
    context["rows_html"] = queue_rows(
        page.rows,
        may_assign=allows(user.role, Permission.ASSIGN),
        scope=where.scope.value,
        status_labels=STATUS_LABELS,
        category_labels=CATEGORY_LABELS,
    )
    template = "_queue_results.html" if request.headers.get("HX-Request") else "queue.html"
    return render(request, template, **context)


@router.post("/queue/assign", name="assign_cases", dependencies=[require(Permission.ASSIGN)])
def assign_cases(
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
    form: Annotated[AssignForm, Form()],
) -> Response:
    assignee_id = int(form.assignee) if form.assignee.isdigit() else None
    with store.write() as connection:
        assignments.assign(connection, run.run_id, form.case_ids, assignee_id, by=user)
    back = (
        form.return_to
        if form.return_to.startswith("/") and not form.return_to.startswith("//")
        else "/queue"
    )
    return RedirectResponse(back, status_code=303)


@router.get("/workload", name="workload", dependencies=[require(Permission.VIEW_WORKLOAD)])
def workload(request: Request, db: DbDep) -> Response:
    return render(request, "workload.html", title="Workload", rows=assignments.workload(db))
