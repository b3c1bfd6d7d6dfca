"""The policy table's promises (the web permission matrix checks the routes against it)."""

from __future__ import annotations

from relook.security.policy import (
    HOME_PAGE,
    ROLE_PERMISSIONS,
    Permission,
    Role,
    allows,
    may_assess,
    may_open_case,
    may_sign_off,
)

CASE_DATA = {
    Permission.VIEW_CASE, Permission.VIEW_PERSON, Permission.REVEAL_VICTIM,
    Permission.VIEW_QUEUE, Permission.EXPORT_ASSESSMENTS,
}  # fmt: skip


def test_every_role_has_a_home_and_can_sign_in_and_out() -> None:
    for role in Role:
        assert allows(role, Permission.SIGNED_IN)
        assert role in HOME_PAGE


def test_auditors_and_admins_never_see_case_data() -> None:
    for role in (Role.AUDITOR, Role.ADMIN):
        assert not (ROLE_PERMISSIONS[role] & CASE_DATA)
    assert {r for r in Role if allows(r, Permission.VIEW_AUDIT)} == {Role.AUDITOR}
    assert {r for r in Role if allows(r, Permission.MANAGE_USERS)} == {Role.ADMIN}


def test_only_supervisors_sign_off_and_never_their_own() -> None:
    assert {r for r in Role if allows(r, Permission.SIGN_OFF)} == {Role.SUPERVISOR}
    assert may_sign_off(signer_id=2, author_id=1, signer_role=Role.SUPERVISOR)
    assert not may_sign_off(signer_id=1, author_id=1, signer_role=Role.SUPERVISOR)
    assert not may_sign_off(signer_id=2, author_id=1, signer_role=Role.REVIEWER)


def test_need_to_know_for_reviewers() -> None:
    assert may_open_case(role=Role.REVIEWER, assigned_to_user=True, linked_to_assigned=False)
    assert may_open_case(role=Role.REVIEWER, assigned_to_user=False, linked_to_assigned=True)
    assert not may_open_case(role=Role.REVIEWER, assigned_to_user=False, linked_to_assigned=False)
    assert may_open_case(role=Role.ANALYST, assigned_to_user=False, linked_to_assigned=False)
    assert not may_open_case(role=Role.AUDITOR, assigned_to_user=True, linked_to_assigned=True)
    assert may_assess(role=Role.REVIEWER, user_id=1, assignee_id=1)
    assert not may_assess(role=Role.REVIEWER, user_id=1, assignee_id=2)
    assert may_assess(role=Role.SUPERVISOR, user_id=1, assignee_id=2)
    assert not may_assess(role=Role.ANALYST, user_id=1, assignee_id=1)


def test_unknown_roles_are_allowed_nothing() -> None:
    assert not allows("chief", Permission.SIGNED_IN)
