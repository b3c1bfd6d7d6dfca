"""The case page, victim reveal, assessment and sign-off."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Row

from relook.review import (
    access,
    assessments,
    assignments,
    case_page,
    drafts,
    lead_actions,
    victim_engagement,
)
from relook.review.assessment_form import form_start
from relook.review.assessments import (
    ANSWER_LABELS,
    CHOICES,
    DECISION_LABELS,
    DECISION_REASONS,
    QUESTIONS,
    Answer,
    AssessmentInput,
    Decision,
    SignOffOutcome,
)
from relook.review.case_state import get_state
from relook.review.errors import NotFound
from relook.review.queue import STATUS_LABELS, CaseStatus
from relook.security import audit
from relook.security.accounts import User
from relook.security.audit import AuditAction
from relook.security.policy import (
    Permission,
    allows,
    may_assess,
    may_record_engagement,
    may_see_engagement,
    may_sign_off,
)
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
AUTOSAVE_HEADER = "X-Relook-Autosave"

CASE_ID = r"^[A-Za-z0-9_.:/-]{1,64}$"


async def visible_case(
    case_id: str, db: DbDep, store: StoreDep, user: CurrentUser, run: CurrentRun
) -> Row[Any]:
    """The case in the current run, if this user may open it (need to know); a refusal
    is recorded in the audit trail."""
    row = case_page.find_case(db, run.run_id, case_id)
    if row is None:
        raise NotFound(f"There is no case {case_id} in the current run.")
    if not access.may_open_case_id(db, run.run_id, user, case_id, row.network_id):
        await refuse(
            store, user, "case", case_id,
            "This case is not assigned to you or linked to a case that is. Ask a supervisor"
            " to assign it if you need it.",
        )  # fmt: skip
    return row


VisibleCase = Annotated[Row[Any], Depends(visible_case)]


class RevealForm(BaseModel):
    reason: ReasonText
    csrf_token: str = ""


class AssessmentForm(BaseModel):
    """What the assessment form posts (see `relook.review.assessments`)."""

    enquiry_answer: Answer
    enquiry_notes: str = Field("", max_length=20_000)
    risk_answer: Answer
    risk_notes: str = Field("", max_length=20_000)
    safeguarding_answer: Answer
    safeguarding_notes: str = Field("", max_length=20_000)
    justice_answer: Answer
    justice_notes: str = Field("", max_length=20_000)
    decision: Decision
    rationale: str = Field(min_length=1, max_length=20_000)
    reasons: list[str] = Field(default_factory=list, max_length=20)
    csrf_token: str = ""

    def to_input(self) -> AssessmentInput:
        # The form shows only the chosen decision's reasons, but boxes ticked under
        # another decision before the reviewer changed their mind are still posted:
        # only the chosen decision's own reasons are its reasons.
        own = DECISION_REASONS.get(self.decision, {})
        fields = self.model_dump(exclude={"csrf_token", "reasons"})
        return AssessmentInput(**fields, reasons=tuple(r for r in self.reasons if r in own))


class LeadActionForm(BaseModel):
    """What a lead's form posts: what the reviewer did with it (see
    `relook.review.lead_actions`); a reason is needed for "not relevant"."""

    action: lead_actions.LeadAction
    reason: str = Field("", max_length=lead_actions.MAX_REASON)
    csrf_token: str = ""


class EngagementForm(BaseModel):
    """One entry of a victim's engagement (see `relook.review.victim_engagement`)."""

    victim_mention_id: str = Field(min_length=1, max_length=64)
    status: str = Field(min_length=1, max_length=24)
    happened_on: str = Field(min_length=1, max_length=10)
    note: str = Field("", max_length=victim_engagement.MAX_NOTE)
    csrf_token: str = ""


class SignOffForm(BaseModel):
    outcome: SignOffOutcome
    comment: str = Field("", max_length=20_000)
    csrf_token: str = ""


def _engagement_context(
    db: DbDep, user: User, case_id: str, assignee_id: int | None
) -> dict[str, Any]:
    """What the case page's victim engagement section needs, for those who may see it."""
    sees = may_see_engagement(role=user.role, user_id=user.id, assignee_id=assignee_id)
    history = victim_engagement.case_history(db, case_id) if sees else []
    labels = victim_engagement.STATUS_LABELS
    return {
        "sees_engagement": sees,
        "engagement": history,
        "engagement_now": {e.victim_mention_id: e for e in history},  # the latest wins
        "engagement_labels": labels,
        "not_contacted": labels[victim_engagement.EngagementStatus.NOT_CONTACTED],
        "may_record_engagement": sees
        and may_record_engagement(role=user.role, user_id=user.id, assignee_id=assignee_id),
    }


