"""User accounts: creation, sign-in with lock-out, password changes, and the few changes
an admin makes.

Lock-out: after `MAX_FAILED_LOGINS` wrong passwords in a row an account waits before it
takes another attempt: `LOCK_SECONDS` at first, doubling with each further failure up to
`MAX_LOCK_SECONDS`. A short wait rather than a long lock, so that five requests from
anywhere cannot shut a user out for long. Each network address is limited too: after
`ADDRESS_LIMIT` failures within `ADDRESS_WINDOW` seconds, attempts from it are refused
without being counted against any account, for `ADDRESS_BLOCK_SECONDS`. Every failure,
lock and sign-in is audited. The message a user sees never says whether the username
exists.

An account an administrator creates gets a password the administrator has seen, so it
must choose its own at its first sign-in and can do nothing else until then
(`must_change_password`); otherwise an administrator could sign in as the supervisor
they created and read case data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from relook.errors import RelookError
from relook.security import audit
from relook.security.audit import SYSTEM, Actor, AuditAction
from relook.security.passwords import check_strength, hash_password, verify_password
from relook.security.policy import Role
from relook.store.clock import now_epoch
from relook.store.engine import Store
from relook.store.tables import login_throttle, users

MAX_FAILED_LOGINS = 5
LOCK_SECONDS = 30
"""The first wait after `MAX_FAILED_LOGINS` failures; each further failure doubles it."""
MAX_LOCK_SECONDS = 15 * 60
ADDRESS_LIMIT = 20
ADDRESS_WINDOW = 15 * 60
ADDRESS_BLOCK_SECONDS = 15 * 60
UNKNOWN_NAME_LENGTH = 32
"""An unknown username is recorded in the audit trail cut to this many characters."""
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
    must_change_password: bool = False
    created_by: str | None = None

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
        must_change_password=bool(m["must_change_password"]),
        created_by=m["created_by"],
    )


def normalise_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise AccountError(
            "a username is 2-64 characters: lower-case letters, digits, '.', '_' or '-'"
        )
    return name


def create_user(
    connection: Connection,
    username: str,
    role: Role | str,
    password: str,
    *,
    by: Actor,
    must_change_password: bool = False,
) -> User:
    """Add an account (inside a write transaction); audited with who created it.
    `must_change_password` when someone other than its owner knows the password."""
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
            must_change_password=must_change_password,
            created_by=by.name,
        )
        .returning(users.c.id)
    ).scalar_one()
    audit.append(
        connection,
        by,
        AuditAction.USER_CREATED,
        object_type="user",
        object_id=name,
        detail={
            "role": role.value,
            "created_by": by.name,
            "must_change_password": must_change_password,
        },
    )
    return User(user_id, name, role, True, None, None, 0, must_change_password, by.name)


_LARGEST_ID = 2**63 - 1
"""The largest id a store can hold (a 64-bit integer): a larger one is no user's."""


def get_user(connection: Connection, user_id: int) -> User | None:
    if not 0 < user_id <= _LARGEST_ID:
        return None  # a number posted in a form may be any size; the database refuses it
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


def lock_seconds(failures: int) -> int:
    """How long an account waits after `failures` wrong passwords in a row."""
    if failures < MAX_FAILED_LOGINS:
        return 0
    doubled: int = LOCK_SECONDS << min(failures - MAX_FAILED_LOGINS, 20)
    return min(doubled, MAX_LOCK_SECONDS)


def _address_blocked(connection: Connection, client: str | None, now: int) -> bool:
    if not client:
        return False
    blocked = connection.execute(
        select(login_throttle.c.blocked_until).where(login_throttle.c.client == client[:64])
    ).scalar_one_or_none()
    return blocked is not None and blocked > now


def _count_address_failure(connection: Connection, client: str | None, now: int) -> bool:
    """Count a failure from `client`; True when it has just reached the limit (and is
    blocked from now on)."""
    if not client:
        return False
    key = client[:64]
    row = connection.execute(select(login_throttle).where(login_throttle.c.client == key)).first()
    if row is None or row.window_start + ADDRESS_WINDOW <= now:
        connection.execute(delete(login_throttle).where(login_throttle.c.client == key))
        connection.execute(insert(login_throttle).values(client=key, failures=1, window_start=now))
        return ADDRESS_LIMIT <= 1
    failures = int(row.failures) + 1
    reached: bool = failures >= ADDRESS_LIMIT
    connection.execute(
        update(login_throttle)
        .where(login_throttle.c.client == key)
        .values(
            failures=0 if reached else failures,
            window_start=now if reached else row.window_start,
            blocked_until=now + ADDRESS_BLOCK_SECONDS if reached else row.blocked_until,
        )
    )
    return reached


