"""Rules written once: who may open a case, the judgement kinds, an assessment's history.

Each was once written in two or more places that could drift apart; these tests hold the
places that remain to the one definition.
"""

from __future__ import annotations

import csv
import io
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from pydantic import ValidationError
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))

from review_world import (
    BACKENDS,
    World,
    add_users,
    cheap_password_hashing,
    fresh_store,
    import_world,
    world_for_session,
)

from relook.errors import RelookError
from relook.pipeline.resolution.judgements import JUDGEMENTS_TABLE, register_judgements
from relook.pipeline.resolve import Judgement, JudgementKind
from relook.review import access, assessments, assignments, export, judgements
from relook.review.assessments import Answer, AssessmentInput, Decision, SignOffOutcome
from relook.review.errors import InvalidInput
from relook.security.accounts import User
from relook.security.audit import SYSTEM
from relook.security.policy import Role, case_access_needs_assignments, may_open_case
from relook.store.engine import Store
from relook.store.tables import run_cases
from relook.web.routes.persons import JudgementForm
from relook.workspace import Workspace


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with fresh_store(request.param, tmp_path) as fresh:
        yield fresh


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return world_for_session(tmp_path_factory)


@pytest.fixture(autouse=True, scope="module")
def _cheap_password_hashing() -> Iterator[None]:
    with cheap_password_hashing():
        yield


# --- Who may open a case --------------------------------------------------------------

ASSIGNED, SAME_NETWORK, OTHER_NETWORK, NO_NETWORK = (
    "assigned", "in the assigned case's network", "in another network", "in no network",
)  # fmt: skip
SITUATIONS = (ASSIGNED, SAME_NETWORK, OTHER_NETWORK, NO_NETWORK)

# What need to know means, written out as the review's policy states it (not derived
# from the code under test): a reviewer opens the case they hold and its network.
EXPECTED = {
    "reviewer": {ASSIGNED: True, SAME_NETWORK: True, OTHER_NETWORK: False, NO_NETWORK: False},
    "idle_reviewer": dict.fromkeys(SITUATIONS, False),
    "supervisor": dict.fromkeys(SITUATIONS, True),
    "analyst": dict.fromkeys(SITUATIONS, True),
    "auditor": dict.fromkeys(SITUATIONS, False),
    "admin": dict.fromkeys(SITUATIONS, False),
}
USERS = {
    "reviewer": Role.REVIEWER,
    "idle_reviewer": Role.REVIEWER,
    "supervisor": Role.SUPERVISOR,
    "analyst": Role.ANALYST,
    "auditor": Role.AUDITOR,
    "admin": Role.ADMIN,
}


@pytest.mark.parametrize(
    ("role", "assigned", "linked"),
    list(itertools.product(Role, (False, True), (False, True))),
)
def test_reach_answers_as_the_policy_for_every_role_and_fact(
    role: Role, assigned: bool, linked: bool
) -> None:
    reach = access.Reach(
        role,
        frozenset({"C1"} if assigned else ()),
        frozenset({"N1"} if linked else ()),
    )
    expected = may_open_case(role=role, assigned_to_user=assigned, linked_to_assigned=linked)
    assert reach.may_open("C1", "N1") is expected
    # a case in no network is never linked to anything
    assert reach.may_open("C1", None) is may_open_case(
        role=role, assigned_to_user=assigned, linked_to_assigned=False
    )


def test_only_roles_limited_to_their_own_cases_need_the_assignments() -> None:
    assert {r for r in Role if case_access_needs_assignments(r)} == {Role.REVIEWER}
    assert not case_access_needs_assignments("chief constable")


def _situation_cases(store: Store, run_id: str) -> dict[str, tuple[str, str | None]]:
    """One case of each situation, as (case_id, network_id); the first is the one to assign."""
    with store.read() as connection:
        rows = list(
            connection.execute(
                select(run_cases.c.case_id, run_cases.c.network_id)
                .where(run_cases.c.run_id == run_id)
                .order_by(run_cases.c.case_id)
            )
        )
    by_network: dict[str | None, list[str]] = {}
    for row in rows:
        by_network.setdefault(row.network_id, []).append(row.case_id)
    shared = next(n for n, cases in by_network.items() if n and len(cases) >= 2)
    other = next(n for n in by_network if n and n != shared)
    return {
        ASSIGNED: (by_network[shared][0], shared),
        SAME_NETWORK: (by_network[shared][1], shared),
        OTHER_NETWORK: (by_network[other][0], other),
        NO_NETWORK: (by_network[None][0], None),
    }


def test_reach_and_the_policy_agree_on_every_role_and_situation(store: Store, world: World) -> None:
    run_id = import_world(store, world)
    users = add_users(store, USERS)
    cases = _situation_cases(store, run_id)
    with store.write() as connection:
        assignments.assign(
            connection, run_id, [cases[ASSIGNED][0]], users["reviewer"].id, by=users["supervisor"]
        )
    with store.read() as connection:
        for name, user in users.items():
            reach = access.reach(connection, run_id, user)
            for situation, (case_id, network_id) in cases.items():
                held = name == "reviewer"
                policy = may_open_case(
                    role=user.role,
                    assigned_to_user=held and situation == ASSIGNED,
                    linked_to_assigned=held and situation in (ASSIGNED, SAME_NETWORK),
                )
                answers = {
                    "expected": EXPECTED[name][situation],
                    "policy": policy,
                    "reach": reach.may_open(case_id, network_id),
                    "case id": access.may_open_case_id(
                        connection, run_id, user, case_id, network_id
                    ),
                }
                assert set(answers.values()) == {EXPECTED[name][situation]}, (
                    name, situation, answers,
                )  # fmt: skip


# --- Judgement kinds -------------------------------------------------------------------


