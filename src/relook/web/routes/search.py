"""Search across the force by case reference, name, alias, registration mark, phone or
postcode; every search is audited, and cases the user may not open are only counted."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field

from relook.review import access, search
from relook.security import audit
from relook.security.audit import AuditAction
from relook.security.policy import Permission
from relook.web.concurrency import slow_work
from relook.web.deps import CurrentRun, CurrentUser, DbDep, StoreDep, require
from relook.web.filters import FilterQuery
from relook.web.templating import render

router = APIRouter()
SHOWN = 200


class SearchQuery(FilterQuery):
    q: str | None = Field(None, max_length=search.MAX_QUERY)


@router.get("/search", name="search", dependencies=[require(Permission.VIEW_CASE)])
@slow_work  # the first search of a run builds its index
def search_page(
    request: Request,
    db: DbDep,
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
    query: Annotated[SearchQuery, Query()],
) -> Response:
    result = None
    if query.q:
        index = search.index_for(db, run.run_id)
        result = search.search(index, query.q, access.reach(db, run.run_id, user))
        with store.write() as connection:
            audit.append(
                connection,
                user.actor,
                AuditAction.SEARCH,
                object_type="run",
                object_id=run.run_id,
                detail={"query": result.query, "shown": len(result.hits), "hidden": result.hidden},
            )
    return render(
        request, "search.html", title="Search", query=query.q or "", result=result, shown=SHOWN
    )