def _case_response(
    request: Request,
    db: DbDep,
    store: StoreDep,
    user: User,
    run: CurrentRun,
    case_row: Row[Any],
    *,
    reveal_reason: str | None = None,
) -> Response:
    case_id = case_row.case_id
    # Log first: if the entry cannot be written, the page is not shown.
    with store.write() as connection:
        audit.append(
            connection,
            user.actor,
            # A reveal is audited as a reveal whatever its reason (checked by the form).
            AuditAction.REVEAL if reveal_reason is not None else AuditAction.VIEW_CASE,
            object_type="case",
            object_id=case_id,
            reason=reveal_reason,
            detail={"run_id": run.run_id},
        )
    reach = access.reach(db, run.run_id, user)
    page = case_page.build(
        db, run.run_id, case_row, reach=reach, revealed=reveal_reason is not None
    )
    state = get_state(db, case_id)
    # Most cases have no review yet: skip the two history queries for them.
    history = assessments.history(db, case_id) if state.latest_version is not None else []
    latest = history[0] if history else None
    awaiting = latest is not None and latest.sign_off is None
    may_assign = allows(user.role, Permission.ASSIGN)
    draft = drafts.load(db, user.id, case_id) if allows(user.role, Permission.ASSESS) else None
    return render(
        request,
        "case.html",
        title=f"Case {case_id}",
        run=run,
        page=page,
        state=state,
        status_label=STATUS_LABELS[state.status],
        history=history,
        assignment_history=assignments.assignment_history(db, case_id) if state.recorded else [],
        assignable=assignments.assignable_users(db) if may_assign else [],
        network_to_assess=len(
            assignments.network_cases_to_assess(db, run.run_id, case_row.network_id)
        )
        if may_assign and case_row.network_id
        else 0,
        lead_actions=lead_actions.ACTION_LABELS,
        questions=QUESTIONS,
        form=form_start(draft, history),
        next_case=assignments.next_case_for(db, run.run_id, user.id, case_id),
        answers=ANSWER_LABELS,
        decisions={d: DECISION_LABELS[d] for d in CHOICES},
        decision_reasons=DECISION_REASONS,
        **_engagement_context(db, user, case_id, state.assignee_id),
        may_assess=may_assess(role=user.role, user_id=user.id, assignee_id=state.assignee_id)
        and state.status is not CaseStatus.SIGNED_OFF,
        may_sign_off=awaiting
        and latest is not None
        and may_sign_off(signer_id=user.id, author_id=latest.author_id, signer_role=user.role),
        own_awaiting=awaiting and latest is not None and latest.author_id == user.id,
    )


@router.get("/cases/{case_id}", name="case_page", dependencies=[require(Permission.VIEW_CASE)])
def case_view(
    request: Request,
    db: DbDep,
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
    case_row: VisibleCase,
) -> Response:
    return _case_response(request, db, store, user, run, case_row)


@router.post(
    "/cases/{case_id}/reveal",
    name="reveal_case_victims",
    dependencies=[require(Permission.REVEAL_VICTIM)],
)
def reveal_case_victims(
    request: Request,
    db: DbDep,
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
    case_row: VisibleCase,
    form: Annotated[RevealForm, Form()],
) -> Response:
    """Victims' identities for this one response, after a typed reason (audited)."""
    return _case_response(request, db, store, user, run, case_row, reveal_reason=form.reason)


@router.post(
    "/cases/{case_id}/assessments",
    name="submit_assessment",
    dependencies=[require(Permission.ASSESS)],
)
def submit_assessment(
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
    case_row: VisibleCase,
    form: Annotated[AssessmentForm, Form()],
) -> Response:
    with store.write() as connection:
        assessments.submit(
            connection, case_row.case_id, form.to_input(), author=user, run_id=run.run_id
        )
    return RedirectResponse(f"/cases/{case_row.case_id}#assessment", status_code=303)


