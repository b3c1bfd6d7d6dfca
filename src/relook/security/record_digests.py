"""Assessments and sign-offs vouched for by the audit trail.

The database refuses UPDATE and DELETE on these tables (triggers), but whoever can drop a
trigger can change a decision afterwards. So the audit entry that records each one also
records a digest of the row as stored (`content`), and `relook.security.audit.verify`
recomputes it: a changed, removed or smuggled-in row no longer matches the sealed trail.
Rows recorded before digests existed are vouched for as they stand by one
`records_vouched` entry, written when the store is upgraded (`vouch_existing`), with the
digest of each.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select

from relook.store.tables import assessment_reasons, assessments, signoffs


@dataclass(frozen=True)
class Tracked:
    table: Table
    action: str
    """The audit action whose entry vouches for a row (its object id the case, its
    detail the version)."""
    noun: str


TRACKED = (
    Tracked(assessments, "assess", "assessment"),
    Tracked(signoffs, "sign_off", "sign-off"),
)
"""What verify checks. The actions are spelled here, not imported from the audit module,
which imports this one."""

Key = tuple[str, str, int]
"""(action, case id, version) of a vouched row."""


def digest_of(row: Mapping[Any, Any], reasons: list[str] | None = None) -> str:
    """SHA-256 of the row's canonical JSON (every column, the id too). An assessment's
    structured reasons (their own table) are part of it when it has any; a version
    without reasons digests exactly as it did before reasons existed."""
    content = dict(row)
    if reasons:
        content["reasons"] = reasons
    body = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _reasons(
    connection: Connection, table: Table, assessment_id: int | None = None
) -> dict[int, list[str]]:
    """Structured reasons by assessment id (of one, or of all), for the assessments table."""
    if table is not assessments:
        return {}
    query = select(assessment_reasons.c.assessment_id, assessment_reasons.c.reason).order_by(
        assessment_reasons.c.id
    )
    if assessment_id is not None:
        query = query.where(assessment_reasons.c.assessment_id == assessment_id)
    found: dict[int, list[str]] = {}
    for owner, reason in connection.execute(query):
        found.setdefault(owner, []).append(reason)
    return found


def content_digest(connection: Connection, table: Table, case_id: str, version: int) -> str:
    """The digest of the row as the database now holds it (read back after the insert, so
    that it is computed from exactly what verify will read)."""
    row = connection.execute(
        select(table).where(table.c.case_id == case_id, table.c.version == version)
    ).one()
    reasons = _reasons(connection, table, row.id)
    return digest_of(row._mapping, reasons.get(row.id))


def key_of(action: str, object_id: str | None, detail: Mapping[str, Any]) -> Key | None:
    """The row an audit entry vouches for, if it is one of the tracked kinds."""
    version = detail.get("version")
    if object_id is None or not isinstance(version, int):
        return None
    if not any(t.action == action for t in TRACKED):
        return None
    return (action, object_id, version)


@dataclass(frozen=True)
class RecordCheck:
    checked: int
    unvouched: int
    """Rows whose audit entry predates digests."""
    problem: str | None
    seq: int | None
    """The audit entry of the row found changed, if it has one."""


def check(connection: Connection, entries: Mapping[Key, tuple[int, str | None]]) -> RecordCheck:
    """Every tracked row against the entry that recorded it (`entries`: key → (seq,
    digest or None)); the first problem found, by table then case then version."""
    checked = unvouched = 0
    seen: set[Key] = set()
    for tracked in TRACKED:
        table = tracked.table
        reasons = _reasons(connection, table)
        rows = connection.execute(select(table).order_by(table.c.case_id, table.c.version))
        for row in rows:
            key = (tracked.action, row.case_id, row.version)
            seen.add(key)
            where = f"the {tracked.noun} of case {row.case_id}, version {row.version}"
            if key not in entries:
                return RecordCheck(checked, unvouched, f"{where} has no audit entry", None)
            seq, digest = entries[key]
            if digest is None:
                unvouched += 1
            elif digest != digest_of(row._mapping, reasons.get(row.id)):
                problem = f"{where} was changed after audit entry {seq} recorded it"
                return RecordCheck(checked, unvouched, problem, seq)
            checked += 1
    gone = sorted((k, v) for k, v in entries.items() if v[1] is not None and k not in seen)
    if gone:
        (action, case_id, version), (seq, _digest) = gone[0]
        noun = next(t.noun for t in TRACKED if t.action == action)
        problem = f"the {noun} of case {case_id}, version {version} (audit entry {seq}) is gone"
        return RecordCheck(checked, unvouched, problem, seq)
    return RecordCheck(checked, unvouched, None, None)


def existing_digests(connection: Connection) -> dict[str, str]:
    """Every tracked row as `action:case:version` → digest (for `records_vouched`)."""
    found = {}
    for tracked in TRACKED:
        table = tracked.table
        reasons = _reasons(connection, table)
        for row in connection.execute(select(table).order_by(table.c.case_id, table.c.version)):
            key = f"{tracked.action}:{row.case_id}:{row.version}"
            found[key] = digest_of(row._mapping, reasons.get(row.id))
    return found


def vouched_keys(detail: Mapping[str, Any]) -> dict[Key, str]:
    """The rows a `records_vouched` entry's detail lists, with their digests."""
    rows = detail.get("rows")
    vouched: dict[Key, str] = {}
    for name, digest in rows.items() if isinstance(rows, dict) else ():
        action, _sep, rest = str(name).partition(":")
        case_id, _sep, version = rest.rpartition(":")
        if version.isdigit() and isinstance(digest, str):
            vouched[(action, case_id, int(version))] = digest
    return vouched
