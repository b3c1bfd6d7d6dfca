"""The audit trail: an append-only, hash-chained log of who did what, when and why.

Data Protection Act 2018 s.62 asks for a log of consultation (every view), disclosure
(every export), alteration and combination, with the justification. Each entry stores the
previous entry's hash and its own:

    hash = sha256(prev_hash + canonical JSON of the entry's fields)

so changing, removing or inserting an entry breaks the chain from that point on, and
`verify` reports the first sequence number where it breaks. There is no code path that
updates or deletes an entry, and the database refuses to (triggers, first migration).
Removing entries from the end cannot be seen from inside the log: compare the head
(`VerifyResult.head_hash`) with a value noted earlier.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from relook.store.clock import now_iso
from relook.store.tables import audit_log

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor",
    "role",
    "action",
    "object_type",
    "object_id",
    "reason",
    "detail",
)

# Serialises appends on PostgreSQL (held until the transaction ends). On SQLite the
# write transaction's IMMEDIATE lock already does.
_PG_LOCK_KEY = 0x72656C6F6F6B  # "relook"


class AuditAction(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    ACCOUNT_LOCKED = "account_locked"
    LOGOUT = "logout"
    VIEW_CASE = "view_case"
    VIEW_PERSON = "view_person"
    EXPLAIN_MATCH = "explain_match"
    REVEAL = "reveal"
    ASSIGN = "assign"
    ASSESS = "assess"
    SIGN_OFF = "sign_off"
    JUDGEMENT = "judgement"
    EXPORT = "export"
    VIEW_AUDIT = "view_audit"
    VERIFY_AUDIT = "verify_audit"
    USER_CREATED = "user_created"
    USER_UNLOCKED = "user_unlocked"
    USER_DEACTIVATED = "user_deactivated"
    RUN_IMPORTED = "run_imported"


@dataclass(frozen=True)
class Actor:
    """Who did it: a signed-in user, or a command run on the server."""

    user_id: int | None
    name: str
    role: str | None


SYSTEM = Actor(None, "system", None)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor_id: int | None
    actor: str
    role: str | None
    action: str
    object_type: str | None
    object_id: str | None
    reason: str | None
    detail: str
    prev_hash: str
    hash: str

    @property
    def detail_items(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.detail) if self.detail else {}
        return loaded


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    body = canonical_json({name: fields[name] for name in HASHED_FIELDS})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


_LAST = select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
_INSERT = insert(audit_log)


def append(
    connection: Connection,
    actor: Actor,
    action: AuditAction,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    reason: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> int:
    """Add one entry inside the caller's write transaction (`Store.write()`), so the entry
    and the change it records commit together or not at all. Returns its sequence number."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    last = connection.execute(_LAST).first()
    seq = last.seq + 1 if last else 1
    prev_hash = last.hash if last else GENESIS_HASH
    fields: dict[str, Any] = {
        "seq": seq,
        "at": now_iso(),
        "actor_id": actor.user_id,
        "actor": actor.name,
        "role": actor.role,
        "action": str(action),
        "object_type": object_type,
        "object_id": object_id,
        "reason": reason,
        "detail": canonical_json(dict(detail or {})),
    }
    connection.execute(
        _INSERT, {**fields, "prev_hash": prev_hash, "hash": entry_hash(prev_hash, fields)}
    )
    return seq


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    first_bad_seq: int | None
    problem: str | None
    head_seq: int
    head_hash: str

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def _entries(connection: Connection) -> Iterator[AuditEntry]:
    result = connection.execution_options(stream_results=True, yield_per=2000).execute(
        select(audit_log).order_by(audit_log.c.seq)
    )
    for row in result:
        yield AuditEntry(**row._mapping)


def verify(connection: Connection) -> VerifyResult:
    """Recompute the chain; report the first entry that is missing, altered or re-linked."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for entry in _entries(connection):
        problem = None
        if entry.seq != expected_seq:
            problem = (
                f"entry {expected_seq} is missing"
                if entry.seq > expected_seq
                else f"entry {entry.seq} is out of order"
            )
            return VerifyResult(checked, expected_seq, problem, entry.seq, entry.hash)
        if entry.prev_hash != prev_hash:
            problem = f"entry {entry.seq} does not follow entry {entry.seq - 1} (prev_hash differs)"
        elif entry_hash(prev_hash, entry.__dict__) != entry.hash:
            problem = f"entry {entry.seq} was altered (its hash does not match its content)"
        if problem:
            return VerifyResult(checked, entry.seq, problem, entry.seq, entry.hash)
        checked += 1
        expected_seq += 1
        prev_hash = entry.hash
    return VerifyResult(checked, None, None, expected_seq - 1, prev_hash)


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    object_id: str | None = None
    since: str | None = None
    until: str | None = None


def search(
    connection: Connection, where: AuditFilter, *, offset: int, limit: int
) -> tuple[list[AuditEntry], int]:
    """Entries matching the filter, newest first, and how many match in all."""
    conditions = []
    if where.actor:
        conditions.append(audit_log.c.actor == where.actor)
    if where.action:
        conditions.append(audit_log.c.action == where.action)
    if where.object_id:
        conditions.append(audit_log.c.object_id == where.object_id)
    if where.since:
        conditions.append(audit_log.c.at >= where.since)
    if where.until:
        # `until` is a date: include the whole day.
        conditions.append(audit_log.c.at < where.until + "~")
    total = connection.execute(
        select(func.count()).select_from(audit_log).where(*conditions)
    ).scalar_one()
    rows = connection.execute(
        select(audit_log)
        .where(*conditions)
        .order_by(audit_log.c.seq.desc())
        .offset(offset)
        .limit(limit)
    )
    return [AuditEntry(**row._mapping) for row in rows], int(total)
