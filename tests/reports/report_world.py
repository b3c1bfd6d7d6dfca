"""A store holding the session's run and one account per role, with what the report
tests need from it: a case with a named victim, referrals signed off, the audit trail."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from sqlalchemy import func, select

from relook.review import assessments, assignments
from relook.review.assessments import (
    DECISION_REASONS,
    Answer,
    AssessmentInput,
    Decision,
    SignOffOutcome,
)
from relook.security.accounts import User
from relook.security.audit import AuditEntry
from relook.store.engine import Store
from relook.store.tables import audit_log, run_cases, run_people


@dataclass(frozen=True)
class Victim:
    case_id: str
    name: str
    """Forenames and surname as recorded."""
    mention_id: str


def pdf_text(content: bytes) -> str:
    """Every page's text, whitespace collapsed (a name may wrap in a table cell)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def decision_input(
    decision: Decision, rationale: str = "the panel's criteria are met"
) -> AssessmentInput:
    return AssessmentInput(
        Answer.YES, "new lines of enquiry", Answer.YES, "suspects active", Answer.NO, "",
        Answer.YES, "evidence can be gathered", decision, rationale,
        tuple(DECISION_REASONS[decision])[:None if decision is Decision.REFER_NATIONAL_PANEL else 1],
    )  # fmt: skip


@dataclass
class ReportWorld:
    store: Store
    run_id: str
    users: dict[str, User]

    def named_victim(self, *, in_network: bool = True) -> Victim:
        """A victim with a recorded name, on an in-scope case, whose names no suspect of
        the case shares (so the names appear only where the victim does)."""
        with self.store.read() as connection:
            query = (
                select(
                    run_people.c.case_id,
                    run_people.c.forenames,
                    run_people.c.surname,
                    run_people.c.mention_id,
                )
                .join(
                    run_cases,
                    (run_cases.c.run_id == run_people.c.run_id)
                    & (run_cases.c.case_id == run_people.c.case_id),
                )
                .where(
                    run_people.c.run_id == self.run_id,
                    run_people.c.role == "victim",
                    run_people.c.forenames.is_not(None),
                    run_people.c.surname.is_not(None),
                    run_cases.c.in_scope_wider.is_(True),
                )
                .order_by(run_cases.c.queue_rank)
            )
            if in_network:
                query = query.where(run_cases.c.network_id.is_not(None))
            for row in connection.execute(query):
                others = connection.execute(
                    select(run_people.c.forenames, run_people.c.surname).where(
                        run_people.c.run_id == self.run_id,
                        run_people.c.case_id == row.case_id,
                        run_people.c.role != "victim",
                    )
                ).all()
                words = {w.casefold() for o in others for w in f"{o[0] or ''} {o[1] or ''}".split()}
                if row.surname.casefold() not in words and row.forenames.casefold() not in words:
                    return Victim(row.case_id, f"{row.forenames} {row.surname}", row.mention_id)
        raise AssertionError("no suitable victim in the world")

    def case_ids(self, count: int) -> list[str]:
        with self.store.read() as connection:
            return list(
                connection.execute(
                    select(run_cases.c.case_id)
                    .where(run_cases.c.run_id == self.run_id, run_cases.c.in_scope_wider.is_(True))
                    .order_by(run_cases.c.queue_rank)
                    .limit(count)
                ).scalars()
            )

    def network_neighbour(self, case_id: str) -> str:
        """Another in-scope case of the case's network."""
        with self.store.read() as connection:
            network_id = connection.execute(
                select(run_cases.c.network_id).where(
                    run_cases.c.run_id == self.run_id, run_cases.c.case_id == case_id
                )
            ).scalar_one()
            return str(
                connection.execute(
                    select(run_cases.c.case_id)
                    .where(
                        run_cases.c.run_id == self.run_id,
                        run_cases.c.network_id == network_id,
                        run_cases.c.case_id != case_id,
                        run_cases.c.in_scope_wider.is_(True),
                    )
                    .order_by(run_cases.c.case_id)
                    .limit(1)
                ).scalar_one()
            )

    def assign(self, case_id: str, username: str) -> None:
        with self.store.write() as connection:
            assignments.assign(
                connection, self.run_id, [case_id], self.users[username].id,
                by=self.users["supervisor"],
            )  # fmt: skip

    def decide(self, case_id: str, decision: Decision, outcome: SignOffOutcome | None) -> None:
        """Version 1 of the case's assessment by supervisor2, signed off by supervisor."""
        with self.store.write() as connection:
            assessments.submit(
                connection, case_id, decision_input(decision),
                author=self.users["supervisor2"], run_id=self.run_id,
            )  # fmt: skip
            if outcome is not None:
                comment = "" if outcome is SignOffOutcome.APPROVED else "add the victim's view"
                assessments.sign_off(
                    connection, case_id, 1, outcome, comment, supervisor=self.users["supervisor"]
                )

    def audit_entries(self, action: str) -> list[AuditEntry]:
        with self.store.read() as connection:
            rows = connection.execute(
                select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.seq)
            )
            return [AuditEntry(**row._mapping) for row in rows]

    def audit_count(self) -> int:
        with self.store.read() as connection:
            return int(connection.execute(select(func.count()).select_from(audit_log)).scalar_one())
