"""Accounts: hashing, sign-in, lock-out (audited), sessions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from relook.errors import RelookError
from relook.security import accounts, passwords, sessions
from relook.security.accounts import LOCK_SECONDS, MAX_FAILED_LOGINS, LoginOutcome, authenticate
from relook.security.audit import SYSTEM
from relook.store import clock
from relook.store.engine import Store
from relook.store.tables import audit_log, users

PASSWORD = "a long enough password"


def test_passwords_are_hashed_with_argon2() -> None:
    hashed = passwords.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, PASSWORD)
    assert not passwords.verify_password(hashed, PASSWORD + "x")
    assert not passwords.verify_password(None, PASSWORD)
    assert len(passwords.generate_password()) >= passwords.MIN_LENGTH
    with pytest.raises(passwords.WeakPasswordError):
        passwords.hash_password("short")


def test_usernames_and_roles_are_checked(store: Store) -> None:
    with store.write() as connection:
        accounts.create_user(connection, "Alice", "reviewer", PASSWORD, by=SYSTEM)
    for name, role in [("alice", "reviewer"), ("bob", "chief"), ("x y", "reviewer")]:
        with pytest.raises(RelookError), store.write() as connection:
            accounts.create_user(connection, name, role, PASSWORD, by=SYSTEM)
    with store.read() as connection:
        stored = connection.execute(select(users.c.username, users.c.password_hash)).one()
    assert stored.username == "alice" and PASSWORD not in stored.password_hash


def _actions(store: Store) -> list[str]:
    with store.read() as connection:
        return list(
            connection.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars()
        )


def test_an_id_no_store_can_hold_is_no_user(store: Store) -> None:
    """A form may post any number as a user id (found by the form fuzzer: 2**63 was a 500
    on SQLite)."""
    with store.write() as connection:
        alice = accounts.create_user(connection, "alice", "reviewer", PASSWORD, by=SYSTEM)
    with store.read() as connection:
        assert accounts.get_user(connection, alice.id) == alice
        for user_id in (2**63, -(2**63) - 1, 0, -1):
            assert accounts.get_user(connection, user_id) is None


def test_lock_out_after_repeated_failures(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with store.write() as connection:
        accounts.create_user(connection, "alice", "reviewer", PASSWORD, by=SYSTEM)
    now = 1_800_000_000
    monkeypatch.setattr(clock, "now_epoch", lambda: now)
    monkeypatch.setattr(accounts, "now_epoch", lambda: now)
    for _ in range(MAX_FAILED_LOGINS):
        assert authenticate(store, "alice", "wrong", client="t").outcome is LoginOutcome.REFUSED
    # Locked: even the right password is refused, with the same message.
    refused = authenticate(store, "alice", PASSWORD, client="t")
    assert refused.outcome is LoginOutcome.REFUSED
    assert refused.message == accounts.FAILED_MESSAGE
    actions = _actions(store)
    assert actions.count("login_failed") == MAX_FAILED_LOGINS + 1
    assert actions.count("account_locked") == 1
    # Fifteen minutes later the account opens again.
    monkeypatch.setattr(accounts, "now_epoch", lambda: now + LOCK_SECONDS + 1)
    assert authenticate(store, "alice", PASSWORD, client="t").outcome is LoginOutcome.OK
    assert _actions(store)[-1] == "login"


def test_unknown_and_deactivated_accounts_are_refused(store: Store) -> None:
    with store.write() as connection:
        accounts.create_user(connection, "alice", "reviewer", PASSWORD, by=SYSTEM)
        accounts.deactivate(connection, "alice", by=SYSTEM)
    assert authenticate(store, "alice", PASSWORD, client=None).outcome is LoginOutcome.REFUSED
    assert authenticate(store, "nobody", PASSWORD, client=None).outcome is LoginOutcome.REFUSED


def test_sessions_end_when_idle_expired_or_deactivated(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.write() as connection:
        user = accounts.create_user(connection, "alice", "reviewer", PASSWORD, by=SYSTEM)
        token, session = sessions.start(connection, user)
    with store.read() as connection:
        loaded = sessions.load(connection, token)
        assert loaded is not None and loaded.csrf_token == session.csrf_token
        assert sessions.load(connection, token + "x") is None
    start = session.last_seen_at
    monkeypatch.setattr(sessions, "now_epoch", lambda: start + sessions.IDLE_SECONDS + 1)
    with store.read() as connection:
        assert sessions.load(connection, token) is None
    monkeypatch.setattr(sessions, "now_epoch", lambda: start + 10)
    with store.write() as connection:
        accounts.deactivate(connection, "alice", by=SYSTEM)
    with store.read() as connection:
        assert sessions.load(connection, token) is None


def _clock(monkeypatch: pytest.MonkeyPatch, at: int) -> None:
    monkeypatch.setattr(clock, "now_epoch", lambda: at)
    monkeypatch.setattr(accounts, "now_epoch", lambda: at)


def test_failures_make_an_account_wait_a_little_not_a_quarter_hour(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.write() as connection:
        accounts.create_user(connection, "alice", "reviewer", PASSWORD, by=SYSTEM)
    now = 1_800_000_000
    _clock(monkeypatch, now)
    for _ in range(MAX_FAILED_LOGINS):
        authenticate(store, "alice", "wrong", client="203.0.113.9")
    assert authenticate(store, "alice", PASSWORD, client="198.51.100.1").outcome is (
        LoginOutcome.REFUSED
    )
    assert accounts.lock_seconds(MAX_FAILED_LOGINS) == LOCK_SECONDS < 60
    assert accounts.lock_seconds(MAX_FAILED_LOGINS + 1) == 2 * LOCK_SECONDS  # doubles
    assert accounts.lock_seconds(100) == accounts.MAX_LOCK_SECONDS
    _clock(monkeypatch, now + LOCK_SECONDS + 1)
    assert authenticate(store, "alice", PASSWORD, client="198.51.100.1").outcome is (
        LoginOutcome.OK
    )


def test_an_address_that_guesses_too_often_is_blocked_and_locks_no_one(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.write() as connection:
        accounts.create_user(connection, "alice", "reviewer", PASSWORD, by=SYSTEM)
    _clock(monkeypatch, 1_800_000_000)
    for n in range(accounts.ADDRESS_LIMIT):
        authenticate(store, f"guess{n}", "wrong", client="203.0.113.9")
    for _ in range(MAX_FAILED_LOGINS * 2):
        refused = authenticate(store, "alice", "wrong", client="203.0.113.9")
        assert refused.outcome is LoginOutcome.REFUSED
    with store.read() as connection:
        alice = accounts.find_user(connection, "alice")
    assert alice is not None and alice.failed_logins == 0 and alice.locked_until is None
    assert authenticate(store, "alice", PASSWORD, client="198.51.100.1").outcome is (
        LoginOutcome.OK
    )
    assert _actions(store).count("address_blocked") == 1


def test_an_unknown_username_is_recorded_short(store: Store) -> None:
    authenticate(store, "x" * 60 + "\x07", "wrong", client=None)
    with store.read() as connection:
        who = connection.execute(
            select(audit_log.c.actor).where(audit_log.c.action == "login_failed")
        ).scalar_one()
    assert len(who) <= accounts.UNKNOWN_NAME_LENGTH and who.startswith("xxx")
