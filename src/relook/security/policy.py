"""Who may do what: the one place that defines it.

`ROLE_PERMISSIONS` says which roles hold each permission; `ROUTE_POLICY` which permission
each page and action of the web application needs; and a few rules depend on the object
as well as the role (which cases a reviewer may open, who may sign off an assessment).
The permission-matrix test walks every route and every role against these tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Role(StrEnum):
    REVIEWER = "reviewer"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Permission(StrEnum):
    SIGNED_IN = "signed_in"
    """Anything every account may do: its home page, signing out."""
    VIEW_QUEUE = "view_queue"
    VIEW_CASE = "view_case"
    VIEW_ALL_CASES = "view_all_cases"
    """Open any case; without it only assigned cases and the cases linked to them."""
    VIEW_PERSON = "view_person"
    REVEAL_VICTIM = "reveal_victim"
    ASSESS = "assess"
    SIGN_OFF = "sign_off"
    ASSIGN = "assign"
    VIEW_WORKLOAD = "view_workload"
    JUDGE = "judge"
    EXPORT_ASSESSMENTS = "export_assessments"
    EXPORT_NATIONAL = "export_national"
    """The national export of the current run in FollowTheMoney (`relook export national`)."""
    PRODUCE_REPORT = "produce_report"
    """A case report (HTML or PDF) of a case the user may open: a disclosure."""
    EXPORT_REFERRALS = "export_referrals"
    """The referral pack of every case signed off for the national panel."""
    VIEW_RUNS = "view_runs"
    VIEW_AUDIT = "view_audit"
    VIEW_PROGRAMME = "view_programme"
    """The programme dashboard and the data-quality audit: aggregates."""
    MANAGE_PROGRAMME = "manage_programme"
    """Set the programme's dates and weekly target."""
    MANAGE_USERS = "manage_users"
    VIEW_ENGAGEMENT = "view_engagement"
    """See whether a case's victims were contacted and agree (need to know)."""
    RECORD_ENGAGEMENT = "record_engagement"


_CASEWORK = frozenset(
    {
        Permission.SIGNED_IN,
        Permission.VIEW_QUEUE,
        Permission.VIEW_CASE,
        Permission.VIEW_PERSON,
        Permission.REVEAL_VICTIM,
    }
)

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    # Reviewing officers assess the cases a supervisor gives them.
    Role.REVIEWER: _CASEWORK
    | {
        Permission.ASSESS,
        Permission.PRODUCE_REPORT,
        Permission.VIEW_ENGAGEMENT,
        Permission.RECORD_ENGAGEMENT,
    },
    # Supervisors run the queue, may assess, and sign off other people's assessments.
    Role.SUPERVISOR: _CASEWORK
    | {
        Permission.VIEW_ALL_CASES,
        Permission.ASSESS,
        Permission.SIGN_OFF,
        Permission.ASSIGN,
        Permission.VIEW_WORKLOAD,
        Permission.EXPORT_ASSESSMENTS,
        Permission.EXPORT_NATIONAL,
        Permission.PRODUCE_REPORT,
        Permission.EXPORT_REFERRALS,
        Permission.VIEW_RUNS,
        Permission.VIEW_PROGRAMME,
        Permission.MANAGE_PROGRAMME,
        Permission.VIEW_ENGAGEMENT,
        Permission.RECORD_ENGAGEMENT,
    },
    # Analysts work across cases (matching people) but make no review decisions.
    Role.ANALYST: _CASEWORK
    | {
        Permission.VIEW_ALL_CASES,
        Permission.JUDGE,
        Permission.VIEW_RUNS,
        Permission.VIEW_PROGRAMME,
    },
    # Auditors read the audit log, never case data.
    Role.AUDITOR: frozenset({Permission.SIGNED_IN, Permission.VIEW_AUDIT, Permission.VIEW_RUNS}),
    # Administrators manage accounts, never case data.
    # (The programme's aggregates are no case data; its case lists need VIEW_ALL_CASES.)
    Role.ADMIN: frozenset(
        {
            Permission.SIGNED_IN,
            Permission.MANAGE_USERS,
            Permission.VIEW_RUNS,
            Permission.VIEW_PROGRAMME,
        }
    ),
}

HOME_PAGE: Mapping[Role, str] = {
    Role.REVIEWER: "/queue",
    Role.SUPERVISOR: "/queue",
    Role.ANALYST: "/queue",
    Role.AUDITOR: "/audit",
    Role.ADMIN: "/admin/users",
}


PUBLIC = "public"
"""A page anyone may open: the sign-in form and the health check."""

