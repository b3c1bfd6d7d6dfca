"""The audit trail: append-only, hash-chained, sealed, and tampering is found."""

from __future__ import annotations

import threading
from itertools import pairwise

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from relook.security import audit
from relook.security.audit import (
    GENESIS_HASH,
    Actor,
    AuditAction,
    AuditKeyMissing,
    entry_hash,
    open_audited_store,
    seal_mac,
)
from relook.store.engine import Store, open_store

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
        result = audit.verify(connection, store.audit_key)
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
        result = audit.verify(connection, store.audit_key)
    assert not result.ok
    assert result.first_bad_seq == 4 and "altered" in (result.problem or "")
    assert result.checked == 3


def test_a_missing_entry_is_reported(store: Store) -> None:
    _fill(store)
    _drop_guards(store)
    with store.write() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    with store.read() as connection:
        result = audit.verify(connection, store.audit_key)
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
        result = audit.verify(connection, store.audit_key)
    assert result.first_bad_seq == 3 and "prev_hash" in (result.problem or "")


def _verify(store: Store, **kwargs: object) -> audit.VerifyResult:
    with store.read() as connection:
        return audit.verify(connection, store.audit_key, **kwargs)  # type: ignore[arg-type]


def _rows(store: Store) -> list[dict[str, object]]:
    with store.read() as connection:
        return [
            dict(row)
            for row in connection.execute(text("SELECT * FROM audit_log ORDER BY seq")).mappings()
        ]


def _rechain(store: Store, rows: list[dict[str, object]]) -> None:
    """Rewrite every hash after a change, as someone with the database but not the key
    could: the chain then verifies on its own."""
    prev = GENESIS_HASH
    with store.write() as connection:
        for row in rows:
            row["prev_hash"], row["hash"] = prev, entry_hash(prev, row)
            connection.execute(
                text(
                    "UPDATE audit_log SET actor = :actor, prev_hash = :prev_hash, hash = :hash"
                    " WHERE seq = :seq"
                ),
                row,
            )
            prev = str(row["hash"])


def test_the_head_is_sealed(store: Store) -> None:
    _fill(store, 3)
    result = _verify(store)
    assert result.ok and result.sealed and result.head_seq == 3
    with store.read() as connection:
        seal = connection.execute(text("SELECT * FROM audit_seal")).mappings().one()
    assert seal["head_seq"] == 3 and seal["head_hash"] == result.head_hash
    assert seal["mac"] == seal_mac(store.audit_key or b"", 3, result.head_hash)


def test_entries_cut_from_the_end_are_reported(store: Store) -> None:
    _fill(store)
    _drop_guards(store)
    with store.write() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq > 4"))
    result = _verify(store)
    assert not result.ok and result.first_bad_seq == 5
    assert result.problem == "entries 5 to 6 are missing from the end"
    assert result.checked == 4


def test_a_rewritten_chain_is_reported(store: Store) -> None:
    _fill(store)
    _drop_guards(store)
    rows = _rows(store)
    rows[1]["actor"] = "mallory"
    _rechain(store, rows)
    result = _verify(store)
    assert not result.ok and result.first_bad_seq == 6
    assert "not the entry that was sealed" in (result.problem or "")


def test_a_cut_found_by_the_next_entry_stays_in_the_trail(store: Store) -> None:
    """The next write finds the cut, records it, and carries on: the record cannot be
    removed without another break."""
    _fill(store)
    _drop_guards(store)
    with store.write() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 6"))
    _fill(store, 1)
    rows = _rows(store)
    assert [row["seq"] for row in rows] == [1, 2, 3, 4, 5, 6, 7]
    recorded = rows[5]
    assert recorded["action"] == AuditAction.SEAL_BROKEN and recorded["actor"] == "system"
    assert '"problem":"entry 6 is missing from the end"' in str(recorded["detail"])
    assert rows[6]["action"] == AuditAction.VIEW_CASE
    result = _verify(store)
    assert not result.ok and result.first_bad_seq == 6
    assert "did not match its seal" in (result.problem or "")


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ("DELETE FROM audit_seal", "the seal is missing"),
        ("UPDATE audit_seal SET head_seq = 5", "does not match the audit key"),
    ],
)
def test_a_removed_or_forged_seal_is_reported(store: Store, statement: str, problem: str) -> None:
    _fill(store)
    with store.write() as connection:
        connection.execute(text(statement))
    result = _verify(store)
    assert not result.ok and problem in (result.problem or "")


def test_an_earlier_head_noted_elsewhere_finds_a_restored_copy(store: Store) -> None:
    """The one thing no seal in the database can show: the database put back to an
    earlier copy of itself, seal included. A head noted elsewhere does."""
    _fill(store, 3)
    with store.read() as connection:
        old_seal = dict(connection.execute(text("SELECT * FROM audit_seal")).mappings().one())
    _fill(store, 3)
    noted = _verify(store)
    assert noted.ok and _verify(store, expect=(noted.head_seq, noted.head_hash)).ok
    _drop_guards(store)
    with store.write() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq > 3"))
        connection.execute(
            text("UPDATE audit_seal SET head_seq = :head_seq, head_hash = :head_hash, mac = :mac"),
            old_seal,
        )
    assert _verify(store).ok  # the copy is consistent in itself
    result = _verify(store, expect=(noted.head_seq, noted.head_hash))
    assert not result.ok and "entry 6, noted earlier, is missing" in (result.problem or "")
    wrong = _verify(store, expect=(2, "f" * 64))
    assert not wrong.ok and wrong.first_bad_seq == 2


def test_entries_are_written_only_with_the_audit_key(store: Store) -> None:
    keyless = open_store(store.engine)
    with pytest.raises(AuditKeyMissing), keyless.write() as connection:
        audit.append(connection, ALICE, AuditAction.VIEW_CASE)
    with pytest.raises(AuditKeyMissing), store.read() as connection:
        audit.append(connection, ALICE, AuditAction.VIEW_CASE)
    assert _rows(store) == []


def test_a_trail_older_than_seals_is_sealed_once_on_upgrade(store: Store) -> None:
    _fill(store, 4)
    with store.write() as connection:  # back to the schema before seals
        connection.execute(text("DROP TABLE audit_seal"))
        for column in ("rules_digest", "content_digest"):  # added after seals (0005)
            connection.execute(text(f"ALTER TABLE runs DROP COLUMN {column}"))
        connection.execute(text("DROP TABLE lead_actions"))  # added after seals (0006)
        connection.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    upgraded = open_audited_store(store.engine, audit_key=store.audit_key)
    rows = _rows(upgraded)
    assert rows[-1]["action"] == AuditAction.TRAIL_SEALED and len(rows) == 5
    assert '"sealed_from":4' in str(rows[-1]["detail"])
    result = _verify(upgraded)
    assert result.ok and result.sealed and result.checked == 5
    open_audited_store(store.engine, audit_key=store.audit_key)  # already at head: nothing more
    assert len(_rows(upgraded)) == 5


def test_verifying_while_others_write_finds_nothing_wrong(store: Store) -> None:
    """The chain and the seal are read as of one moment: entries appended meanwhile
    must not look like entries written without the key or cut from the end."""
    _fill(store, 3)
    stop = threading.Event()

    def keep_writing() -> None:
        while not stop.is_set():
            _fill(store, 1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        results = []
        for _ in range(25):
            with store.snapshot() as connection:
                results.append(audit.verify(connection, store.audit_key))
    finally:
        stop.set()
        writer.join()
    assert [r.problem for r in results if not r.ok] == []
    assert results[-1].head_seq > 3