@router.post(
    "/cases/{case_id}/assessments/{version}/sign-off",
    name="sign_off_assessment",
    dependencies=[require(Permission.SIGN_OFF)],
)
def sign_off_assessment(
    version: int,
    store: StoreDep,
    user: CurrentUser,
    case_row: VisibleCase,
    form: Annotated[SignOffForm, Form()],
) -> Response:
    with store.write() as connection:
        assessments.sign_off(
            connection, case_row.case_id, version, form.outcome, form.comment, supervisor=user
        )
    return RedirectResponse(f"/cases/{case_row.case_id}#assessment", status_code=303)


class DraftForm(BaseModel):
    """Whatever the assessment form holds so far: every field may still be empty."""

    enquiry_answer: str = Field("", max_length=16)
    enquiry_notes: str = Field("", max_length=20_000)
    risk_answer: str = Field("", max_length=16)
    risk_notes: str = Field("", max_length=20_000)
    safeguarding_answer: str = Field("", max_length=16)
    safeguarding_notes: str = Field("", max_length=20_000)
    justice_answer: str = Field("", max_length=16)
    justice_notes: str = Field("", max_length=20_000)
    decision: str = Field("", max_length=40)
    rationale: str = Field("", max_length=20_000)
    reasons: list[str] = Field(default_factory=list, max_length=20)
    csrf_token: str = ""


@router.post(
    "/cases/{case_id}/draft",
    name="save_draft",
    dependencies=[require(Permission.ASSESS)],
)
def save_draft(
    request: Request,
    store: StoreDep,
    user: CurrentUser,
    case_row: VisibleCase,
    form: Annotated[DraftForm, Form()],
) -> Response:
    """Keep the author's unfinished assessment. The page's script saves every few seconds
    (and gets 204); the *Save draft* button comes back to the page."""
    with store.write() as connection:
        fields = form.model_dump(exclude={"csrf_token", "reasons"})
        draft = drafts.save(
            connection, user, case_row.case_id, {**fields, "reasons": ",".join(form.reasons)}
        )
    if request.headers.get(AUTOSAVE_HEADER):
        return Response(status_code=204, headers={"X-Relook-Saved-At": draft.saved_at})
    return RedirectResponse(f"/cases/{case_row.case_id}#assessment", status_code=303)


LEAD_ID = r"^L[0-9a-f]{1,32}$"


@router.post(
    "/cases/{case_id}/leads/{lead_id}",
    name="mark_lead",
    dependencies=[require(Permission.ASSESS)],
)
def mark_lead(
    lead_id: Annotated[str, Path(pattern=LEAD_ID)],
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
    case_row: VisibleCase,
    form: Annotated[LeadActionForm, Form()],
) -> Response:
    """Record what the reviewer did with one lead (append-only, audited)."""
    with store.write() as connection:
        lead_actions.mark(
            connection, case_row.case_id, lead_id, form.action.value,
            reason=form.reason, by=user, run_id=run.run_id,
        )  # fmt: skip
    return RedirectResponse(f"/cases/{case_row.case_id}#lead-{lead_id}", status_code=303)


async def engagement_case(
    case_row: VisibleCase, db: DbDep, store: StoreDep, user: CurrentUser
) -> Row[Any]:
    """The case, if this user may record its victims' engagement; a refusal is audited."""
    state = get_state(db, case_row.case_id)
    if not may_record_engagement(role=user.role, user_id=user.id, assignee_id=state.assignee_id):
        await refuse(
            store, user, "case", case_row.case_id,
            "Victim engagement is recorded by the reviewer the case is assigned to, or a"
            " supervisor.",
        )  # fmt: skip
    return case_row


@router.post(
    "/cases/{case_id}/engagement",
    name="record_engagement",
    dependencies=[require(Permission.RECORD_ENGAGEMENT)],
)
def record_engagement(
    store: StoreDep,
    user: CurrentUser,
    case_row: Annotated[Row[Any], Depends(engagement_case)],
    form: Annotated[EngagementForm, Form()],
) -> Response:
    """Append one entry to a victim's engagement (audited)."""
    with store.write() as connection:
        victim_engagement.record(
            connection, user, case_row.case_id, form.victim_mention_id, form.status,
            form.happened_on, form.note,
        )  # fmt: skip
    return RedirectResponse(f"/cases/{case_row.case_id}#engagement", status_code=303)
