"""The runs imported into the store; the newest complete one is what the review shows."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from relook.review.runs import list_runs
from relook.security.policy import Permission
from relook.web.deps import DbDep, require
from relook.web.templating import render

router = APIRouter()


@router.get("/runs", name="runs", dependencies=[require(Permission.VIEW_RUNS)])
def runs(request: Request, db: DbDep) -> Response:
    return render(request, "runs.html", title="Runs", runs=list_runs(db))
