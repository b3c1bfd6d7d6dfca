"""Victim engagement: whether each victim of a case has been contacted about the review,
and whether they agree to a reinvestigation (the national panel starts one only with the
victim's agreement).

A victim is a people record with role `victim` on the case, keyed by its `mention_id`.
Entries are append-only (the table refuses UPDATE and DELETE): a new entry supersedes the
last, and the history stays. Each entry says when it happened, who recorded it and when,
with an optional note. Recording is audited; it is for the reviewer the case is assigned
to or a supervisor (`policy.may_record_engagement`), and so is seeing it
(`policy.may_see_engagement`): an analyst matching people needs none of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, insert, select

from relook.review.case_state import get_state
from relook.review.errors import InvalidInput, NotAllowed
from relook.security import audit
from relook.security.accounts import User
from relook.security.audit import AuditAction
from relook.security.policy import may_record_engagement
from relook.store.clock import now_iso
from relook.store.tables import run_people, users, victim_engagement

MAX_NOTE = 2_000


class EngagementStatus(StrEnum):
    NOT_CONTACTED = "not_contacted"
    CONTACT_ATTEMPTED = "contact_attempted"
    AGREES = "agrees"
    DECLINES = "declines"
    CANNOT_BE_CONTACTED = "cannot_be_contacted"


STATUS_LABELS = {
    EngagementStatus.NOT_CONTACTED: "Not yet contacted",
    EngagementStatus.CONTACT_ATTEMPTED: "Contact attempted",
    EngagementStatus.AGREES: "Agrees to reinvestigation",
    EngagementStatus.DECLINES: "Declines",
    EngagementStatus.CANNOT_BE_CONTACTED: "Cannot be contacted",
}


@dataclass(frozen=True)
class EngagementEntry:
    case_id: str
    victim_mention_id: str
    status: EngagementStatus
    happened_on: str
    recorded_by: str
    recorded_at: str
    note: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def case_history(conn: Connection, case_id: str) -> list[EngagementEntry]:
    """Every entry on the case's victims, oldest first (the caller audits the view)."""
    rows = conn.execute(
        select(victim_engagement, users.c.username)
        .join(users, users.c.id == victim_engagement.c.user_id)
        .where(victim_engagement.c.case_id == case_id)
        .order_by(victim_engagement.c.id)
    ).all()
    return [
        EngagementEntry(
            r.case_id, r.victim_mention_id, EngagementStatus(r.status), r.happened_on,
            r.username, r.recorded_at, r.note,
        )
        for r in rows
    ]  # fmt: skip


def current_status(conn: Connection, case_id: str) -> dict[str, EngagementStatus]:
    """Each victim's latest status; a victim with no entry is not yet contacted."""
    return {e.victim_mention_id: e.status for e in case_history(conn, case_id)}


def _status(value: EngagementStatus | str) -> EngagementStatus:
    try:
        return EngagementStatus(value)
    except ValueError:
        known = ", ".join(EngagementStatus)
        raise InvalidInput(f"an engagement status is one of {known}") from None


def _day(value: dt.date | str) -> str:
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput("the date it happened is a date, like 2026-11-30") from None
    if day > dt.date.fromisoformat(now_iso()[:10]):
        raise InvalidInput("the date it happened cannot be in the future")
    return day.isoformat()


def is_victim_of(conn: Connection, case_id: str, mention_id: str) -> bool:
    """Whether the mention is a victim on the case in an imported run."""
    found = conn.execute(
        select(run_people.c.mention_id)
        .where(
            run_people.c.case_id == case_id,
            run_people.c.mention_id == mention_id,
            run_people.c.role == "victim",
        )
        .limit(1)
    ).first()
    return found is not None


def record(
    conn: Connection,
    user: User,
    case_id: str,
    victim_mention_id: str,
    status: EngagementStatus | str,
    happened_on: dt.date | str,
    note: str,
) -> EngagementEntry:
    """Append one entry (inside a write transaction) and audit it."""
    kind = _status(status)
    day = _day(happened_on)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"a note is limited to {MAX_NOTE:,} characters")
    state = get_state(conn, case_id)
    if not may_record_engagement(role=user.role, user_id=user.id, assignee_id=state.assignee_id):
        raise NotAllowed(
            "only the reviewer the case is assigned to (or a supervisor) records victim engagement"
        )
    if not is_victim_of(conn, case_id, victim_mention_id):
        raise InvalidInput(f"{victim_mention_id} is not a victim of case {case_id}")
    recorded_at = now_iso()
    conn.execute(
        insert(victim_engagement).values(
            case_id=case_id, victim_mention_id=victim_mention_id, status=kind.value,
            happened_on=day, note=note, user_id=user.id, recorded_at=recorded_at,
        )
    )  # fmt: skip
    audit.append(
        conn,
        user.actor,
        AuditAction.VICTIM_ENGAGEMENT,
        object_type="case",
        object_id=case_id,
        # The note may name people or places: the trail says one was written, not what.
        detail={
            "victim": victim_mention_id,
            "status": kind.value,
            "happened_on": day,
            "note": bool(note),
        },
    )
    return EngagementEntry(case_id, victim_mention_id, kind, day, user.username, recorded_at, note)
