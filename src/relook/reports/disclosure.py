"""Who may produce a report or a referral pack, and the audit entry that records it.

A report or a pack leaves the system: it is a disclosure, audited as an `export` with the
reason given (DPA 2018 s.62). The web app's signed-in user and the command line's
`--user` account are the same kind of actor: a relook account, with its role's
permissions and its need to know (a reviewer reports only the cases they may open).
The command line records that it was used, and by which operating-system user.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from relook.review.errors import NotAllowed
from relook.security import accounts, audit
from relook.security.accounts import User
from relook.security.audit import AuditAction, operating_system_user
from relook.security.justification import checked_reason
from relook.security.policy import Permission, allows

REPORT_OBJECT = "case_report"
PACK_OBJECT = "referral_pack"


def check_may_report(user: User, *, reveal: bool) -> None:
    """A report needs PRODUCE_REPORT; a report with victims' identities REVEAL_VICTIM too."""
    if not allows(user.role, Permission.PRODUCE_REPORT):
        raise NotAllowed(f"the role {user.role} does not produce case reports")
    if reveal and not allows(user.role, Permission.REVEAL_VICTIM):
        raise NotAllowed(f"the role {user.role} may not reveal victims' identities")


def check_may_export_referrals(user: User) -> None:
    if not allows(user.role, Permission.EXPORT_REFERRALS):
        raise NotAllowed(f"the role {user.role} does not export referral packs")


def command_line_user(connection: Connection, username: str) -> User:
    """The active account named on the command line (`--user`)."""
    user = accounts.find_user(connection, username)
    if user is None:
        raise NotAllowed(f"no user named {username!r} (see `relook users list`)")
    if not user.active:
        raise NotAllowed(f"the account {user.username!r} is deactivated")
    return user


def record_disclosure(
    connection: Connection,
    user: User,
    *,
    object_type: str,
    object_id: str,
    reason: str,
    detail: dict[str, Any],
    via: str,
) -> None:
    """One audit entry for a report or a pack; `via` is `web` or `command line`."""
    if via != "web":
        detail = {**detail, "via": via, "os_user": operating_system_user()}
    else:
        detail = {**detail, "via": via}
    audit.append(
        connection,
        user.actor,
        AuditAction.EXPORT,
        object_type=object_type,
        object_id=object_id,
        reason=checked_reason(reason),
        detail=detail,
    )
