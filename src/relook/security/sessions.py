"""Server-side login sessions.

The browser holds only a random token (cookie `relook_session`: HttpOnly, SameSite=Strict,
Secure unless turned off for plain-http localhost); the store keeps its SHA-256, the user
and the session's CSRF token. A session ends on sign-out, after `IDLE_SECONDS` without a
request, after `MAX_SECONDS` in all, or when the account is deactivated.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from relook.security.accounts import User
from relook.security.policy import Role
from relook.store.clock import now_epoch
from relook.store.tables import login_sessions, users

IDLE_SECONDS = 60 * 60
MAX_SECONDS = 12 * 60 * 60
TOUCH_EVERY = 60
"""Record activity at most once a minute, so that reading a page rarely writes."""


@dataclass(frozen=True)
class LoginSession:
    token_hash: str
    user: User
    csrf_token: str
    last_seen_at: int

    @property
    def needs_touch(self) -> bool:
        return now_epoch() - self.last_seen_at >= TOUCH_EVERY


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(connection: Connection, user: User) -> tuple[str, LoginSession]:
    """A new session for `user`; returns the cookie token (shown to nobody else)."""
    now = now_epoch()
    connection.execute(delete(login_sessions).where(login_sessions.c.expires_at < now))
    token = secrets.token_urlsafe(32)
    session = LoginSession(token_hash(token), user, secrets.token_urlsafe(32), now)
    connection.execute(
        insert(login_sessions).values(
            token_hash=session.token_hash,
            user_id=user.id,
            csrf_token=session.csrf_token,
            created_at=now,
            last_seen_at=now,
            expires_at=now + MAX_SECONDS,
        )
    )
    return token, session


# Built once: every request runs it.
_LOAD = (
    select(
        login_sessions.c.token_hash,
        login_sessions.c.csrf_token,
        login_sessions.c.last_seen_at,
        login_sessions.c.expires_at,
        users.c.id,
        users.c.username,
        users.c.role,
        users.c.active,
        users.c.locked_until,
        users.c.last_login_at,
        users.c.must_change_password,
    )
    .join(users, users.c.id == login_sessions.c.user_id)
    .where(login_sessions.c.token_hash == bindparam("token_hash"))
)


def load(connection: Connection, token: str) -> LoginSession | None:
    """The live session for a cookie token, or None (unknown, expired, idle, inactive)."""
    now = now_epoch()
    row = connection.execute(_LOAD, {"token_hash": token_hash(token)}).first()
    if row is None or not row.active:
        return None
    if row.expires_at <= now or now - row.last_seen_at > IDLE_SECONDS:
        return None
    user = User(
        row.id,
        row.username,
        Role(row.role),
        True,
        row.locked_until,
        row.last_login_at,
        must_change_password=bool(row.must_change_password),
    )
    return LoginSession(row.token_hash, user, row.csrf_token, row.last_seen_at)


def touch(connection: Connection, session: LoginSession) -> None:
    connection.execute(
        update(login_sessions)
        .where(login_sessions.c.token_hash == session.token_hash)
        .values(last_seen_at=now_epoch())
    )


def end(connection: Connection, session: LoginSession) -> None:
    connection.execute(
        delete(login_sessions).where(login_sessions.c.token_hash == session.token_hash)
    )


def end_others(connection: Connection, session: LoginSession) -> None:
    """End the user's other sessions (after a password change: whoever knew the old
    password is signed out everywhere else)."""
    connection.execute(
        delete(login_sessions).where(
            login_sessions.c.user_id == session.user.id,
            login_sessions.c.token_hash != session.token_hash,
        )
    )
