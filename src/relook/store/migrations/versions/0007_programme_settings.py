"""Programme settings: the review's start, the deadline for initial assessments and the
weekly target, which the programme dashboard measures progress against.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programme_settings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("start_on", sa.String(length=10), nullable=True),
        sa.Column("deadline", sa.String(length=10), nullable=True),
        sa.Column("weekly_target", sa.Integer(), nullable=True),
        sa.Column("updated_by", sa.String(length=120), nullable=True),
        sa.Column("updated_at", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_settings")),
    )


def downgrade() -> None:
    op.drop_table("programme_settings")
