"""Assessments and supervisor sign-off.

An assessment answers the review's four questions and records the panel's decision
(refer to the national panel, refer for local action, no further action) with its
structured reasons and a free-text rationale. Decisions recorded before the referral
decision existed (reinvestigate, safeguarding referral, refer elsewhere) still display
and export under their own labels; new versions choose among `CHOICES`.

Every submission is a new version (nothing is overwritten); a supervisor other than the
author approves the latest version or returns it with a comment, after which the
reviewer submits a new version. A signed-off case takes no further versions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, insert, select

from relook.review import drafts
from relook.review.case_state import get_state, set_state
from relook.review.errors import Conflict, InvalidInput, NotAllowed, NotFound
from relook.review.queue import CaseStatus
from relook.security import audit
from relook.security.accounts import User
from relook.security.audit import AuditAction
from relook.security.policy import may_assess, may_sign_off
from relook.security.record_digests import content_digest
from relook.store.clock import now_iso
from relook.store.tables import assessment_reasons, assessments, signoffs, users

MAX_TEXT = 20_000
_MAX_IN_LIST = 500  # beyond this, read every reason rather than bind a long IN list


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNCLEAR = "unclear"


class Decision(StrEnum):
    REFER_NATIONAL_PANEL = "refer_national_panel"
    REFER_LOCAL_ACTION = "refer_local_action"
    NO_FURTHER_ACTION = "no_further_action"
    # Earlier decisions, kept so that stored versions still read: never chosen now.
    REINVESTIGATE = "reinvestigate"
    SAFEGUARDING_REFERRAL = "safeguarding_referral"
    REFER_ELSEWHERE = "refer_elsewhere"


CHOICES = (Decision.REFER_NATIONAL_PANEL, Decision.REFER_LOCAL_ACTION, Decision.NO_FURTHER_ACTION)
"""The decisions a new version may record."""


class SignOffOutcome(StrEnum):
    APPROVED = "approved"
    RETURNED = "returned"


QUESTIONS: tuple[tuple[str, str], ...] = (
    ("enquiry", "Are there missed or new lines of enquiry?"),
    ("risk", "Is there an extant risk (a suspect still active, still with access to children)?"),
    ("safeguarding", "Is there a safeguarding requirement for a victim now?"),
    ("justice", "Is there an opportunity to bring offenders to justice?"),
)

DECISION_LABELS = {
    Decision.REFER_NATIONAL_PANEL: "Refer to the national panel",
    Decision.REFER_LOCAL_ACTION: "Refer for local action",
    Decision.NO_FURTHER_ACTION: "No further action",
    Decision.REINVESTIGATE: "Refer for reinvestigation (earlier decision)",
    Decision.SAFEGUARDING_REFERRAL: "Safeguarding referral now (earlier decision)",
    Decision.REFER_ELSEWHERE: "Refer to another force or the national team (earlier decision)",
}

DECISION_REASONS: dict[Decision, dict[str, str]] = {
    # The national operation's panel takes a case only when it meets all its criteria:
    # the reviewer confirms each against the record, not just the screening.
    Decision.REFER_NATIONAL_PANEL: {
        "two_or_more_suspects": "Two or more suspects",
        "suspects_believed_alive": "Suspects believed alive",
        "not_previously_reviewed": "Not reviewed before under an earlier review",
        "nfa_in_window": "Police or CPS no further action between 2010-01-01 and 2025-03-31",
    },
    Decision.REFER_LOCAL_ACTION: {
        "lines_of_enquiry": "Lines of enquiry for the force to pursue",
        "safeguarding": "A victim or another child needs safeguarding now",
        "extant_risk": "A suspect still presents a risk",
        "outside_national_criteria": "Needs reinvestigation, outside the national criteria",
        "other_force_or_agency": "Another force or agency holds the lead",
    },
    Decision.NO_FURTHER_ACTION: {
        "original_decision_sound": "The original decision was sound",
        "no_new_lines_of_enquiry": "No new lines of enquiry",
        "no_extant_risk": "No extant risk or safeguarding need",
        "suspects_deceased_or_dealt_with": "Suspects deceased, or already dealt with",
        "victim_declines": "The victim does not want further action",
    },
}
"""Structured reasons per decision (key: label). A national-panel referral confirms every
criterion; the other decisions give at least one reason."""

REASON_LABELS = {
    key: label for reasons in DECISION_REASONS.values() for key, label in reasons.items()
}

ANSWER_LABELS = {Answer.YES: "Yes", Answer.NO: "No", Answer.UNCLEAR: "Not yet known"}


@dataclass(frozen=True)
class AssessmentInput:
    enquiry_answer: Answer
    enquiry_notes: str
    risk_answer: Answer
    risk_notes: str
    safeguarding_answer: Answer
    safeguarding_notes: str
    justice_answer: Answer
    justice_notes: str
    decision: Decision
    rationale: str
    reasons: tuple[str, ...] = ()
    """Keys of `DECISION_REASONS[decision]`."""

    def checked(self) -> AssessmentInput:
        if self.decision not in CHOICES:
            labels = ", ".join(DECISION_LABELS[d] for d in CHOICES)
            raise InvalidInput(f"choose one of the decisions: {labels}")
        if not self.rationale.strip():
            raise InvalidInput("a decision needs a rationale")
        allowed = DECISION_REASONS[self.decision]
        unknown = sorted(set(self.reasons) - set(allowed))
        if unknown:
            raise InvalidInput(
                f"{', '.join(unknown)} is not a reason for {DECISION_LABELS[self.decision]!r}"
            )
        if self.decision is Decision.REFER_NATIONAL_PANEL and set(self.reasons) != set(allowed):
            missing = [label for key, label in allowed.items() if key not in self.reasons]
            raise InvalidInput(
                "a referral to the national panel confirms every national criterion; not"
                f" confirmed: {'; '.join(missing)} (a case that misses one is referred for"
                " local action)"
            )
        if not self.reasons:
            raise InvalidInput("give at least one reason for the decision")
        texts = (self.enquiry_notes, self.risk_notes, self.safeguarding_notes, self.justice_notes)
        if any(len(t) > MAX_TEXT for t in (*texts, self.rationale)):
            raise InvalidInput(f"each text is limited to {MAX_TEXT:,} characters")
        return self


class DecisionWords:
    """The words for a decision and its reasons, for whatever holds `decision` and
    `reasons` (an assessment version, a signed-off decision)."""

    decision: Decision
    reasons: tuple[str, ...]

    @property
    def decision_label(self) -> str:
        return DECISION_LABELS[self.decision]

    @property
    def reason_labels(self) -> tuple[str, ...]:
        return tuple(REASON_LABELS.get(r, r) for r in self.reasons)


@dataclass(frozen=True)
class SignOff:
    outcome: SignOffOutcome
    comment: str
    supervisor: str
    at: str


@dataclass(frozen=True)
class Assessment(DecisionWords):
    id: int
    case_id: str
    version: int
    author_id: int
    author: str
    at: str
    run_id: str | None
    answers: tuple[tuple[str, Answer, str], ...]
    """(question, answer, notes) for the four questions, in order."""
    decision: Decision
    rationale: str
    sign_off: SignOff | None
    reasons: tuple[str, ...] = ()
    """Structured reasons (keys of `DECISION_REASONS`); none on earlier decisions."""


_author = users.alias("author")
_supervisor = users.alias("supervisor")
_VERSIONS = select(
    assessments,
    _author.c.username.label("author"),
    signoffs.c.outcome,
    signoffs.c.comment,
    signoffs.c.at.label("signed_at"),
    _supervisor.c.username.label("supervisor"),
).select_from(
    assessments.join(_author, _author.c.id == assessments.c.author_id)
    .outerjoin(signoffs, signoffs.c.assessment_id == assessments.c.id)
    .outerjoin(_supervisor, _supervisor.c.id == signoffs.c.supervisor_id)
)
"""Every assessment version with its author and sign-off: the one query behind a case's
history and the disclosure export, so the two cannot disagree."""
_HISTORY = _VERSIONS.where(assessments.c.case_id == bindparam("case_id")).order_by(
    assessments.c.version.desc()
)
_EVERY_VERSION = _VERSIONS.order_by(assessments.c.case_id, assessments.c.version)


def history(connection: Connection, case_id: str) -> list[Assessment]:
    """Every version of the case's assessment, newest first, with its sign-off if any."""
    rows = connection.execute(_HISTORY, {"case_id": case_id}).all()
    reasons = reasons_of(connection, [row.id for row in rows])
    return [_assessment(row, reasons.get(row.id, ())) for row in rows]


