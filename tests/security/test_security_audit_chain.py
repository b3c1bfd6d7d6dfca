"""The audit chain: append-only, hash-chained, and tampering is found."""

from __future__ import annotations

from itertools import pairwise

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from relook.security import audit
from relook.security.audit import GENESIS_HASH, Actor, AuditAction, entry_hash
from relook.store.engine import Store

ALICE = Actor(1, "alice", "reviewer")


def _fill(store: Store, n: int = 6) -> None:
    for i in range(n):
        with store.write() as connection:
            audit.append(
                connection, ALICE, AuditAction.VIEW_CASE, object_type="case",
                object_id=f"C{i:06d}", reason="because" if i % 2 else None, detail={"i": i},
            )  # fmt: skip


def _drop_guards(store: Store) -> None:
    """What a database administrator with full rights could do: remove the triggers."""
    with store.write() as connection:
        if store.is_sqlite:
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
            connection.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            connection.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))


def test_entries_chain_and_verify(store: Store) -> None:
    _fill(store)
    with store.read() as connection:
        result = audit.verify(connection)
        rows = connection.execute(text("SELECT * FROM audit_log ORDER BY seq")).mappings().all()
    assert result.ok and result.checked == 6 and result.head_seq == 6
    assert rows[0]["prev_hash"] == GENESIS_HASH
    for previous, row in pairwise(rows):
        assert row["prev_hash"] == previous["hash"]
        assert row["hash"] == entry_hash(previous["hash"], row)
    assert result.head_hash == rows[-1]["hash"]


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log WHERE seq = 2"]
)
def test_the_database_refuses_changes(store: Store, statement: str) -> None:
    _fill(store, 3)
    with pytest.raises(DBAPIError, match="append-only"), store.write() as connection:
        connection.execute(text(statement))


def test_an_altered_entry_is_reported(store: Store) -> None:
    _fill(store)
    _drop_guards(store)
    with store.write() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4"))
    with store.read() as connection:
        result = audit.verify(connection)
    assert not result.ok
    assert result.first_bad_seq == 4 and "altered" in (result.problem or "")
    assert result.checked == 3


def test_a_missing_entry_is_reported(store: Store) -> None:
    _fill(store)
    _drop_guards(store)
    with store.write() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    with store.read() as connection:
        result = audit.verify(connection)
    assert result.first_bad_seq == 3 and "missing" in (result.problem or "")


def test_a_rehashed_entry_breaks_the_link_to_the_next(store: Store) -> None:
    """Recomputing an altered entry's own hash does not help: the next entry's link breaks."""
    _fill(store)
    _drop_guards(store)
    with store.write() as connection:
        row = dict(
            connection.execute(text("SELECT * FROM audit_log WHERE seq = 2")).mappings().one()
        )
        row["reason"] = "rewritten"
        connection.execute(
            text("UPDATE audit_log SET reason = :reason, hash = :hash WHERE seq = 2"),
            {"reason": row["reason"], "hash": entry_hash(row["prev_hash"], row)},
        )
    with store.read() as connection:
        result = audit.verify(connection)
    assert result.first_bad_seq == 3 and "prev_hash" in (result.problem or "")
