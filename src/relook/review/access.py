"""Need to know, applied to data: which cases and persons a user may open.

The rule itself is `relook.security.policy.may_open_case`; this module finds the facts it
needs (is the case assigned to the user, or linked to one that is) and asks it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, exists, select

from relook.security.accounts import User
from relook.security.policy import (
    Permission,
    Role,
    allows,
    case_access_needs_assignments,
    may_open_case,
)
from relook.store.tables import case_state, run_cases, run_episodes, run_people


@dataclass(frozen=True)
class Reach:
    """A user's role and the cases they hold: the assigned ones and the networks those
    belong to. Gathered once per page, so that each case on it costs no query."""

    role: Role | str
    assigned: frozenset[str]
    networks: frozenset[str]

    def may_open(self, case_id: str, network_id: str | None) -> bool:
        return may_open_case(
            role=self.role,
            assigned_to_user=case_id in self.assigned,
            linked_to_assigned=network_id is not None and network_id in self.networks,
        )


def reach(connection: Connection, run_id: str, user: User) -> Reach:
    if not case_access_needs_assignments(user.role):
        return Reach(user.role, frozenset(), frozenset())
    assigned = frozenset(
        connection.execute(
            select(case_state.c.case_id).where(case_state.c.assignee_id == user.id)
        ).scalars()
    )
    networks: frozenset[str] = frozenset()
    if assigned:
        networks = frozenset(
            n
            for n in connection.execute(
                select(run_cases.c.network_id).where(
                    run_cases.c.run_id == run_id,
                    run_cases.c.case_id.in_(assigned),
                    run_cases.c.network_id.is_not(None),
                )
            ).scalars()
            if n
        )
    return Reach(user.role, assigned, networks)


def may_open_case_id(
    connection: Connection, run_id: str, user: User, case_id: str, network_id: str | None
) -> bool:
    return reach(connection, run_id, user).may_open(case_id, network_id)


def person_case_ids(connection: Connection, run_id: str, person_id: str) -> set[str]:
    return set(
        connection.execute(
            select(run_people.c.case_id).where(
                run_people.c.run_id == run_id, run_people.c.person_id == person_id
            )
        ).scalars()
    )


def person_exists(connection: Connection, run_id: str, person_id: str) -> bool:
    return bool(
        connection.execute(
            select(
                exists().where(run_people.c.run_id == run_id, run_people.c.person_id == person_id)
            )
        ).scalar_one()
        or connection.execute(
            select(
                exists().where(
                    run_episodes.c.run_id == run_id, run_episodes.c.person_id == person_id
                )
            )
        ).scalar_one()
    )


def may_open_person(connection: Connection, run_id: str, user: User, person_id: str) -> bool:
    """A person is visible when one of their records is on a case the user may open."""
    if not allows(user.role, Permission.VIEW_PERSON):
        return False
    if allows(user.role, Permission.VIEW_ALL_CASES):
        return True
    held = reach(connection, run_id, user)
    rows = connection.execute(
        select(run_cases.c.case_id, run_cases.c.network_id).where(
            run_cases.c.run_id == run_id,
            run_cases.c.case_id.in_(person_case_ids(connection, run_id, person_id)),
        )
    )
    return any(held.may_open(row.case_id, row.network_id) for row in rows)


def may_open_record(connection: Connection, run_id: str, user: User, record_id: str) -> bool:
    """Whether the user may see a record (a person mention or a missing-episode record):
    a mention when its case opens for them, an episode when its child's person page does.
    An unknown record is not one they may see."""
    mention = connection.execute(
        select(run_cases.c.case_id, run_cases.c.network_id)
        .join(
            run_people,
            (run_people.c.run_id == run_cases.c.run_id)
            & (run_people.c.case_id == run_cases.c.case_id),
        )
        .where(run_people.c.run_id == run_id, run_people.c.mention_id == record_id)
    ).first()
    if mention is not None:
        return reach(connection, run_id, user).may_open(mention.case_id, mention.network_id)
    person_id = connection.execute(
        select(run_episodes.c.person_id).where(
            run_episodes.c.run_id == run_id, run_episodes.c.episode_id == record_id
        )
    ).scalar_one_or_none()
    return person_id is not None and may_open_person(connection, run_id, user, person_id)
