"""The review queue, assignment, and reviewers' workload."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from relook.review import access, assignments
from relook.review.errors import InvalidInput, NotFound
from relook.review.queue import (
    STATUS_LABELS,
    CaseStatus,
    QueueFilter,
    Scope,
    Sort,
    filter_choices,
    matching_case_ids,
    queue_page,
)
from relook.security.accounts import get_user
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
    assigned: int | None = Field(None, ge=0)
    """Set after an assignment: how many cases it took (shown as a confirmation)."""
    already: int = Field(0, ge=0)
    """Of those, how many were with that assignee already."""
    assigned_to: str | None = Field(None, max_length=64)


class AssignMatchingForm(BaseModel):
    """Every case the queue's filters match, to one assignee."""

    assignee: str = Field(max_length=64)
    filters: str = Field("", max_length=2000)
    """The queue's filters as its URL carries them (`scope=wider&band=urgent`)."""
    csrf_token: str = ""


class AssignNetworkForm(BaseModel):
    assignee: str = Field(max_length=64)
    csrf_token: str = ""


class AssignForm(BaseModel):
    case_ids: list[str] = Field(min_length=1, max_length=500)
    assignee: str = Field(max_length=64)
    """A user id, or `none` to unassign."""
    return_to: str = Field("/queue", max_length=2000)
    csrf_token: str = ""


# SQLite and PostgreSQL both keep ids in 64 bits; a longer number is nobody, not an overflow.
_MAX_ID_DIGITS = 18


def _user_id(text: str) -> int | None:
    """A user id written in a form or a query, or None when it cannot be one."""
    if text.isascii() and text.isdigit() and len(text) <= _MAX_ID_DIGITS:
        return int(text)
    return None


def _assignee(text: str) -> int | None:
    """Who an assign form names: `none` unassigns; anything else must be a user id."""
    if text == "none":
        return None
    user_id = _user_id(text)
    if user_id is None:
        raise InvalidInput("choose who to assign the cases to")
    return user_id


def _to_filter(query: QueueQuery, user_id: int, *, default_mine: bool) -> QueueFilter:
    assignee: int | None = None
    unassigned = False
    if (query.assignee in (None, "") and default_mine) or query.assignee == "me":
        assignee = user_id
    elif query.assignee == "none":
        unassigned = True
    elif query.assignee:
        assignee = _user_id(query.assignee)
        if assignee is None:
            raise InvalidInput(f"no such assignee: {query.assignee[:20]}")
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
        "assigned": query.assigned,
        "already": query.already,
        "assigned_to": query.assigned_to,
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
    assignee_id = _assignee(form.assignee)
    with store.write() as connection:
        assignments.assign(connection, run.run_id, form.case_ids, assignee_id, by=user)
    back = (
        form.return_to
        if form.return_to.startswith("/") and not form.return_to.startswith("//")
        else "/queue"
    )
    return RedirectResponse(back, status_code=303)


def _assigned(
    query: dict[str, str], taken: int, changed: int, assignee_id: int | None, db: Any
) -> str:
    """The queue showing what was just assigned, with a confirmation of how many."""
    name = "nobody"
    if assignee_id is not None:
        user = get_user(db, assignee_id)
        name = user.username if user else str(assignee_id)
    done = {"assigned": taken, "already": taken - changed, "assigned_to": name}
    return "/queue?" + urlencode({**query, **done})


@router.post(
    "/queue/assign-matching", name="assign_matching", dependencies=[require(Permission.ASSIGN)]
)
def assign_matching(
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
    form: Annotated[AssignMatchingForm, Form()],
) -> Response:
    """Assign every case the filters match (not only the page shown)."""
    assignee_id = _assignee(form.assignee)
    query = QueueQuery.model_validate(dict(parse_qsl(form.filters)))
    where = _to_filter(query, user.id, default_mine=False)
    with store.write() as connection:
        case_ids = matching_case_ids(connection, run.run_id, where)
        if not case_ids:
            raise InvalidInput("no case matches these filters")
        changed = assignments.assign(connection, run.run_id, case_ids, assignee_id, by=user)
        back = _assigned(where.query(page=1), len(case_ids), changed, assignee_id, connection)
    return RedirectResponse(back, status_code=303)


@router.post(
    "/networks/{network_id}/assign",
    name="assign_network",
    dependencies=[require(Permission.ASSIGN)],
)
def assign_network(
    network_id: Annotated[str, Path(max_length=64)],
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
    form: Annotated[AssignNetworkForm, Form()],
) -> Response:
    """Assign a network's in-scope cases to one reviewer: need to know opens a case by its
    network, so a network is the natural unit of work."""
    assignee_id = _assignee(form.assignee)
    with store.write() as connection:
        case_ids = assignments.network_cases_to_assess(connection, run.run_id, network_id)
        if not case_ids:
            raise NotFound(f"no in-scope case in network {network_id}")
        changed = assignments.assign(connection, run.run_id, case_ids, assignee_id, by=user)
        query = {"scope": "wider", "network": network_id}
        back = _assigned(query, len(case_ids), changed, assignee_id, connection)
    return RedirectResponse(back, status_code=303)


@router.get("/workload", name="workload", dependencies=[require(Permission.VIEW_WORKLOAD)])
def workload(request: Request, db: DbDep) -> Response:
    return render(request, "workload.html", title="Workload", rows=assignments.workload(db))
