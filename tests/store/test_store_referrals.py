"""The referral decision and victim engagement in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from review_world import World, add_users, import_world
from sqlalchemy import func, insert, select

from relook.review import assessments, assignments, programme, referrals, victim_engagement
from relook.review.assessments import (
    DECISION_REASONS,
    Answer,
    AssessmentInput,
    Decision,
    SignOffOutcome,
)
from relook.review.errors import InvalidInput, NotAllowed
from relook.review.victim_engagement import EngagementStatus
from relook.security.accounts import User
from relook.security.audit import AuditAction, verify
from relook.store.engine import Store
from relook.store.tables import assessments as assessments_table
from relook.store.tables import audit_log, run_cases, run_people

NATIONAL = tuple(DECISION_REASONS[Decision.REFER_NATIONAL_PANEL])


def _input(decision: Decision, reasons: tuple[str, ...]) -> AssessmentInput:
    return AssessmentInput(
        Answer.YES, "a vehicle never checked", Answer.YES, "", Answer.NO, "", Answer.YES, "",
        decision, "the panel should see this", reasons,
    )  # fmt: skip


def _cases_with_victims(store: Store, run_id: str, n: int) -> list[str]:
    with store.read() as connection:
        return list(
            connection.execute(
                select(run_cases.c.case_id)
                .where(
                    run_cases.c.run_id == run_id,
                    run_cases.c.in_scope_wider.is_(True),
                    run_cases.c.n_victims > 0,
                )
                .order_by(run_cases.c.queue_rank)
                .limit(n)
            ).scalars()
        )


def _people(store: Store, run_id: str, case_id: str, role: str) -> list[str]:
    with store.read() as connection:
        return list(
            connection.execute(
                select(run_people.c.mention_id)
                .where(
                    run_people.c.run_id == run_id,
                    run_people.c.case_id == case_id,
                    run_people.c.role == role,
                )
                .order_by(run_people.c.mention_id)
            ).scalars()
        )


def _decide(
    store: Store, run_id: str, case_id: str, data: AssessmentInput, by: User, signer: User,
    outcome: SignOffOutcome | None = SignOffOutcome.APPROVED,
) -> None:  # fmt: skip
    with store.write() as connection:
        assessments.submit(connection, case_id, data, author=by, run_id=run_id)
        if outcome is not None:
            comment = "say more" if outcome is SignOffOutcome.RETURNED else ""
            assessments.sign_off(connection, case_id, 1, outcome, comment, supervisor=signer)


def test_signed_off_lists_approved_decisions_with_their_reasons(store: Store, world: World) -> None:
    run_id = import_world(store, world)
    users = add_users(store)
    reviewer, supervisor = users["reviewer"], users["supervisor"]
    national, local, returned, awaiting = _cases_with_victims(store, run_id, 4)
    with store.write() as connection:
        assignments.assign(connection, run_id, [national, local, returned, awaiting],
                           reviewer.id, by=supervisor)  # fmt: skip
    _decide(store, run_id, national, _input(Decision.REFER_NATIONAL_PANEL, NATIONAL[::-1]),
            reviewer, supervisor)  # fmt: skip
    _decide(store, run_id, local, _input(Decision.REFER_LOCAL_ACTION, ("safeguarding",)),
            reviewer, supervisor)  # fmt: skip
    _decide(store, run_id, returned, _input(Decision.NO_FURTHER_ACTION, ("victim_declines",)),
            reviewer, supervisor, SignOffOutcome.RETURNED)  # fmt: skip
    _decide(store, run_id, awaiting, _input(Decision.REFER_LOCAL_ACTION, ("extant_risk",)),
            reviewer, supervisor, None)  # fmt: skip
    with store.read() as connection:
        every = referrals.signed_off(connection)
        panel = referrals.signed_off(connection, Decision.REFER_NATIONAL_PANEL)
        history = assessments.history(connection, national)
        assert verify(connection, store.audit_key).ok
    assert [d.case_id for d in every] == sorted([national, local])
    assert [d.case_id for d in panel] == [national]
    referral = panel[0]
    assert referral.decision is Decision.REFER_NATIONAL_PANEL
    assert referral.decision_label == "Refer to the national panel"
    assert referral.reasons == NATIONAL  # in the form's order, whatever order was posted
    assert referral.version == 1 and referral.assessment_id == history[0].id
    assert referral.author == "reviewer" and referral.signed_off_by == "supervisor"
    assert referral.signed_off_at and referral.rationale == "the panel should see this"
    assert history[0].reasons == NATIONAL


def test_an_earlier_decision_still_reads_and_is_listed(store: Store, world: World) -> None:
    """A version stored before the referral decision (reinvestigate) keeps its label."""
    run_id = import_world(store, world)
    users = add_users(store)
    (case_id,) = _cases_with_victims(store, run_id, 1)
    answers = {f"{k}_{p}": "yes" if p == "answer" else "" for k in
               ("enquiry", "risk", "safeguarding", "justice") for p in ("answer", "notes")}  # fmt: skip
    with store.write() as connection:
        connection.execute(
            insert(assessments_table).values(
                case_id=case_id, version=1, author_id=users["reviewer"].id, at="2025-01-01",
                decision="reinvestigate", rationale="older", **answers,
            )
        )  # fmt: skip
        assessments.sign_off(connection, case_id, 1, SignOffOutcome.APPROVED, "",
                             supervisor=users["supervisor"])  # fmt: skip
    with store.read() as connection:
        (listed,) = referrals.signed_off(connection)
        (version,) = assessments.history(connection, case_id)
    assert listed.decision is Decision.REINVESTIGATE and listed.reasons == ()
    assert "earlier decision" in version.decision_label


@pytest.mark.parametrize(
    ("decision", "reasons", "message"),
    [
        (Decision.REINVESTIGATE, ("lines_of_enquiry",), "choose one of the decisions"),
        (
            Decision.REFER_NATIONAL_PANEL,
            NATIONAL[:3],
            "confirms every national criterion; not confirmed: Police or CPS no further action",
        ),
        (Decision.REFER_LOCAL_ACTION, (), "at least one reason"),
        (Decision.NO_FURTHER_ACTION, ("safeguarding",), "is not a reason for"),
    ],
)
def test_a_decision_needs_its_own_reasons(
    decision: Decision, reasons: tuple[str, ...], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        _input(decision, reasons).checked()


def _audit_count(store: Store, action: AuditAction) -> int:
    with store.read() as connection:
        query = select(func.count()).select_from(audit_log).where(audit_log.c.action == action)
        return int(connection.execute(query).scalar_one())


def test_victim_engagement_is_appended_audited_and_counted(store: Store, world: World) -> None:
    run_id = import_world(store, world)
    users = add_users(store)
    reviewer, supervisor = users["reviewer"], users["supervisor"]
    (case_id,) = _cases_with_victims(store, run_id, 1)
    victim = _people(store, run_id, case_id, "victim")[0]
    with store.write() as connection:
        assignments.assign(connection, run_id, [case_id], reviewer.id, by=supervisor)
        before = programme.engagement(connection, run_id)
        victim_engagement.record(connection, reviewer, case_id, victim,
                                 EngagementStatus.CONTACT_ATTEMPTED, "2026-10-01", "")  # fmt: skip
        entry = victim_engagement.record(
            connection, supervisor, case_id, victim, "agrees", "2026-10-08", "by phone"
        )
    assert entry.status is EngagementStatus.AGREES and entry.recorded_by == "supervisor"
    with store.read() as connection:
        history = victim_engagement.case_history(connection, case_id)
        now = victim_engagement.current_status(connection, case_id)
        after = programme.engagement(connection, run_id)
    assert [(e.status, e.happened_on, e.recorded_by) for e in history] == [
        (EngagementStatus.CONTACT_ATTEMPTED, "2026-10-01", "reviewer"),
        (EngagementStatus.AGREES, "2026-10-08", "supervisor"),
    ]
    assert history[1].note == "by phone"
    assert now == {victim: EngagementStatus.AGREES}
    assert _audit_count(store, AuditAction.VICTIM_ENGAGEMENT) == 2
    assert after.victims == before.victims > 0
    assert after.by_status[EngagementStatus.AGREES] == before.by_status[EngagementStatus.AGREES] + 1
    assert after.by_status[EngagementStatus.NOT_CONTACTED] == (
        before.by_status[EngagementStatus.NOT_CONTACTED] - 1
    )
    assert after.cases_with_agreement == before.cases_with_agreement + 1


def test_victim_engagement_refuses_what_it_should(store: Store, world: World) -> None:
    run_id = import_world(store, world)
    users = add_users(store)
    mine, other = _cases_with_victims(store, run_id, 2)
    victim = _people(store, run_id, mine, "victim")[0]
    suspects = _people(store, run_id, mine, "suspect")
    with store.write() as connection:
        assignments.assign(connection, run_id, [mine], users["reviewer"].id,
                           by=users["supervisor"])  # fmt: skip
    attempts: list[tuple[User, str, str, str, type[Exception]]] = [
        (users["reviewer"], other, victim, "2026-10-01", NotAllowed),  # not assigned to them
        (users["analyst"], mine, victim, "2026-10-01", NotAllowed),  # no need to know
        (users["reviewer"], mine, suspects[0], "2026-10-01", InvalidInput),  # not a victim
        (users["reviewer"], mine, "M-NOBODY", "2026-10-01", InvalidInput),
        (users["reviewer"], mine, victim, "2999-01-01", InvalidInput),  # in the future
        (users["reviewer"], mine, victim, "01/10/2026", InvalidInput),
    ]
    for user, case_id, mention, day, error in attempts:
        with pytest.raises(error), store.write() as connection:
            victim_engagement.record(connection, user, case_id, mention, "agrees", day, "")
    with pytest.raises(InvalidInput), store.write() as connection:
        victim_engagement.record(connection, users["reviewer"], mine, victim, "maybe",
                                 "2026-10-01", "")  # fmt: skip
    with store.read() as connection:
        assert victim_engagement.case_history(connection, mine) == []
    assert _audit_count(store, AuditAction.VICTIM_ENGAGEMENT) == 0
