"""Refused access, recorded: a user asking for a case or person beyond their reach.

Attempts on data one may not see are what an auditor most needs to see (DPA 2018 s.62
logs consultation; a refused attempt is an attempted one). They are also what a script
or a confused user can repeat thousands of times, so the trail takes them at a bounded
rate: one entry per user and object per `SAME_OBJECT_SECONDS`, and at most
`PER_USER_LIMIT` per user per `PER_USER_SECONDS`. When a user reaches that limit one more
entry says so (`access_refused_suppressed`), and the refusals after it in that hour are
refused unrecorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, func, select

from relook.security import audit
from relook.security.audit import Actor, AuditAction
from relook.store.tables import audit_log

SAME_OBJECT_SECONDS = 10 * 60
PER_USER_SECONDS = 60 * 60
PER_USER_LIMIT = 20


def _since(seconds: int) -> str:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _recent(connection: Connection, actor: Actor, seconds: int, **match: str) -> int:
    conditions = [
        audit_log.c.action.in_(
            [AuditAction.ACCESS_REFUSED.value, AuditAction.ACCESS_REFUSED_SUPPRESSED.value]
        ),
        audit_log.c.actor == actor.name,
        audit_log.c.at >= _since(seconds),
    ]
    conditions += [audit_log.c[name] == value for name, value in match.items()]
    return int(
        connection.execute(
            select(func.count()).select_from(audit_log).where(*conditions)
        ).scalar_one()
    )


def record_refusal(
    connection: Connection,
    actor: Actor,
    *,
    object_type: str,
    object_id: str,
    detail: Mapping[str, Any] | None = None,
) -> bool:
    """Record that `actor` was refused `object_id` (inside a write transaction), unless
    the rate limit says not to; True when an entry was written."""
    if _recent(connection, actor, SAME_OBJECT_SECONDS, object_type=object_type,
               object_id=object_id):  # fmt: skip
        return False
    recorded = _recent(connection, actor, PER_USER_SECONDS)
    if recorded > PER_USER_LIMIT:
        return False
    if recorded == PER_USER_LIMIT:
        audit.append(
            connection,
            actor,
            AuditAction.ACCESS_REFUSED_SUPPRESSED,
            object_type=object_type,
            object_id=object_id,
            detail={"limit": PER_USER_LIMIT, "per_seconds": PER_USER_SECONDS},
        )
        return True
    audit.append(
        connection,
        actor,
        AuditAction.ACCESS_REFUSED,
        object_type=object_type,
        object_id=object_id,
        detail=dict(detail or {}),
    )
    return True


def refused_since(connection: Connection, days: int) -> int:
    """How many refusals the trail holds from the last `days` days (for the auditor)."""
    return int(
        connection.execute(
            select(func.count())
            .select_from(audit_log)
            .where(
                audit_log.c.action.in_(
                    [AuditAction.ACCESS_REFUSED.value, AuditAction.ACCESS_REFUSED_SUPPRESSED.value]
                ),
                audit_log.c.at >= _since(days * 24 * 60 * 60),
            )
        ).scalar_one()
    )
