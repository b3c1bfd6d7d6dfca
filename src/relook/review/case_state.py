"""`case_state`: the current assignee and status of each case, for fast queue filters.

A projection of the append-only decision tables (assignments, assessments, sign-offs),
updated in the same transaction as the decision it reflects.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, insert, select, update

from relook.review.queue import CaseStatus
from relook.store.clock import now_iso
from relook.store.tables import case_state, users


@dataclass(frozen=True)
class CaseState:
    case_id: str
    assignee_id: int | None
    assignee: str | None
    status: CaseStatus
    latest_version: int | None
    recorded: bool = True
    """False when nothing has happened to the case yet (no assignment, no assessment)."""


_STATE = (
    select(
        case_state.c.assignee_id,
        users.c.username,
        case_state.c.status,
        case_state.c.latest_version,
    )
    .select_from(case_state.outerjoin(users, users.c.id == case_state.c.assignee_id))
    .where(case_state.c.case_id == bindparam("case_id"))
)


def get_state(connection: Connection, case_id: str) -> CaseState:
    row = connection.execute(_STATE, {"case_id": case_id}).first()
    if row is None:
        return CaseState(case_id, None, None, CaseStatus.UNASSIGNED, None, recorded=False)
    return CaseState(
        case_id, row.assignee_id, row.username, CaseStatus(row.status), row.latest_version
    )


def set_state(connection: Connection, case_id: str, **values: object) -> None:
    """Insert or update the case's row (`values` are column values)."""
    values = {**values, "updated_at": now_iso()}
    found = connection.execute(
        select(case_state.c.case_id).where(case_state.c.case_id == case_id)
    ).first()
    if found:
        connection.execute(update(case_state).where(case_state.c.case_id == case_id).values(values))
    else:
        values.setdefault("status", CaseStatus.UNASSIGNED.value)
        connection.execute(insert(case_state).values(case_id=case_id, **values))
