"""Accounts an administrator creates must take a password of their own at first sign-in,
and say who created them; sign-in failures are counted per address as well as per
account, so that an unknown source cannot lock anyone's account.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
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
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch rebuild of `users` would
    # drop a table that others reference, which SQLite refuses with foreign keys on.
    for column in ("created_by", "must_change_password"):
        op.execute(f"ALTER TABLE users DROP COLUMN {column}")
