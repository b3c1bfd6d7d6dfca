"""The person page: a resolved person's records, the match explanation, judgements."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from relook.pipeline.resolve import JudgementKind
from relook.review import access, judgements, person_page
from relook.review.errors import NotFound
from relook.security import audit
from relook.security.accounts import User
from relook.security.audit import AuditAction
from relook.security.policy import Permission
from relook.web.concurrency import slow_work
from relook.web.deps import (
    CurrentRun,
    CurrentUser,
    DbDep,
    ReasonText,
    StoreDep,
    refuse,
    require,
)
from relook.web.templating import render

router = APIRouter()

RECORD_ID = r"^[A-Za-z0-9_.:-]{1,64}$"


async def visible_person(
    person_id: str, db: DbDep, store: StoreDep, user: CurrentUser, run: CurrentRun
) -> str:
    if not access.person_exists(db, run.run_id, person_id):
        raise NotFound(f"There is no person {person_id} in the current run.")
    if not access.may_open_person(db, run.run_id, user, person_id):
        await refuse(
            store, user, "person", person_id,
            "This person appears only on cases that are not assigned to you.",
        )  # fmt: skip
    return person_id


VisiblePerson = Annotated[str, Depends(visible_person)]


class RevealForm(BaseModel):
    reason: ReasonText
    csrf_token: str = ""


class ExplainQuery(BaseModel):
    a: str = Field(pattern=RECORD_ID)
    b: str = Field(pattern=RECORD_ID)


class JudgementForm(BaseModel):
    record_a: str = Field(pattern=RECORD_ID)
    record_b: str = Field(pattern=RECORD_ID)
    kind: JudgementKind
    reason: str = Field(min_length=5, max_length=2000)
    csrf_token: str = ""


def _person_response(
    request: Request,
    db: DbDep,
    store: StoreDep,
    user: User,
    run: CurrentRun,
    person_id: str,
    *,
    reveal_reason: str | None = None,
) -> Response:
    with store.write() as connection:
        audit.append(
            connection,
            user.actor,
            # A reveal is audited as a reveal whatever its reason (checked by the form).
            AuditAction.REVEAL if reveal_reason is not None else AuditAction.VIEW_PERSON,
            object_type="person",
            object_id=person_id,
            reason=reveal_reason,
            detail={"run_id": run.run_id},
        )
    page = person_page.build(
        db,
        run.run_id,
        person_id,
        reach=access.reach(db, run.run_id, user),
        revealed=reveal_reason is not None,
    )
    if page is None:  # pragma: no cover - visible_person checked it exists
        raise NotFound(f"There is no person {person_id} in the current run.")
    return render(
        request,
        "person.html",
        title=f"Person {person_id}",
        run=run,
        page=page,
        explain_available=request.app.state.explainer.available,
    )


@router.get(
    "/persons/{person_id}", name="person_page", dependencies=[require(Permission.VIEW_PERSON)]
)
def person_view(
    request: Request,
    db: DbDep,
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
    person_id: VisiblePerson,
) -> Response:
    return _person_response(request, db, store, user, run, person_id)


@router.post(
    "/persons/{person_id}/reveal",
    name="reveal_person",
    dependencies=[require(Permission.REVEAL_VICTIM)],
)
def reveal_person(
    request: Request,
    db: DbDep,
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
    person_id: VisiblePerson,
    form: Annotated[RevealForm, Form()],
) -> Response:
    return _person_response(request, db, store, user, run, person_id, reveal_reason=form.reason)


@router.get(
    "/persons/{person_id}/explain",
    name="explain_match",
    dependencies=[require(Permission.VIEW_PERSON)],
)
@slow_work  # reads the analysis database and recomputes the comparison
def explain_match(
    request: Request,
    db: DbDep,
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
    person_id: VisiblePerson,
    query: Annotated[ExplainQuery, Query()],
) -> Response:
    """The resolver's per-comparison weights for two records (an HTMX fragment)."""
    page = person_page.build(
        db, run.run_id, person_id, reach=access.reach(db, run.run_id, user), revealed=False
    )
    records = {r.record_id for r in page.records} if page else set()
    if query.a not in records:
        raise NotFound(f"{query.a} is not a record of {person_id}.")
    # The second record may be any record (a must-link candidate), but only one this user
    # may open: otherwise the explanation would tell them about cases beyond their reach.
    if query.b not in records and not access.may_open_record(db, run.run_id, user, query.b):
        raise NotFound(f"There is no record {query.b} that you may open.")
    with store.write() as connection:
        audit.append(
            connection,
            user.actor,
            AuditAction.EXPLAIN_MATCH,
            object_type="person",
            object_id=person_id,
            detail={"records": [query.a, query.b]},
        )
    explainer = request.app.state.explainer
    explanation = None
    problem = ""
    if not explainer.available(run.run_id):
        problem = "The analysis database of this run is not in this workspace."
    else:
        try:
            explanation = explainer.explain(run.run_id, query.a, query.b)
        except KeyError as exc:
            problem = str(exc.args[0]) if exc.args else "unknown record"
    hide_values = bool(page and page.protected) or query.b not in records
    return render(
        request,
        "_explanation.html",
        explanation=explanation,
        problem=problem,
        hide_values=hide_values,
        # A suspect may live at a victim's address: compared values are withheld too.
        withhold=page.withhold if page else str,
    )


@router.post(
    "/persons/{person_id}/judgements",
    name="record_judgement",
    dependencies=[require(Permission.JUDGE)],
)
def record_judgement(
    store: StoreDep,
    user: CurrentUser,
    person_id: VisiblePerson,
    form: Annotated[JudgementForm, Form()],
) -> Response:
    with store.write() as connection:
        judgements.record(
            connection,
            form.record_a,
            form.record_b,
            form.kind,
            by=user.actor,
            reason=form.reason.strip(),
            context=person_id,
        )
    return RedirectResponse(f"/persons/{person_id}#judgements", status_code=303)