ROUTE_POLICY: Mapping[str, Permission | str] = {
    # Signing in and out
    "healthz": PUBLIC,
    "login_form": PUBLIC,
    "login": PUBLIC,
    "logout": Permission.SIGNED_IN,
    "home": Permission.SIGNED_IN,
    # One's own account
    "password_form": Permission.SIGNED_IN,
    "change_password": Permission.SIGNED_IN,
    # The queue and assignment
    "queue": Permission.VIEW_QUEUE,
    "assign_cases": Permission.ASSIGN,
    "assign_matching": Permission.ASSIGN,
    "assign_network": Permission.ASSIGN,
    "workload": Permission.VIEW_WORKLOAD,
    "programme": Permission.VIEW_PROGRAMME,
    "programme_settings": Permission.MANAGE_PROGRAMME,
    "programme_csv": Permission.VIEW_PROGRAMME,
    "quality": Permission.VIEW_PROGRAMME,
    "search": Permission.VIEW_CASE,
    # Cases
    "case_page": Permission.VIEW_CASE,
    "reveal_case_victims": Permission.REVEAL_VICTIM,
    "submit_assessment": Permission.ASSESS,
    "save_draft": Permission.ASSESS,
    "mark_lead": Permission.ASSESS,
    "record_engagement": Permission.RECORD_ENGAGEMENT,
    "sign_off_assessment": Permission.SIGN_OFF,
    "case_report": Permission.PRODUCE_REPORT,
    # Persons
    "person_page": Permission.VIEW_PERSON,
    "reveal_person": Permission.REVEAL_VICTIM,
    "explain_match": Permission.VIEW_PERSON,
    "record_judgement": Permission.JUDGE,
    # Disclosure, runs, audit, accounts
    "exports": Permission.EXPORT_ASSESSMENTS,
    "export_assessments": Permission.EXPORT_ASSESSMENTS,
    "referrals": Permission.EXPORT_REFERRALS,
    "referral_pack": Permission.EXPORT_REFERRALS,
    "runs": Permission.VIEW_RUNS,
    "audit_log": Permission.VIEW_AUDIT,
    "verify_audit": Permission.VIEW_AUDIT,
    "list_users": Permission.MANAGE_USERS,
    "create_user": Permission.MANAGE_USERS,
    "unlock_user": Permission.MANAGE_USERS,
    "deactivate_user": Permission.MANAGE_USERS,
    "reactivate_user": Permission.MANAGE_USERS,
}
"""Every page and action of the web application (by route name) and the permission it
needs. Each route also declares it (`require(...)` in `relook.web.deps`), so it reads at
the route; the application refuses to start if the two disagree or a route is missing."""


def allows(role: Role | str, permission: Permission) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


def may_sign_off(*, signer_id: int, author_id: int, signer_role: Role | str) -> bool:
    """Only a supervisor signs off, and never their own assessment."""
    return allows(signer_role, Permission.SIGN_OFF) and signer_id != author_id


def may_assess(*, role: Role | str, user_id: int, assignee_id: int | None) -> bool:
    """A reviewer assesses the cases assigned to them; a supervisor any case."""
    return allows(role, Permission.ASSESS) and _on_the_case(role, user_id, assignee_id)


def _on_the_case(role: Role | str, user_id: int, assignee_id: int | None) -> bool:
    return allows(role, Permission.VIEW_ALL_CASES) or assignee_id == user_id


def may_see_engagement(*, role: Role | str, user_id: int, assignee_id: int | None) -> bool:
    """Victims' engagement is for the reviewer the case is assigned to and supervisors:
    not for a reviewer who only opens it as a linked case, nor for analysts."""
    return sees_engagement(role=role, assigned_to_user=assignee_id == user_id)


def sees_engagement(*, role: Role | str, assigned_to_user: bool) -> bool:
    """`may_see_engagement` for a caller that knows whether the case is the user's."""
    return allows(role, Permission.VIEW_ENGAGEMENT) and (
        allows(role, Permission.VIEW_ALL_CASES) or assigned_to_user
    )


def may_record_engagement(*, role: Role | str, user_id: int, assignee_id: int | None) -> bool:
    return allows(role, Permission.RECORD_ENGAGEMENT) and _on_the_case(role, user_id, assignee_id)


def may_open_case(*, role: Role | str, assigned_to_user: bool, linked_to_assigned: bool) -> bool:
    """Need to know: without VIEW_ALL_CASES a user opens the cases assigned to them and
    the cases in the same network as one of those (a reviewer must see the linked cases
    to assess the one they hold)."""
    if not allows(role, Permission.VIEW_CASE):
        return False
    if allows(role, Permission.VIEW_ALL_CASES):
        return True
    return assigned_to_user or linked_to_assigned


def case_access_needs_assignments(role: Role | str) -> bool:
    """Whether `may_open_case` can answer differently for this role depending on the
    user's assignments, so that a caller looks them up only when they matter.

    Asked of `may_open_case` itself rather than restated, so it cannot drift from the rule.
    """
    held = may_open_case(role=role, assigned_to_user=True, linked_to_assigned=True)
    unheld = may_open_case(role=role, assigned_to_user=False, linked_to_assigned=False)
    return held != unheld
