"""The audit trail: an append-only, hash-chained, sealed log of who did what, when, why.

Data Protection Act 2018 s.62 asks for a log of consultation (every view), disclosure
(every export), alteration and combination, with the justification. Each entry stores the
previous entry's hash and its own:

    hash = sha256(prev_hash + canonical JSON of the entry's fields)

so changing, removing or inserting an entry breaks the chain from that point on, and
`verify` reports the first sequence number where it breaks. There is no code path that
updates or deletes an entry, and the database refuses to (triggers, first migration).

A chain alone cannot show that entries were cut from its end, nor that someone with
write access to the database recomputed every hash after a change. So the newest entry
is also **sealed**: `audit_seal` holds its sequence number and hash with an HMAC under
the audit key, which lives outside the database (`relook.security.keys`). Every append
checks the seal it is about to replace; if the trail no longer ends where the seal says,
it first records a `seal_broken` entry saying what was sealed and what was found, so
the break stays in the trail for good. `verify` checks the chain, reports any recorded
break, and checks the current seal. What no seal can show is a database put back to an
earlier copy of itself, seal included: for that, note the head (`VerifyResult.head_seq`
and `head_hash`) somewhere else and pass it to `verify` later (`expect`).
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from dataclasses import astuple, dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, select, text, update

from relook.errors import RelookError
from relook.security import record_digests
from relook.store.clock import now_iso
from relook.store.engine import Store, audit_key_of, open_store
from relook.store.migrate import AUDIT_SEAL_REVISION, RECORD_DIGESTS_REVISION
from relook.store.tables import audit_log, audit_seal

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
    USER_REACTIVATED = "user_reactivated"
    PASSWORD_CHANGED = "password_changed"
    ADDRESS_BLOCKED = "address_blocked"
    ACCESS_REFUSED = "access_refused"
    ACCESS_REFUSED_SUPPRESSED = "access_refused_suppressed"
    RUN_IMPORTED = "run_imported"
    SEARCH = "search"
    DRAFT_SAVED = "draft_saved"
    VICTIM_ENGAGEMENT = "victim_engagement"
    PROGRAMME_SETTINGS = "programme_settings"
    TRAIL_SEALED = "trail_sealed"
    RECORDS_VOUCHED = "records_vouched"
    SEAL_BROKEN = "seal_broken"


@dataclass(frozen=True)
class Actor:
    """Who did it: a signed-in user, or a command run on the server."""

    user_id: int | None
    name: str
    role: str | None


SYSTEM = Actor(None, "system", None)


def operating_system_user() -> str:
    """Who runs a command on the server, as the operating system names them (the command
    line has no relook sign-in)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


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


class AuditKeyMissing(RelookError):
    """An audit entry was about to be written without the audit key."""


def seal_mac(key: bytes, seq: int, entry_hash_: str) -> str:
    return hmac.new(key, f"relook-audit-seal:{seq}:{entry_hash_}".encode(), "sha256").hexdigest()


@dataclass(frozen=True)
class _Head:
    """The newest entry (`seq` 0 and the genesis hash for an empty trail)."""

    seq: int
    hash: str


_EMPTY = _Head(0, GENESIS_HASH)
_LAST = select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
_SEAL = select(audit_seal.c.head_seq, audit_seal.c.head_hash, audit_seal.c.mac).where(
    audit_seal.c.id == 1
)
_INSERT = insert(audit_log)


def _head(connection: Connection) -> _Head:
    row = connection.execute(_LAST).first()
    return _Head(row.seq, row.hash) if row else _EMPTY


@dataclass(frozen=True)
class _SealBreak:
    first_bad_seq: int
    problem: str


def _seal_break(key: bytes, head: _Head, seal: Row[Any, Any, Any] | None) -> _SealBreak | None:
    """Why the seal does not vouch for `head` as the trail's newest entry, if it does not."""
    if seal is None:
        return None if head == _EMPTY else _SealBreak(head.seq + 1, "the seal is missing")
    if not hmac.compare_digest(seal.mac, seal_mac(key, seal.head_seq, seal.head_hash)):
        problem = "the seal does not match the audit key (altered, or the key was changed)"
        return _SealBreak(head.seq + 1, problem)
    if seal.head_seq > head.seq:
        missing = (
            f"entries {head.seq + 1} to {seal.head_seq} are"
            if head.seq + 1 < seal.head_seq
            else f"entry {seal.head_seq} is"
        )
        return _SealBreak(head.seq + 1, f"{missing} missing from the end")
    if seal.head_seq < head.seq:
        problem = f"entries after {seal.head_seq} were written without the audit key"
        return _SealBreak(seal.head_seq + 1, problem)
    if seal.head_hash != head.hash:
        return _SealBreak(head.seq, f"entry {head.seq} is not the entry that was sealed")
    return None


