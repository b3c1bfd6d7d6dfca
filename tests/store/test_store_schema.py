"""The store's schema: migrations, append-only tables (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError

from relook.store.engine import Store, open_store
from relook.store.migrate import current_revision, head_revision
from relook.store.tables import (
    APPEND_ONLY_TABLES,
    assessment_reasons,
    assessments,
    assignments,
    judgements,
    lead_actions,
    metadata,
    signoffs,
    users,
    victim_engagement,
)


def test_migrations_reach_head_and_are_idempotent(store: Store) -> None:
    with store.read() as connection:
        assert current_revision(connection) == head_revision()
    again = open_store(store.engine)  # a second upgrade is a no-op
    with again.read() as connection:
        assert current_revision(connection) == head_revision()


def test_migrations_build_the_schema_the_code_declares(store: Store) -> None:
    """relook.store.tables and the migrations describe the same tables, columns and
    indexes: a table added to one and not the other fails here, not in production."""
    with store.read() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def _seed_rows(store: Store) -> None:
    with store.write() as connection:
        user_id = connection.execute(
            insert(users)
            .values(username="u", role="reviewer", password_hash="x", active=True,
                    created_at=0, failed_logins=0)
            .returning(users.c.id)
        ).scalar_one()  # fmt: skip
        connection.execute(
            insert(assignments).values(
                case_id="C1", assignee_id=user_id, assigned_by=user_id, at="t"
            )
        )
        connection.execute(
            insert(judgements).values(
                record_a="M1", record_b="M2", kind="must_link", by_name="a", reason="r", at="t"
            )
        )
        connection.execute(
            insert(lead_actions).values(
                case_id="C1", lead_id="L1", action="raised", reason="", user_id=user_id, at="t"
            )
        )
        answers = {f"{k}_{p}": "yes" if p == "answer" else "" for k in
                   ("enquiry", "risk", "safeguarding", "justice") for p in ("answer", "notes")}  # fmt: skip
        assessment_id = connection.execute(
            insert(assessments).values(
                case_id="C1", version=1, author_id=user_id, at="t", decision="reinvestigate",
                rationale="r", **answers,
            ).returning(assessments.c.id)
        ).scalar_one()  # fmt: skip
        connection.execute(
            insert(signoffs).values(
                assessment_id=assessment_id, case_id="C1", version=1, supervisor_id=user_id,
                outcome="approved", comment="", at="t",
            )
        )  # fmt: skip
        connection.execute(
            insert(assessment_reasons).values(assessment_id=assessment_id, reason="safeguarding")
        )
        connection.execute(
            insert(victim_engagement).values(
                case_id="C1", victim_mention_id="M1", status="agrees", happened_on="2026-11-30",
                note="", user_id=user_id, recorded_at="t",
            )
        )  # fmt: skip


@pytest.mark.parametrize("table", [t for t in APPEND_ONLY_TABLES if t != "audit_log"])
@pytest.mark.parametrize("statement", ["UPDATE {t} SET id = id", "DELETE FROM {t}"])
def test_decision_tables_refuse_update_and_delete(store: Store, table: str, statement: str) -> None:
    _seed_rows(store)
    with pytest.raises(DBAPIError, match="append-only"), store.write() as connection:
        connection.execute(text(statement.format(t=table)))
