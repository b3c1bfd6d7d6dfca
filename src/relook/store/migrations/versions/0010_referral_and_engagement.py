"""The referral decision's structured reasons, and each victim's engagement with the
review: two append-only tables, like every human decision.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("assessment_reasons", "victim_engagement")


def upgrade() -> None:
    op.create_table(
        "assessment_reasons",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_reasons_assessment_id_assessments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_reasons")),
    )
    with op.batch_alter_table("assessment_reasons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_reasons_assessment_id"), ["assessment_id"], unique=False
        )
    op.create_table(
        "victim_engagement",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("victim_mention_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("happened_on", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_victim_engagement_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_engagement")),
    )
    with op.batch_alter_table("victim_engagement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_victim_engagement_case_id"), ["case_id"], unique=False)
    for table in TABLES:
        _append_only(table)


def _append_only(table: str) -> None:
    """The same triggers 0001 puts on every table of human decisions."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION relook_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION relook_refuse_change()"
        )
        return
    for operation in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table}"
            f" BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        else:
            for operation in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
    with op.batch_alter_table("victim_engagement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_victim_engagement_case_id"))
    op.drop_table("victim_engagement")
    with op.batch_alter_table("assessment_reasons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_reasons_assessment_id"))
    op.drop_table("assessment_reasons")