def _write_seal(connection: Connection, key: bytes, head: _Head) -> None:
    values = {"head_seq": head.seq, "head_hash": head.hash, "mac": seal_mac(key, *astuple(head))}
    if connection.execute(update(audit_seal).where(audit_seal.c.id == 1), values).rowcount == 0:
        connection.execute(insert(audit_seal), {"id": 1, **values})


def _insert_entry(
    connection: Connection,
    head: _Head,
    actor: Actor,
    action: AuditAction,
    object_type: str | None,
    object_id: str | None,
    reason: str | None,
    detail: Mapping[str, Any] | None,
) -> _Head:
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
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
    new_hash = entry_hash(head.hash, fields)
    connection.execute(_INSERT, {**fields, "prev_hash": head.hash, "hash": new_hash})
    return _Head(head.seq + 1, new_hash)


def _writing_key(connection: Connection) -> bytes:
    key = audit_key_of(connection)
    if key is None:
        raise AuditKeyMissing(
            "audit entries are written only inside Store.write() of a store opened with the"
            " audit key (Workspace.store(), or open_audited_store(..., audit_key=...))"
        )
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    return key


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
    and the change it records commit together or not at all, and seal it as the newest.
    Returns its sequence number."""
    key = _writing_key(connection)
    head = _head(connection)
    seal = connection.execute(_SEAL).first()
    broken = _seal_break(key, head, seal)
    if broken is not None:
        # Record the break before anything else, in the chain itself: the next seal
        # would otherwise vouch for whatever the trail had become.
        head = _insert_entry(
            connection, head, SYSTEM, AuditAction.SEAL_BROKEN, "audit", None, None,
            {
                "problem": broken.problem,
                "found_seq": head.seq,
                "found_hash": head.hash,
                "sealed_seq": seal.head_seq if seal else None,
                "sealed_hash": seal.head_hash if seal else None,
            },
        )  # fmt: skip
    head = _insert_entry(connection, head, actor, action, object_type, object_id, reason, detail)
    _write_seal(connection, key, head)
    return head.seq


def seal_existing_trail(connection: Connection) -> None:
    """Seal a trail written before seals existed, as it stands (once, on the upgrade that
    adds them); the entry it appends says from which entry on the seal vouches."""
    key = _writing_key(connection)
    head = _head(connection)
    if head == _EMPTY or connection.execute(_SEAL).first() is not None:
        return
    sealed = _insert_entry(connection, head, SYSTEM, AuditAction.TRAIL_SEALED, "audit", None,
                           None, {"sealed_from": head.seq})  # fmt: skip
    _write_seal(connection, key, sealed)


def open_audited_store(
    url_or_engine: str | Engine, *, audit_key: bytes | None, migrate: bool = True
) -> Store:
    """`open_store` for a store that takes audit entries: a trail older than its seal has
    its head sealed, once, by the upgrade that adds seals."""
    store = open_store(url_or_engine, audit_key=audit_key, migrate=migrate)
    if audit_key is not None and AUDIT_SEAL_REVISION in store.migrations_applied:
        with store.write() as connection:
            seal_existing_trail(connection)
    if audit_key is not None and RECORD_DIGESTS_REVISION in store.migrations_applied:
        with store.write() as connection:
            vouch_existing_records(connection)
    return store


def vouch_existing_records(connection: Connection) -> None:
    """Record digests of the assessments and sign-offs written before their entries
    carried them (once, on the upgrade that adds them), so that verify checks those too."""
    rows = record_digests.existing_digests(connection)
    if rows:
        append(connection, SYSTEM, AuditAction.RECORDS_VOUCHED, object_type="audit",
               detail={"rows": rows})  # fmt: skip


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    first_bad_seq: int | None
    problem: str | None
    head_seq: int
    head_hash: str
    sealed: bool = False
    """The current seal vouches for the head (needs the audit key)."""
    records_checked: int = 0
    """Assessments and sign-offs compared with the digest their audit entry recorded."""
    records_unvouched: int = 0
    """Assessments and sign-offs recorded before entries carried digests."""
    records_problem: str | None = None
    """The first assessment or sign-off changed, removed or added behind relook's back."""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None and self.records_problem is None


