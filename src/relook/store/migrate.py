"""Bring a store's schema up to date with the migrations shipped in the package.

Every entry point that opens a store (`relook serve`, `relook users`, a run's import)
calls `upgrade`, so a deployment never needs a separate migration step; when the store is
already at the latest revision this costs one small query.
"""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"

AUDIT_SEAL_REVISION = "0004"
"""The migration that adds the audit trail's seal (a trail older than it is sealed once,
by `relook.security.audit.open_audited_store`, which holds the key)."""

RECORD_DIGESTS_REVISION = "0008"
"""The migration from which audit entries carry digests of assessments and sign-offs:
the rows recorded before it are vouched for once, by `open_audited_store`, as they
stand."""

_lock = threading.Lock()


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships a revision
        raise RuntimeError("no migrations found")
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> list[str]:
    """Apply any migration not yet applied (idempotent); returns the revisions applied,
    oldest first."""
    with _lock:
        with engine.connect() as connection:
            current = current_revision(connection)
        if current == head_revision():
            return []
        script = ScriptDirectory.from_config(_config())
        pending = [revision.revision for revision in script.iterate_revisions("head", current)]
        with engine.begin() as connection:
            command.upgrade(_config(connection), "head")
        return pending[::-1]


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` (for testing upgrades from an older store)."""
    with _lock, engine.begin() as connection:
        command.downgrade(_config(connection), revision)
