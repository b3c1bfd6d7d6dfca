"""The review queue: the latest run's cases in priority order, filtered, 50 to a page.

Two statements: the count, and the page's 50 rows (chosen on a covering index, then read
in full with their review state). Filter choices (bands, categories, areas) are cached
per run because a run's results never change.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    false,
    func,
    or_,
    select,
    true,
)

from relook.review.access import Reach
from relook.store.tables import case_state, run_cases, users

PAGE_SIZE = 50
BANDS = ("urgent", "high", "standard", "low")


class CaseStatus(StrEnum):
    UNASSIGNED = "unassigned"
    ASSIGNED = "assigned"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    RETURNED = "returned"
    SIGNED_OFF = "signed_off"


STATUS_LABELS = {
    CaseStatus.UNASSIGNED: "Unassigned",
    CaseStatus.ASSIGNED: "Assigned",
    CaseStatus.AWAITING_SIGN_OFF: "Awaiting sign-off",
    CaseStatus.RETURNED: "Returned",
    CaseStatus.SIGNED_OFF: "Signed off",
}


class Scope(StrEnum):
    WIDER = "wider"
    NARROWER = "narrower"
    OUT = "out"


class Sort(StrEnum):
    """The queue's orders; every one ends on the case id, so pages never overlap."""

    RANK = "rank"
    CASE = "case"
    OUTCOME_NEWEST = "outcome"
    OUTCOME_OLDEST = "-outcome"
    NETWORK_LARGEST = "network"
    LEADS_MOST = "leads"
    LANGUAGE_MOST = "language"


_ORDER: dict[Sort, tuple[Any, ...]] = {
    Sort.RANK: (run_cases.c.queue_rank, run_cases.c.case_id),
    Sort.CASE: (run_cases.c.case_id,),
    Sort.OUTCOME_NEWEST: (run_cases.c.outcome_on.desc().nulls_last(), run_cases.c.case_id),
    Sort.OUTCOME_OLDEST: (run_cases.c.outcome_on.asc().nulls_last(), run_cases.c.case_id),
    Sort.NETWORK_LARGEST: (run_cases.c.network_cases.desc(), run_cases.c.queue_rank,
                           run_cases.c.case_id),
    Sort.LEADS_MOST: (run_cases.c.n_leads.desc(), run_cases.c.queue_rank, run_cases.c.case_id),
    Sort.LANGUAGE_MOST: (run_cases.c.n_language.desc(), run_cases.c.queue_rank,
                         run_cases.c.case_id),
}  # fmt: skip


@dataclass(frozen=True)
class QueueFilter:
    scope: Scope = Scope.WIDER
    band: str | None = None
    category: str | None = None
    area: str | None = None
    status: CaseStatus | None = None
    network: str | None = None
    """`any` (in a network), `none`, or a network id."""
    assignee: int | None = None
    unassigned: bool = False
    sort: Sort = Sort.RANK
    page: int = 1

    def query(self, **changes: Any) -> dict[str, str]:
        """The filter as URL parameters (for links to other pages of the same view)."""
        current = replace(self, **changes)
        sort = Sort(current.sort)  # a template passes the sort's value
        params = {
            "scope": current.scope.value,
            "band": current.band,
            "category": current.category,
            "area": current.area,
            "status": current.status.value if current.status else None,
            "network": current.network,
            "assignee": "none" if current.unassigned else current.assignee,
            "sort": sort.value if sort is not Sort.RANK else None,
            "page": current.page if current.page > 1 else None,
        }
        return {k: str(v) for k, v in params.items() if v not in (None, "")}


@dataclass(slots=True)
class QueueRow:
    """One line of the queue (not frozen: building 50 frozen instances per page costs
    more than the queries that fill them)."""

    case_id: str
    rank: int | None
    band: str | None
    score: float | None
    category: str | None
    area: str | None
    offence_code: str | None
    reported_on: dt.date | None
    outcome_on: dt.date | None
    in_scope_narrower: bool
    network_id: str | None
    network_cases: int
    n_leads: int
    n_language: int
    status: CaseStatus
    assignee: str | None
    may_open: bool


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    filter: QueueFilter


@dataclass(frozen=True)
class FilterChoices:
    bands: tuple[str, ...]
    categories: tuple[str, ...]
    areas: tuple[str, ...]


_choices_cache: dict[str, FilterChoices] = {}
_choices_lock = threading.Lock()


def filter_choices(connection: Connection, run_id: str) -> FilterChoices:
    with _choices_lock:
        cached = _choices_cache.get(run_id)
    if cached:
        return cached

    def distinct(column: Any) -> tuple[str, ...]:
        values = connection.execute(
            select(column).where(run_cases.c.run_id == run_id, column.is_not(None)).distinct()
        ).scalars()
        return tuple(sorted(str(v) for v in values))

    present = set(distinct(run_cases.c.priority_band))
    choices = FilterChoices(
        bands=tuple(b for b in BANDS if b in present) + tuple(sorted(present - set(BANDS))),
        categories=distinct(run_cases.c.category),
        areas=distinct(run_cases.c.area),
    )
    with _choices_lock:
        _choices_cache[run_id] = choices
    return choices


def _shape(where: QueueFilter) -> tuple[object, ...]:
    """Which filters are set (not their values): statements are built once per shape."""
    network = where.network if where.network in (None, "any", "none") else "id"
    status = (where.status is CaseStatus.UNASSIGNED) if where.status else None
    return (
        where.scope,
        where.band is not None,
        where.category is not None,
        where.area is not None,
        status,
        network,
        where.assignee is not None,
        where.unassigned,
        where.sort,
    )