def _entries(connection: Connection) -> Iterator[AuditEntry]:
    result = connection.execution_options(stream_results=True, yield_per=2000).execute(
        select(audit_log).order_by(audit_log.c.seq)
    )
    for row in result:
        yield AuditEntry(**row._mapping)


def _chain_problem(entry: AuditEntry, expected_seq: int, prev_hash: str) -> str | None:
    if entry.seq != expected_seq:
        return (
            f"entry {expected_seq} is missing"
            if entry.seq > expected_seq
            else f"entry {entry.seq} is out of order"
        )
    if entry.prev_hash != prev_hash:
        return f"entry {entry.seq} does not follow entry {entry.seq - 1} (prev_hash differs)"
    if entry_hash(prev_hash, entry.__dict__) != entry.hash:
        return f"entry {entry.seq} was altered (its hash does not match its content)"
    if entry.action == AuditAction.SEAL_BROKEN:
        found = entry.detail_items
        return (
            f"entry {entry.seq} records that the trail did not match its seal when it was"
            f" next written: {found.get('problem')}"
        )
    return None


def verify(
    connection: Connection, key: bytes | None, *, expect: tuple[int, str] | None = None
) -> VerifyResult:
    """Recompute the chain and report the first entry that is missing, altered, re-linked
    or recorded as a broken seal; then check the seal (with `key`) and, with `expect`,
    that the entry noted earlier as the head (sequence number, hash) is still there.
    Pass a connection from `Store.snapshot()`: the chain and the seal must be read as
    of one moment, or an entry appended in between would look like tampering."""
    head = _EMPTY
    checked = 0
    vouched: dict[record_digests.Key, tuple[int, str | None]] = {}
    for entry in _entries(connection):
        problem = _chain_problem(entry, head.seq + 1, head.hash)
        if problem:
            return VerifyResult(checked, head.seq + 1, problem, entry.seq, entry.hash)
        checked += 1
        head = _Head(entry.seq, entry.hash)
        _note_vouched(entry, vouched)
        if expect is not None and entry.seq == expect[0] and entry.hash != expect[1]:
            problem = f"entry {entry.seq} is not the entry noted earlier (its hash differs)"
            return VerifyResult(checked - 1, entry.seq, problem, entry.seq, entry.hash)
    if expect is not None and expect[0] > head.seq:
        problem = f"entry {expect[0]}, noted earlier, is missing (the trail ends at {head.seq})"
        return VerifyResult(checked, head.seq + 1, problem, head.seq, head.hash)
    records = record_digests.check(connection, vouched)
    result = VerifyResult(
        checked, None, None, head.seq, head.hash,
        records_checked=records.checked,
        records_unvouched=records.unvouched,
        records_problem=records.problem,
    )  # fmt: skip
    if key is None:
        return result
    broken = _seal_break(key, head, connection.execute(_SEAL).first())
    if broken:
        return replace(result, first_bad_seq=broken.first_bad_seq, problem=broken.problem)
    return replace(result, sealed=head != _EMPTY)


def _note_vouched(
    entry: AuditEntry, vouched: dict[record_digests.Key, tuple[int, str | None]]
) -> None:
    """Remember which assessment or sign-off the entry recorded, with its digest."""
    if entry.action == AuditAction.RECORDS_VOUCHED:
        for listed, digest in record_digests.vouched_keys(entry.detail_items).items():
            vouched[listed] = (entry.seq, digest)
        return
    if entry.action not in (AuditAction.ASSESS, AuditAction.SIGN_OFF):
        return
    detail = entry.detail_items
    key = record_digests.key_of(entry.action, entry.object_id, detail)
    if key is not None:
        content = detail.get("content")
        vouched[key] = (entry.seq, content if isinstance(content, str) else None)


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
        # Part of a name, any case: an auditor looking for "smith" finds "j.smith".
        conditions.append(
            func.lower(audit_log.c.actor).contains(where.actor.strip().lower(), autoescape=True)
        )
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