def every_version(connection: Connection) -> Iterator[Assessment]:
    """Every version of every assessment, by case then version (streamed: it may be long)."""
    reasons = reasons_of(connection)
    for row in connection.execute(_EVERY_VERSION):
        yield _assessment(row, reasons.get(row.id, ()))


def reasons_of(
    connection: Connection, assessment_ids: list[int] | None = None
) -> dict[int, tuple[str, ...]]:
    """Structured reasons by assessment id (of the given ones, or of all), in given order."""
    query = select(assessment_reasons.c.assessment_id, assessment_reasons.c.reason).order_by(
        assessment_reasons.c.id
    )
    wanted = None if assessment_ids is None else set(assessment_ids)
    if wanted is not None and len(wanted) <= _MAX_IN_LIST:
        if not wanted:
            return {}
        query = query.where(assessment_reasons.c.assessment_id.in_(sorted(wanted)))
    found: dict[int, list[str]] = {}
    for assessment_id, reason in connection.execute(query):
        if wanted is None or assessment_id in wanted:
            found.setdefault(assessment_id, []).append(reason)
    return {key: tuple(values) for key, values in found.items()}


def _assessment(row: Row[Any], reasons: tuple[str, ...] = ()) -> Assessment:
    m = row._mapping
    answers = tuple(
        (question, Answer(m[f"{key}_answer"]), m[f"{key}_notes"]) for key, question in QUESTIONS
    )
    sign_off = (
        SignOff(SignOffOutcome(m["outcome"]), m["comment"], m["supervisor"], m["signed_at"])
        if m["outcome"]
        else None
    )
    return Assessment(
        id=m["id"],
        case_id=m["case_id"],
        version=m["version"],
        author_id=m["author_id"],
        author=m["author"],
        at=m["at"],
        run_id=m["run_id"],
        answers=answers,
        decision=Decision(m["decision"]),
        rationale=m["rationale"],
        sign_off=sign_off,
        reasons=reasons,
    )


