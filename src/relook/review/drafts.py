"""Assessment drafts: what a reviewer has typed and not yet submitted.

A draft is kept server-side, one per person and case, saved when they ask and every few
seconds while they type (the case page's script), so a session that ends, a browser that
closes or a form that expires loses nothing: the page fills the form from the draft.
A draft is never shown to anyone else, and goes when its author submits. Each save that
changes it is audited, by a digest of its content: the audit trail says a draft was
written, not what it says.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from relook.review.case_state import get_state
from relook.review.errors import Conflict, NotAllowed
from relook.review.queue import CaseStatus
from relook.security import audit
from relook.security.accounts import User
from relook.security.audit import AuditAction
from relook.security.policy import may_assess
from relook.store.clock import now_iso
from relook.store.tables import assessment_drafts

QUESTION_KEYS = ("enquiry", "risk", "safeguarding", "justice")
FIELDS = (
    *(f"{key}_{part}" for key in QUESTION_KEYS for part in ("answer", "notes")),
    "decision",
    "rationale",
    "reasons",  # the decision's structured reasons, comma-separated
)
MAX_FIELD = 20_000


@dataclass(frozen=True)
class Draft:
    case_id: str
    saved_at: str
    fields: dict[str, str]


def _cleaned(fields: Mapping[str, str]) -> dict[str, str]:
    """The form's own fields only, each cut to the form's own limit."""
    return {name: str(fields[name])[:MAX_FIELD] for name in FIELDS if fields.get(name)}


def _digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def load(connection: Connection, user_id: int, case_id: str) -> Draft | None:
    row = connection.execute(
        select(assessment_drafts.c.saved_at, assessment_drafts.c.content).where(
            assessment_drafts.c.user_id == user_id, assessment_drafts.c.case_id == case_id
        )
    ).first()
    if row is None:
        return None
    return Draft(case_id, row.saved_at, json.loads(row.content))


def save(connection: Connection, author: User, case_id: str, fields: Mapping[str, str]) -> Draft:
    """Keep what the author has typed (replacing their earlier draft of the case)."""
    state = get_state(connection, case_id)
    if not may_assess(role=author.role, user_id=author.id, assignee_id=state.assignee_id):
        raise NotAllowed("only the reviewer the case is assigned to (or a supervisor) assesses it")
    if state.status is CaseStatus.SIGNED_OFF:
        raise Conflict("this case's assessment has been signed off")
    kept = _cleaned(fields)
    content = json.dumps(kept, sort_keys=True)
    earlier = load(connection, author.id, case_id)
    if earlier is not None and earlier.fields == kept:
        return earlier  # nothing new: no write, no audit entry
    discard(connection, author.id, case_id)
    saved_at = now_iso()
    connection.execute(
        insert(assessment_drafts).values(
            user_id=author.id, case_id=case_id, saved_at=saved_at, content=content
        )
    )
    audit.append(
        connection,
        author.actor,
        AuditAction.DRAFT_SAVED,
        object_type="case",
        object_id=case_id,
        detail={"fields": sorted(kept), "digest": _digest(content)},
    )
    return Draft(case_id, saved_at, kept)


def discard(connection: Connection, user_id: int, case_id: str) -> None:
    connection.execute(
        delete(assessment_drafts).where(
            assessment_drafts.c.user_id == user_id, assessment_drafts.c.case_id == case_id
        )
    )
