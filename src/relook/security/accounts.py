"""User accounts: creation, sign-in with lock-out, and the few changes an admin makes.

Lock-out: `MAX_FAILED_LOGINS` wrong passwords in a row lock the account for
`LOCK_SECONDS`; every failure, every lock and every sign-in is audited. The message a
user sees never says whether the username exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import Connection, Row, insert, select, update

from relook.errors import RelookError
from relook.security import audit
from relook.security.audit import Actor, AuditAction
from relook.security.passwords import hash_password, verify_password
from relook.security.policy import Role
from relook.store.clock import now_epoch
from relook.store.engine import Store
from relook.store.tables import users

MAX_FAILED_LOGINS = 5
LOCK_SECONDS = 15 * 60
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AccountError(RelookError):
    """An account cannot be created or changed as asked."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: Role
    active: bool
    locked_until: int | None
    last_login_at: int | None
    failed_logins: int = 0

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.username, str(self.role))

    def is_locked(self, now: int) -> bool:
        return self.locked_until is not None and self.locked_until > now


def _user(row: Row[tuple[object, ...]]) -> User:
    m = row._mapping
    return User(
        id=m["id"],
        username=m["username"],
        role=Role(m["role"]),
        active=bool(m["active"]),
        locked_until=m["locked_until"],
        last_login_at=m["last_login_at"],
        failed_logins=m["failed_logins"],
    )


def normalise_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise AccountError(
            "a username is 2-64 characters: lower-case letters, digits, '.', '_' or '-'"
        )
    return name


def create_user(
    connection: Connection, username: str, role: Role | str, password: str, *, by: Actor
) -> User:
    """Add an account (inside a write transaction); audited."""
    name = normalise_username(username)
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(f"role must be one of {', '.join(r.value for r in Role)}") from None
    if connection.execute(select(users.c.id).where(users.c.username == name)).first():
        raise AccountError(f"a user named {name!r} already exists")
    user_id = connection.execute(
        insert(users)
        .values(
            username=name,
            role=role.value,
            password_hash=hash_password(password),
            active=True,
            created_at=now_epoch(),
            failed_logins=0,
        )
        .returning(users.c.id)
    ).scalar_one()
    audit.append(
        connection,
        by,
        AuditAction.USER_CREATED,
        object_type="user",
        object_id=name,
        detail={"role": role.value},
    )
    return User(user_id, name, role, True, None, None)


def get_user(connection: Connection, user_id: int) -> User | None:
    row = connection.execute(select(users).where(users.c.id == user_id)).first()
    return _user(row) if row else None


def find_user(connection: Connection, username: str) -> User | None:
    row = connection.execute(
        select(users).where(users.c.username == username.strip().lower())
    ).first()
    return _user(row) if row else None


def list_users(connection: Connection) -> list[User]:
    return [_user(row) for row in connection.execute(select(users).order_by(users.c.username))]


class LoginOutcome(Enum):
    OK = "ok"
    REFUSED = "refused"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None
    message: str


FAILED_MESSAGE = (
    f"Sign-in failed. After {MAX_FAILED_LOGINS} failed attempts an account is locked for"
    f" {LOCK_SECONDS // 60} minutes."
)


def authenticate(store: Store, username: str, password: str, *, client: str | None) -> LoginResult:
    """Check a password and record the attempt. The password is checked outside the write
    transaction (argon2 takes tens of milliseconds; no lock is held meanwhile)."""
    attempted = username.strip().lower()[:64]
    with store.read() as connection:
        row = connection.execute(select(users).where(users.c.username == attempted)).first()
    user = _user(row) if row else None
    now = now_epoch()
    password_ok = verify_password(row.password_hash if row else None, password)
    detail = {"client": client} if client else {}
    with store.write() as connection:
        if user is None or not user.active:
            audit.append(
                connection,
                Actor(None, attempted or "(blank)", None),
                AuditAction.LOGIN_FAILED,
                object_type="user",
                object_id=attempted,
                detail={**detail, "why": "unknown or inactive account"},
            )
            return LoginResult(LoginOutcome.REFUSED, None, FAILED_MESSAGE)
        current = get_user(connection, user.id) or user
        if current.is_locked(now):
            audit.append(
                connection,
                current.actor,
                AuditAction.LOGIN_FAILED,
                object_type="user",
                object_id=current.username,
                detail={**detail, "why": "account locked"},
            )
            return LoginResult(LoginOutcome.REFUSED, None, FAILED_MESSAGE)
        if not password_ok:
            failures = current.failed_logins + 1
            locking = failures >= MAX_FAILED_LOGINS
            connection.execute(
                update(users)
                .where(users.c.id == current.id)
                .values(
                    failed_logins=0 if locking else users.c.failed_logins + 1,
                    locked_until=now + LOCK_SECONDS if locking else users.c.locked_until,
                )
            )
            audit.append(
                connection,
                current.actor,
                AuditAction.LOGIN_FAILED,
                object_type="user",
                object_id=current.username,
                detail={**detail, "why": "wrong password", "failures": failures},
            )
            if locking:
                audit.append(
                    connection,
                    current.actor,
                    AuditAction.ACCOUNT_LOCKED,
                    object_type="user",
                    object_id=current.username,
                    detail={"until": now + LOCK_SECONDS, "failures": failures},
                )
            return LoginResult(LoginOutcome.REFUSED, None, FAILED_MESSAGE)
        connection.execute(
            update(users)
            .where(users.c.id == current.id)
            .values(failed_logins=0, locked_until=None, last_login_at=now)
        )
        audit.append(
            connection,
            current.actor,
            AuditAction.LOGIN,
            object_type="user",
            object_id=current.username,
            detail=detail,
        )
        return LoginResult(LoginOutcome.OK, current, "")


def unlock(connection: Connection, username: str, *, by: Actor) -> User:
    user = find_user(connection, username)
    if user is None:
        raise AccountError(f"no user named {username!r}")
    connection.execute(
        update(users).where(users.c.id == user.id).values(failed_logins=0, locked_until=None)
    )
    audit.append(
        connection, by, AuditAction.USER_UNLOCKED, object_type="user", object_id=user.username
    )
    return user


def deactivate(connection: Connection, username: str, *, by: Actor) -> User:
    """Switch an account off (accounts are never deleted: the audit log names them)."""
    user = find_user(connection, username)
    if user is None:
        raise AccountError(f"no user named {username!r}")
    connection.execute(update(users).where(users.c.id == user.id).values(active=False))
    audit.append(
        connection, by, AuditAction.USER_DEACTIVATED, object_type="user", object_id=user.username
    )
    return user