def submit(
    connection: Connection, case_id: str, data: AssessmentInput, *, author: User, run_id: str
) -> int:
    """Record a new version of the case's assessment; returns its version number."""
    data = data.checked()
    state = get_state(connection, case_id)
    if not may_assess(role=author.role, user_id=author.id, assignee_id=state.assignee_id):
        raise NotAllowed("only the reviewer the case is assigned to (or a supervisor) assesses it")
    if state.status is CaseStatus.SIGNED_OFF:
        raise Conflict("this case's assessment has been signed off")
    latest = connection.execute(
        select(func.max(assessments.c.version)).where(assessments.c.case_id == case_id)
    ).scalar_one()
    version = int(latest or 0) + 1
    assessment_id = connection.execute(
        insert(assessments)
        .values(
            case_id=case_id,
            version=version,
            author_id=author.id,
            at=now_iso(),
            run_id=run_id,
            enquiry_answer=data.enquiry_answer.value,
            enquiry_notes=data.enquiry_notes,
            risk_answer=data.risk_answer.value,
            risk_notes=data.risk_notes,
            safeguarding_answer=data.safeguarding_answer.value,
            safeguarding_notes=data.safeguarding_notes,
            justice_answer=data.justice_answer.value,
            justice_notes=data.justice_notes,
            decision=data.decision.value,
            rationale=data.rationale,
        )
        .returning(assessments.c.id)
    ).scalar_one()
    ordered = [r for r in DECISION_REASONS[data.decision] if r in data.reasons]
    if ordered:
        connection.execute(
            insert(assessment_reasons),
            [{"assessment_id": assessment_id, "reason": reason} for reason in ordered],
        )
    set_state(
        connection,
        case_id,
        assignee_id=state.assignee_id,
        status=CaseStatus.AWAITING_SIGN_OFF.value,
        latest_version=version,
    )
    drafts.discard(connection, author.id, case_id)  # submitted: the draft has done its work
    audit.append(
        connection,
        author.actor,
        AuditAction.ASSESS,
        object_type="case",
        object_id=case_id,
        detail={
            "version": version,
            "decision": data.decision.value,
            "reasons": ordered,
            "run_id": run_id,
            # What `relook audit verify` compares the stored row with.
            "content": content_digest(connection, assessments, case_id, version),
        },
    )
    return version


def sign_off(
    connection: Connection,
    case_id: str,
    version: int,
    outcome: SignOffOutcome,
    comment: str,
    *,
    supervisor: User,
) -> None:
    """Approve or return the latest version (a return needs a comment)."""
    row = connection.execute(
        select(assessments.c.id, assessments.c.author_id).where(
            assessments.c.case_id == case_id, assessments.c.version == version
        )
    ).first()
    if row is None:
        raise NotFound(f"no version {version} of an assessment of {case_id}")
    if not may_sign_off(
        signer_id=supervisor.id, author_id=row.author_id, signer_role=supervisor.role
    ):
        raise NotAllowed("a supervisor signs off other people's assessments, never their own")
    latest = connection.execute(
        select(func.max(assessments.c.version)).where(assessments.c.case_id == case_id)
    ).scalar_one()
    if version != latest:
        raise Conflict(f"version {version} has been superseded by version {latest}")
    if connection.execute(select(signoffs.c.id).where(signoffs.c.assessment_id == row.id)).first():
        raise Conflict(f"version {version} has already been signed off or returned")
    if outcome is SignOffOutcome.RETURNED and not comment.strip():
        raise InvalidInput("say why the assessment is returned")
    if len(comment) > MAX_TEXT:
        raise InvalidInput(f"a comment is limited to {MAX_TEXT:,} characters")
    connection.execute(
        insert(signoffs).values(
            assessment_id=row.id,
            case_id=case_id,
            version=version,
            supervisor_id=supervisor.id,
            outcome=outcome.value,
            comment=comment,
            at=now_iso(),
        )
    )
    state = get_state(connection, case_id)
    status = CaseStatus.SIGNED_OFF if outcome is SignOffOutcome.APPROVED else CaseStatus.RETURNED
    set_state(connection, case_id, assignee_id=state.assignee_id, status=status.value)
    audit.append(
        connection,
        supervisor.actor,
        AuditAction.SIGN_OFF,
        object_type="case",
        object_id=case_id,
        detail={
            "version": version,
            "outcome": outcome.value,
            "content": content_digest(connection, signoffs, case_id, version),
        },
    )
