"""Accounts an administrator creates must take a password of their own at first sign-in,
and say who created them; sign-in failures are counted per address as well as per
account, so that an unknown source cannot lock anyone's account.

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
    # Plain ADD COLUMN (SQLite takes it with a constant default); a batch of two added
    # columns trips Alembic's table rebuild.
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("users", sa.Column("created_by", sa.String(length=120), nullable=True))
    op.create_table(
        "login_throttle",
        sa.Column("client", sa.String(length=64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.Integer(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("created_by")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
