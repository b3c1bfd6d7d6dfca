"""Leads as actions: a reviewer marks each lead raised, not relevant (with a reason) or
resulted. Append-only (the table refuses UPDATE and DELETE): a new mark supersedes the
last, and the history stays. Every mark is audited as part of assessing the case, and
only someone who may assess the case may mark its leads.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, insert, select

from relook.review.case_state import get_state
from relook.review.errors import Conflict, InvalidInput, NotAllowed, NotFound
from relook.review.queue import CaseStatus
from relook.security import audit
from relook.security.accounts import User
from relook.security.audit import AuditAction
from relook.security.policy import may_assess
from relook.store.clock import now_iso
from relook.store.tables import lead_actions, run_leads, users

MAX_REASON = 2_000


class LeadAction(StrEnum):
    RAISED = "raised"
    NOT_RELEVANT = "not_relevant"
    RESULTED = "resulted"


ACTION_LABELS = {
    LeadAction.RAISED: "Raised",
    LeadAction.NOT_RELEVANT: "Not relevant",
    LeadAction.RESULTED: "Resulted",
}


@dataclass(frozen=True)
class LeadMark:
    lead_id: str
    action: LeadAction
    reason: str
    by: str
    at: str

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]


def _action(value: str) -> LeadAction:
    try:
        return LeadAction(value)
    except ValueError:
        raise InvalidInput(f"a lead is marked {', '.join(LeadAction)}") from None


def mark(
    connection: Connection,
    case_id: str,
    lead_id: str,
    action: str,
    *,
    reason: str,
    by: User,
    run_id: str | None,
) -> LeadMark:
    """Append one mark (inside a write transaction) and audit it."""
    kind = _action(action)
    reason = reason.strip()
    if kind is LeadAction.NOT_RELEVANT and not reason:
        raise InvalidInput("say why the lead is not relevant")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"a reason is limited to {MAX_REASON:,} characters")
    if (
        run_id is not None
        and not connection.execute(
            select(run_leads.c.lead_id).where(
                run_leads.c.run_id == run_id,
                run_leads.c.case_id == case_id,
                run_leads.c.lead_id == lead_id,
            )
        ).first()
    ):
        raise NotFound(f"case {case_id} has no lead {lead_id} in the current run")
    state = get_state(connection, case_id)
    if not may_assess(role=by.role, user_id=by.id, assignee_id=state.assignee_id):
        raise NotAllowed("only the reviewer the case is assigned to (or a supervisor) marks leads")
    if state.status is CaseStatus.SIGNED_OFF:
        raise Conflict("this case's assessment has been signed off")
    at = now_iso()
    connection.execute(
        insert(lead_actions).values(
            case_id=case_id, lead_id=lead_id, action=kind.value, reason=reason,
            user_id=by.id, run_id=run_id, at=at,
        )
    )  # fmt: skip
    audit.append(
        connection,
        by.actor,
        AuditAction.ASSESS,
        object_type="case",
        object_id=case_id,
        reason=reason or None,
        detail={"lead_id": lead_id, "lead_action": kind.value, "run_id": run_id},
    )
    return LeadMark(lead_id, kind, reason, by.username, at)


def history(connection: Connection, case_id: str) -> list[LeadMark]:
    """Every mark on the case's leads, oldest first."""
    rows = connection.execute(
        select(lead_actions, users.c.username)
        .join(users, users.c.id == lead_actions.c.user_id)
        .where(lead_actions.c.case_id == case_id)
        .order_by(lead_actions.c.id)
    ).all()
    return [LeadMark(r.lead_id, LeadAction(r.action), r.reason, r.username, r.at) for r in rows]


def latest(connection: Connection, case_id: str) -> dict[str, LeadMark]:
    """Each lead's state: its latest mark."""
    return {m.lead_id: m for m in history(connection, case_id)}


def counts(marks: dict[str, LeadMark]) -> dict[str, int]:
    """How many of the case's leads are in each state (for the assessment and export)."""
    tally = Counter(m.action for m in marks.values())
    return {action.value: tally.get(action, 0) for action in LeadAction}


def counts_by_case(connection: Connection) -> dict[str, dict[str, int]]:
    """Per case, how many of its leads are in each state now (for the export)."""
    rows = connection.execute(
        select(lead_actions.c.case_id, lead_actions.c.lead_id, lead_actions.c.action).order_by(
            lead_actions.c.id
        )
    ).all()
    state: dict[tuple[str, str], str] = {}
    for case_id, lead_id, action in rows:
        state[(case_id, lead_id)] = action  # the later mark wins
    tally: dict[str, dict[str, int]] = {}
    for (case_id, _), action in state.items():
        per_case = tally.setdefault(case_id, {a.value: 0 for a in LeadAction})
        per_case[action] += 1
    return tally