def test_the_kinds_are_the_stored_values() -> None:
    assert [k.value for k in JudgementKind] == ["must_link", "cannot_link"]
    # a plain value (a legacy file, an untyped caller) becomes the member
    plain: str = "cannot_link"
    assert Judgement("a", "b", plain).kind is JudgementKind.CANNOT_LINK  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown judgement kind 'maybe'"):
        Judgement("a", "b", "maybe")  # type: ignore[arg-type]


def test_the_kinds_round_trip_through_the_store(store: Store) -> None:
    with store.write() as connection:
        for a, b, kind in (("M1", "M2", "must_link"), ("M2", "M3", JudgementKind.CANNOT_LINK)):
            judgements.record(connection, a, b, kind, by=SYSTEM, reason="checked on PNC")
    with store.read() as connection:
        made = judgements.all_judgements(connection)
        about = judgements.about_records(connection, ["M2"])
    assert [j.kind for j in made] == [JudgementKind.MUST_LINK, JudgementKind.CANNOT_LINK]
    assert all(type(j.kind) is JudgementKind for j in made)
    assert [(r.record_a, r.kind) for r in about] == [
        ("M2", JudgementKind.CANNOT_LINK),
        ("M1", JudgementKind.MUST_LINK),
    ]
    assert all(type(r.kind) is JudgementKind for r in about)


def test_every_entry_point_refuses_an_unknown_kind(store: Store, tmp_path: Path) -> None:
    listed = "must_link, cannot_link"
    with store.write() as connection, pytest.raises(InvalidInput, match=listed):
        judgements.record(connection, "M1", "M2", "maybe", by=SYSTEM, reason="a reason")
    with pytest.raises(RelookError, match=listed):
        Workspace(tmp_path).record_judgement("M1", "M2", "maybe", by="x", reason="r")
    form = {"record_a": "M1", "record_b": "M2", "reason": "a reason"}
    with pytest.raises(ValidationError):
        JudgementForm.model_validate({**form, "kind": "maybe"})
    for kind in JudgementKind:
        assert JudgementForm.model_validate({**form, "kind": kind.value}).kind is kind


def test_the_resolver_reads_the_kinds_as_their_values() -> None:
    plain: str = "cannot_link"
    made = [
        Judgement("M1", "M2", JudgementKind.MUST_LINK),
        Judgement("M3", "M4", plain),  # type: ignore[arg-type]
    ]
    con = duckdb.connect()
    try:
        register_judgements(con, made)
        rows = con.execute(
            f"SELECT record_id_l, kind FROM {JUDGEMENTS_TABLE} ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("M1", "must_link"), ("M3", "cannot_link")]


# --- An assessment's history ------------------------------------------------------------


def _input(rationale: str, answer: Answer = Answer.YES) -> AssessmentInput:
    return AssessmentInput(
        answer, "=HYPERLINK(notes)", Answer.NO, "", Answer.UNCLEAR, "to ask", answer, "",
        Decision.REFER_LOCAL_ACTION, rationale, ("lines_of_enquiry", "safeguarding"),
    )  # fmt: skip


def _assess_two_cases(store: Store, author: User, signer: User) -> None:
    """C1: returned, then approved; C2: one version awaiting sign-off."""
    with store.write() as connection:
        assessments.submit(connection, "C1", _input("first look"), author=author, run_id="R1")
        assessments.sign_off(
            connection, "C1", 1, SignOffOutcome.RETURNED, "-say more", supervisor=signer
        )
        assessments.submit(
            connection, "C1", _input("second", Answer.NO), author=author, run_id="R1"
        )
        assessments.sign_off(connection, "C1", 2, SignOffOutcome.APPROVED, "", supervisor=signer)
        assessments.submit(connection, "C2", _input("+only one"), author=signer, run_id="R2")


def _expected_row(a: assessments.Assessment) -> list[str]:
    signed = a.sign_off
    values = [
        a.case_id, str(a.version), a.at, a.author,
        *[v for _, answer, notes in a.answers for v in (answer.value, notes)],
        a.decision.value, ";".join(a.reasons), a.rationale, a.run_id or "",
        signed.outcome.value if signed else "", signed.supervisor if signed else "",
        signed.at if signed else "", signed.comment if signed else "",
        "0", "0", "0",  # no lead marked raised, not relevant or resulted
    ]  # fmt: skip
    return [export.safe_cell(v) for v in values]


def test_the_export_holds_every_case_history_and_nothing_else(store: Store) -> None:
    users = add_users(store, {"sup_a": Role.SUPERVISOR, "sup_b": Role.SUPERVISOR})
    _assess_two_cases(store, users["sup_a"], users["sup_b"])
    with store.read() as connection:
        text, count = export.assessments_csv(connection)
        histories = {c: assessments.history(connection, c) for c in ("C1", "C2")}
        streamed = list(assessments.every_version(connection))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(export.COLUMNS)
    # the export runs oldest first, a case's history newest first
    in_order = [*reversed(histories["C1"]), *reversed(histories["C2"])]
    assert streamed == in_order
    assert rows[1:] == [_expected_row(a) for a in in_order]
    assert count == len(in_order) == 3
    assert [h.version for h in histories["C1"]] == [2, 1]
    assert histories["C1"][1].sign_off is not None
    assert histories["C1"][1].sign_off.outcome is SignOffOutcome.RETURNED
    assert histories["C2"][0].sign_off is None
    # cells a spreadsheet would run are defused, whatever the query returned
    assert rows[1][export.COLUMNS.index("enquiry_notes")] == "'=HYPERLINK(notes)"
    assert rows[1][export.COLUMNS.index("sign_off_comment")] == "'-say more"
    assert rows[3][export.COLUMNS.index("rationale")] == "'+only one"
