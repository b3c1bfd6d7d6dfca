"""Signed-off decisions: what the referral pack and the national panel receive.

A case's decision stands once a supervisor approves its latest assessment version (a
signed-off case takes no further versions). `signed_off` lists those decisions with
everything a referral needs to say who decided what, why, and who agreed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from relook.review.assessments import Decision, DecisionWords, SignOffOutcome, reasons_of
from relook.store.tables import assessments, signoffs, users


@dataclass(frozen=True)
class SignedOffDecision(DecisionWords):
    case_id: str
    assessment_id: int
    version: int
    decision: Decision
    reasons: tuple[str, ...]
    """Structured reasons (keys of `assessments.DECISION_REASONS`), in the form's order."""
    rationale: str
    author: str
    signed_off_by: str
    signed_off_at: str


_author = users.alias("author")
_supervisor = users.alias("supervisor")
_latest = (
    select(assessments.c.case_id, func.max(assessments.c.version).label("version"))
    .group_by(assessments.c.case_id)
    .subquery("latest")
)


def signed_off(connection: Connection, decision: Decision | None = None) -> list[SignedOffDecision]:
    """Every case whose latest assessment version a supervisor approved (optionally only
    those with `decision`), by case id."""
    query = (
        select(
            assessments.c.id,
            assessments.c.case_id,
            assessments.c.version,
            assessments.c.decision,
            assessments.c.rationale,
            _author.c.username.label("author"),
            _supervisor.c.username.label("supervisor"),
            signoffs.c.at.label("signed_at"),
        )
        .select_from(
            assessments.join(
                _latest,
                (_latest.c.case_id == assessments.c.case_id)
                & (_latest.c.version == assessments.c.version),
            )
            .join(signoffs, signoffs.c.assessment_id == assessments.c.id)
            .join(_author, _author.c.id == assessments.c.author_id)
            .join(_supervisor, _supervisor.c.id == signoffs.c.supervisor_id)
        )
        .where(signoffs.c.outcome == SignOffOutcome.APPROVED.value)
        .order_by(assessments.c.case_id)
    )
    if decision is not None:
        query = query.where(assessments.c.decision == decision.value)
    rows = connection.execute(query).all()
    reasons = reasons_of(connection, [row.id for row in rows])
    return [
        SignedOffDecision(
            case_id=row.case_id,
            assessment_id=row.id,
            version=row.version,
            decision=Decision(row.decision),
            reasons=reasons.get(row.id, ()),
            rationale=row.rationale,
            author=row.author,
            signed_off_by=row.supervisor,
            signed_off_at=row.signed_at,
        )
        for row in rows
    ]
