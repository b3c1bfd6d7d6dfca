"""Assessment drafts: what a reviewer has typed and not yet submitted, kept server-side so
that a session that ends loses nothing.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessment_drafts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("saved_at", sa.String(length=40), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_assessment_drafts_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "case_id", name=op.f("pk_assessment_drafts")),
    )


def downgrade() -> None:
    op.drop_table("assessment_drafts")