def _record_address_failure(connection: Connection, client: str | None, now: int) -> None:
    """Count the failure against its address; audit the moment the address is blocked
    (once per block, so that a flood of guesses cannot flood the trail)."""
    if _count_address_failure(connection, client, now):
        audit.append(
            connection,
            SYSTEM,
            AuditAction.ADDRESS_BLOCKED,
            object_type="client",
            object_id=(client or "")[:64],
            detail={"failures": ADDRESS_LIMIT, "until": now + ADDRESS_BLOCK_SECONDS},
        )


def _unknown_name(attempted: str) -> str:
    """What the audit trail's "who" shows for a name that is no account: printable, short."""
    printable = "".join(ch for ch in attempted if ch.isprintable()) or "(blank)"
    if len(printable) <= UNKNOWN_NAME_LENGTH:
        return printable
    return printable[: UNKNOWN_NAME_LENGTH - 1] + "…"


def authenticate(store: Store, username: str, password: str, *, client: str | None) -> LoginResult:
    """Check a password and record the attempt. The password is checked outside the write
    transaction (argon2 takes tens of milliseconds; no lock is held meanwhile)."""
    attempted = username.strip().lower()[:64]
    now = now_epoch()
    with store.read() as connection:
        if _address_blocked(connection, client, now):
            # Refused unchecked and not counted against the account: an address that
            # guessed too often cannot lock anyone out. Its block was audited once.
            return LoginResult(LoginOutcome.REFUSED, None, FAILED_MESSAGE)
        row = connection.execute(select(users).where(users.c.username == attempted)).first()
    user = _user(row) if row else None
    password_ok = verify_password(row.password_hash if row else None, password)
    detail = {"client": client} if client else {}
    with store.write() as connection:
        if not password_ok or user is None or not user.active:
            _record_address_failure(connection, client, now)
        if user is None or not user.active:
            audit.append(
                connection,
                Actor(None, _unknown_name(attempted), None),
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
            wait = lock_seconds(failures)
            locking = wait > 0
            connection.execute(
                update(users)
                .where(users.c.id == current.id)
                .values(
                    failed_logins=failures,
                    locked_until=now + wait if locking else users.c.locked_until,
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
                    detail={"until": now + wait, "seconds": wait, "failures": failures},
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


def change_password(
    connection: Connection, user: User, new_password: str, *, by: Actor, temporary: bool = False
) -> None:
    """Set a new password (checked for strength); audited. `temporary` when its owner did
    not choose it (a generated one shown to someone else): they must change it at their
    next sign-in."""
    check_strength(new_password)
    connection.execute(
        update(users)
        .where(users.c.id == user.id)
        .values(
            password_hash=hash_password(new_password),
            must_change_password=temporary,
            failed_logins=0,
            locked_until=None,
        )
    )
    audit.append(
        connection,
        by,
        AuditAction.PASSWORD_CHANGED,
        object_type="user",
        object_id=user.username,
        detail={"must_change_password": temporary},
    )


def change_own_password(
    connection: Connection, user: User, current_password: str, new_password: str
) -> None:
    """A signed-in user changes their own password, proving they know the current one."""
    row = connection.execute(select(users.c.password_hash).where(users.c.id == user.id)).first()
    if row is None or not verify_password(row.password_hash, current_password):
        raise AccountError("the current password is not right")
    if new_password == current_password:
        raise AccountError("choose a password different from the current one")
    change_password(connection, user, new_password, by=user.actor)


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
    """Switch an account off (accounts are never deleted: the audit log names them). An
    administrator cannot switch off their own account, nor the last active admin: no
    one could then manage accounts except from the server."""
    user = find_user(connection, username)
    if user is None:
        raise AccountError(f"no user named {username!r}")
    if by.user_id is not None and by.user_id == user.id:
        raise AccountError("you cannot deactivate your own account")
    if user.role is Role.ADMIN and user.active and _active_admins(connection) <= 1:
        raise AccountError(f"{user.username} is the last active administrator")
    connection.execute(update(users).where(users.c.id == user.id).values(active=False))
    audit.append(
        connection, by, AuditAction.USER_DEACTIVATED, object_type="user", object_id=user.username
    )
    return user


def reactivate(connection: Connection, username: str, *, by: Actor) -> User:
    """Switch a deactivated account on again (its failures and lock cleared)."""
    user = find_user(connection, username)
    if user is None:
        raise AccountError(f"no user named {username!r}")
    if user.active:
        raise AccountError(f"{user.username} is already active")
    connection.execute(
        update(users)
        .where(users.c.id == user.id)
        .values(active=True, failed_logins=0, locked_until=None)
    )
    audit.append(
        connection, by, AuditAction.USER_REACTIVATED, object_type="user", object_id=user.username
    )
    return user


def _active_admins(connection: Connection) -> int:
    return int(
        connection.execute(
            select(func.count())
            .select_from(users)
            .where(users.c.role == Role.ADMIN.value, users.c.active.is_(True))
        ).scalar_one()
    )
