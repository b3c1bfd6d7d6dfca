"""Which run the review shows, and the list of imported runs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from relook.store.tables import runs


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    sequence: int
    started_at: str | None
    imported_at: str
    n_cases: int
    n_in_scope: int
    has_priorities: bool
    has_leads: bool
    has_language: bool
    relook_version: str | None = None
    rules_version: str | None = None
    rules_digest: str | None = None
    content_digest: str | None = None
    document: str = "{}"

    @property
    def counts(self) -> dict[str, Any]:
        counts: dict[str, Any] = json.loads(self.document).get("counts", {})
        return counts


_SUMMARY = (
    runs.c.run_id,
    runs.c.sequence,
    runs.c.started_at,
    runs.c.imported_at,
    runs.c.n_cases,
    runs.c.n_in_scope,
    runs.c.has_priorities,
    runs.c.has_leads,
    runs.c.has_language,
)


_LATEST = (
    select(*_SUMMARY).where(runs.c.status == "complete").order_by(runs.c.sequence.desc()).limit(1)
)


def latest_run(connection: Connection) -> RunInfo | None:
    """The latest complete run: the one the queue and case pages show."""
    row = connection.execute(_LATEST).first()
    return RunInfo(**row._mapping) if row else None


def list_runs(connection: Connection) -> list[RunInfo]:
    rows = connection.execute(select(runs).order_by(runs.c.sequence.desc()))
    return [RunInfo(**{k: v for k, v in row._mapping.items() if k != "status"}) for row in rows]