def _params(run_id: str, where: QueueFilter) -> dict[str, object]:
    return {
        "run_id": run_id,
        "band": where.band,
        "category": where.category,
        "area": where.area,
        "status": where.status.value if where.status else None,
        "network": where.network,
        "assignee": where.assignee,
    }


@functools.cache
def _statements(shape: tuple[object, ...]) -> tuple[Any, Any, Any]:
    """(count, one page of cases, the page's case ids) for one shape of filter, with
    bound parameters."""
    scope, band, category, area, status, network, assignee, unassigned, sort = shape
    conditions: list[ColumnElement[bool]] = [run_cases.c.run_id == bindparam("run_id")]
    # `= true`, not `IS true`: PostgreSQL uses an index only for the former.
    if scope is Scope.WIDER:
        conditions.append(run_cases.c.in_scope_wider == true())
    elif scope is Scope.NARROWER:
        conditions.append(run_cases.c.in_scope_narrower == true())
    else:
        conditions.append(run_cases.c.in_scope_wider == false())
    if band:
        conditions.append(run_cases.c.priority_band == bindparam("band"))
    if category:
        conditions.append(run_cases.c.category == bindparam("category"))
    if area:
        conditions.append(run_cases.c.area == bindparam("area"))
    if network == "any":
        conditions.append(run_cases.c.network_id.is_not(None))
    elif network == "none":
        conditions.append(run_cases.c.network_id.is_(None))
    elif network == "id":
        conditions.append(run_cases.c.network_id == bindparam("network"))
    if status is True:  # unassigned: no state row yet, or one that says so
        conditions.append(
            or_(case_state.c.status.is_(None), case_state.c.status == CaseStatus.UNASSIGNED.value)
        )
    elif status is False:
        conditions.append(case_state.c.status == bindparam("status"))
    if unassigned:
        conditions.append(case_state.c.assignee_id.is_(None))
    elif assignee:
        conditions.append(case_state.c.assignee_id == bindparam("assignee"))
    # The review state is joined only when a filter needs it.
    needs_state = status is not None or assignee or unassigned
    source = (
        run_cases.outerjoin(case_state, case_state.c.case_id == run_cases.c.case_id)
        if needs_state
        else run_cases
    )
    where_clause = and_(*conditions)
    count = select(func.count()).select_from(source).where(where_clause)
    # Within one scope either every case has a rank or none has, so (rank, case id)
    # is a total order, served by the index (run_id, scope, queue_rank, case_id): the
    # inner query skips to the page on that covering index alone, and only the page's
    # 50 rows are read in full, in one statement. Other orders sort the scope's rows.
    order = _ORDER[Sort(str(sort))]
    page_ids = (
        select(run_cases.c.case_id)
        .select_from(source)
        .where(where_clause)
        .order_by(*order)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
        .correlate(None)  # its own FROM, though the outer query names the same tables
    )
    page = (
        select(*_PAGE_COLUMNS)
        .select_from(_DETAILS)
        .where(run_cases.c.run_id == bindparam("run_id"), run_cases.c.case_id.in_(page_ids))
        .order_by(*order)
    )
    return count, page, page_ids


_PAGE_COLUMNS = (
    run_cases.c.case_id,
    run_cases.c.queue_rank,
    run_cases.c.priority_band,
    run_cases.c.priority_score,
    run_cases.c.category,
    run_cases.c.area,
    run_cases.c.offence_code,
    run_cases.c.reported_on,
    run_cases.c.outcome_on,
    run_cases.c.in_scope_narrower,
    run_cases.c.network_id,
    run_cases.c.network_cases,
    run_cases.c.n_leads,
    run_cases.c.n_language,
    case_state.c.status,
    users.c.username,
)
_DETAILS = run_cases.outerjoin(case_state, case_state.c.case_id == run_cases.c.case_id).outerjoin(
    users, users.c.id == case_state.c.assignee_id
)


def queue_page(connection: Connection, run_id: str, where: QueueFilter, reach: Reach) -> QueuePage:
    """The count, then the page's rows with their review state."""
    count, page_rows, _ids = _statements(_shape(where))
    params = _params(run_id, where)
    total = connection.execute(count, params).scalar_one()
    pages = max(1, -(-int(total) // PAGE_SIZE))
    page = min(max(1, where.page), pages)
    offset = {"offset": (page - 1) * PAGE_SIZE, "limit": PAGE_SIZE}
    result = []
    for (case_id, rank, band, score, category, area, offence_code, reported_on, outcome_on,
         narrower, network_id, network_cases, n_leads, n_language, status,
         username) in connection.execute(page_rows, {**params, **offset}).all():  # fmt: skip
        result.append(
            QueueRow(
                case_id, rank, band, score, category, area, offence_code, reported_on,
                outcome_on, bool(narrower), network_id, network_cases, n_leads, n_language,
                CaseStatus(status) if status else CaseStatus.UNASSIGNED, username,
                reach.may_open(case_id, network_id),
            )
        )  # fmt: skip
    return QueuePage(result, int(total), page, pages, replace(where, page=page))


MAX_MATCHING = 5_000
"""The most cases one action on "everything matching the filters" may take."""


def matching_case_ids(connection: Connection, run_id: str, where: QueueFilter) -> list[str]:
    """Every case the filter matches, in the queue's order (at most MAX_MATCHING)."""
    _count, _page, ids = _statements(_shape(where))
    params = {**_params(run_id, where), "offset": 0, "limit": MAX_MATCHING}
    return list(connection.execute(ids, params).scalars())
