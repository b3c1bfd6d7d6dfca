"""Indexes that also cover each query's order: the queue's (rank, then case id) per
scope, and a network's cases by case id (and a column an early draft of 0001 lacked).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Stores made by an early draft of revision 0001 lack this column; add it there.
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("run_language")}
    if "source_table" not in columns:
        op.add_column("run_language", sa.Column("source_table", sa.String(length=40)))
    op.drop_index("ix_run_cases_run_id_network_id", table_name="run_cases")
    op.create_index(
        "ix_run_cases_run_id_network_id_case_id", "run_cases", ["run_id", "network_id", "case_id"]
    )
    op.drop_index("ix_run_cases_run_id_in_scope_wider_queue_rank", table_name="run_cases")
    op.create_index(
        "ix_run_cases_run_id_in_scope_wider_queue_rank_case_id",
        "run_cases",
        ["run_id", "in_scope_wider", "queue_rank", "case_id"],
    )
    op.create_index(
        "ix_run_cases_run_id_in_scope_narrower_queue_rank_case_id",
        "run_cases",
        ["run_id", "in_scope_narrower", "queue_rank", "case_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_run_cases_run_id_network_id_case_id", "run_cases")
    op.create_index("ix_run_cases_run_id_network_id", "run_cases", ["run_id", "network_id"])
    op.drop_index("ix_run_cases_run_id_in_scope_narrower_queue_rank_case_id", "run_cases")
    op.drop_index("ix_run_cases_run_id_in_scope_wider_queue_rank_case_id", "run_cases")
    op.create_index(
        "ix_run_cases_run_id_in_scope_wider_queue_rank",
        "run_cases",
        ["run_id", "in_scope_wider", "queue_rank"],
    )
