"""Analysts' must-link / cannot-link judgements about two records, kept in the store.

Append-only (the table refuses UPDATE and DELETE); the resolver reads them in the order
they were made and lets the later one win for the same pair, so a mistaken judgement is
corrected by a new one, never by editing. Every judgement is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, insert, or_, select

from relook.pipeline.resolve import Judgement, JudgementKind
from relook.review.errors import InvalidInput
from relook.security import audit
from relook.security.audit import Actor, AuditAction
from relook.store.clock import now_iso
from relook.store.tables import judgements

MAX_REASON = 2_000


@dataclass(frozen=True)
class JudgementRecord:
    id: int
    record_a: str
    record_b: str
    kind: JudgementKind
    by: str
    reason: str
    at: str


def _kind(value: str) -> JudgementKind:
    try:
        return JudgementKind(value)
    except ValueError:
        raise InvalidInput(f"judgement kind must be one of {', '.join(JudgementKind)}") from None


def record(
    connection: Connection,
    record_a: str,
    record_b: str,
    kind: str,
    *,
    by: Actor,
    reason: str,
    context: str | None = None,
) -> Judgement:
    """Append one judgement (inside a write transaction) and audit it."""
    record_a, record_b = record_a.strip(), record_b.strip()
    judgement_kind = _kind(kind)
    if not reason.strip():
        raise InvalidInput("a judgement needs a reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"a reason is limited to {MAX_REASON:,} characters")
    try:
        judgement = Judgement(record_a, record_b, judgement_kind)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    connection.execute(
        insert(judgements).values(
            record_a=record_a,
            record_b=record_b,
            kind=judgement.kind.value,
            by_name=by.name,
            user_id=by.user_id,
            reason=reason,
            at=now_iso(),
        )
    )
    audit.append(
        connection,
        by,
        AuditAction.JUDGEMENT,
        object_type="records",
        object_id=f"{record_a}+{record_b}",
        reason=reason,
        detail={"kind": judgement.kind.value, **({"person": context} if context else {})},
    )
    return judgement


def all_judgements(connection: Connection) -> list[Judgement]:
    """Every judgement in the order made (what the next run's resolver honours)."""
    rows = connection.execute(
        select(judgements.c.record_a, judgements.c.record_b, judgements.c.kind).order_by(
            judgements.c.id
        )
    )
    return [Judgement(r.record_a, r.record_b, JudgementKind(r.kind)) for r in rows]


def about_records(connection: Connection, record_ids: Iterable[str]) -> list[JudgementRecord]:
    ids = sorted(set(record_ids))
    if not ids:
        return []
    rows = connection.execute(
        select(judgements)
        .where(or_(judgements.c.record_a.in_(ids), judgements.c.record_b.in_(ids)))
        .order_by(judgements.c.id.desc())
    )
    return [
        JudgementRecord(
            r.id, r.record_a, r.record_b, JudgementKind(r.kind), r.by_name, r.reason, r.at
        )
        for r in rows
    ]
