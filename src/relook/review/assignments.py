"""Supervisors give cases to reviewers; the workload each reviewer carries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Label, bindparam, case, func, insert, select

from relook.review.case_state import get_state, set_state
from relook.review.errors import InvalidInput, NotFound
from relook.review.queue import CaseStatus
from relook.security import audit
from relook.security.accounts import User, get_user
from relook.security.audit import AuditAction
from relook.security.policy import Permission, Role, allows
from relook.store.clock import now_iso
from relook.store.tables import assignments, case_state, run_cases, users

ASSESSING_ROLES = tuple(role.value for role in Role if allows(role, Permission.ASSESS))


_ASSIGNABLE = (
    select(users.c.id, users.c.username, users.c.role)
    .where(users.c.active.is_(True), users.c.role.in_(ASSESSING_ROLES))
    .order_by(users.c.username)
)


def assignable_users(connection: Connection) -> list[User]:
    rows = connection.execute(_ASSIGNABLE)
    return [User(r.id, r.username, Role(r.role), True, None, None) for r in rows]


def assign(
    connection: Connection,
    run_id: str,
    case_ids: Sequence[str],
    assignee_id: int | None,
    *,
    by: User,
) -> int:
    """Assign (or, with `assignee_id=None`, unassign) cases; returns how many changed."""
    wanted = sorted(set(case_ids))
    if not wanted:
        raise InvalidInput("choose at least one case")
    assignee = None
    if assignee_id is not None:
        assignee = get_user(connection, assignee_id)
        if assignee is None or not assignee.active or assignee.role.value not in ASSESSING_ROLES:
            raise InvalidInput("cases can be assigned only to active reviewers and supervisors")
    known = set(
        connection.execute(
            select(run_cases.c.case_id).where(
                run_cases.c.run_id == run_id, run_cases.c.case_id.in_(wanted)
            )
        ).scalars()
    )
    missing = [c for c in wanted if c not in known]
    if missing:
        raise NotFound(f"no case {missing[0]} in the current run")
    changed = 0
    for case_id in wanted:
        state = get_state(connection, case_id)
        if state.assignee_id == assignee_id:
            continue
        connection.execute(
            insert(assignments).values(
                case_id=case_id, assignee_id=assignee_id, assigned_by=by.id, at=now_iso()
            )
        )
        status = state.status
        if status in (CaseStatus.UNASSIGNED, CaseStatus.ASSIGNED):
            status = CaseStatus.ASSIGNED if assignee_id is not None else CaseStatus.UNASSIGNED
        set_state(connection, case_id, assignee_id=assignee_id, status=status.value)
        audit.append(
            connection,
            by.actor,
            AuditAction.ASSIGN,
            object_type="case",
            object_id=case_id,
            detail={"to": assignee.username if assignee else None, "from": state.assignee},
        )
        changed += 1
    return changed


@dataclass(frozen=True)
class AssignmentRecord:
    at: str
    assignee: str | None
    assigned_by: str


_assignee = users.alias("assignee")
_by = users.alias("by_user")
_HISTORY = (
    select(assignments.c.at, _assignee.c.username.label("to"), _by.c.username.label("by"))
    .select_from(
        assignments.outerjoin(_assignee, _assignee.c.id == assignments.c.assignee_id).join(
            _by, _by.c.id == assignments.c.assigned_by
        )
    )
    .where(assignments.c.case_id == bindparam("case_id"))
    .order_by(assignments.c.id.desc())
)


def assignment_history(connection: Connection, case_id: str) -> list[AssignmentRecord]:
    rows = connection.execute(_HISTORY, {"case_id": case_id})
    return [AssignmentRecord(r.at, r.to, r.by) for r in rows]


@dataclass(frozen=True)
class Workload:
    user_id: int
    username: str
    role: str
    assigned: int
    awaiting_sign_off: int
    returned: int
    signed_off: int

    @property
    def open_cases(self) -> int:
        return self.assigned + self.awaiting_sign_off + self.returned


def workload(connection: Connection) -> list[Workload]:
    def count(status: CaseStatus) -> Label[Any]:
        return func.coalesce(
            func.sum(case((case_state.c.status == status.value, 1), else_=0)), 0
        ).label(status.value)

    rows = connection.execute(
        select(
            users.c.id,
            users.c.username,
            users.c.role,
            count(CaseStatus.ASSIGNED),
            count(CaseStatus.AWAITING_SIGN_OFF),
            count(CaseStatus.RETURNED),
            count(CaseStatus.SIGNED_OFF),
        )
        .select_from(users.outerjoin(case_state, case_state.c.assignee_id == users.c.id))
        .where(users.c.active.is_(True), users.c.role.in_(ASSESSING_ROLES))
        .group_by(users.c.id, users.c.username, users.c.role)
        .order_by(users.c.username)
    )
    return [
        Workload(
            r.id,
            r.username,
            r.role,
            int(r.assigned),
            int(r.awaiting_sign_off),
            int(r.returned),
            int(r.signed_off),
        )
        for r in rows
    ]


def network_cases_to_assess(connection: Connection, run_id: str, network_id: str) -> list[str]:
    """The in-scope cases of a network: what "assign this network" gives a reviewer (the
    network's other cases open to them through it, for reading)."""
    return list(
        connection.execute(
            select(run_cases.c.case_id)
            .where(
                run_cases.c.run_id == run_id,
                run_cases.c.network_id == network_id,
                run_cases.c.in_scope_wider.is_(True),
            )
            .order_by(run_cases.c.queue_rank, run_cases.c.case_id)
        ).scalars()
    )


_TO_DO = (CaseStatus.ASSIGNED.value, CaseStatus.RETURNED.value)


def next_case_for(connection: Connection, run_id: str, user_id: int, after: str) -> str | None:
    """The next case in the user's own queue after `after`: their assigned cases still to
    assess (assigned or returned), in queue order, wrapping round to the first."""
    mine: list[str] = list(
        connection.execute(
            select(run_cases.c.case_id)
            .join(case_state, case_state.c.case_id == run_cases.c.case_id)
            .where(
                run_cases.c.run_id == run_id,
                case_state.c.assignee_id == user_id,
                case_state.c.status.in_(_TO_DO),
            )
            .order_by(run_cases.c.queue_rank.nulls_last(), run_cases.c.case_id)
        ).scalars()
    )
    others = [c for c in mine if c != after]
    if not others:
        return None
    if after in mine:
        position = mine.index(after)
        later = mine[position + 1 :]
        return later[0] if later else others[0]
    return others[0]
