"""A workspace: one folder holding what outlives a run.

`relook.db` is the operational store (SQLite; or the PostgreSQL database named by
`RELOOK_DATABASE_URL`): users, the results of each run, assessments, analysts'
must-link / cannot-link judgements (honoured by every later run) and the audit log.
`analysis.duckdb` is the analysis database of the latest completed run (for
explanations); `runs/` keeps each run's `run.json`. `secret.key` and `audit.key` are the
server's keys (`relook.security.keys`).

Judgements used to be an append-only file, `judgements.jsonl`; a workspace that still
has one has it copied into the store on first use (the file is then renamed
`judgements.jsonl.imported`, never deleted).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from relook.errors import RelookError
from relook.pipeline.resolve import Judgement, JudgementKind
from relook.review import judgements
from relook.security.audit import Actor
from relook.security.keys import load_audit_key
from relook.store.engine import DATABASE_URL_ENV, STORE_FILE, Store, open_store, store_url_for

JUDGEMENT_KINDS = tuple(JudgementKind)


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def judgements_path(self) -> Path:
        """The legacy judgements file (imported into the store when found)."""
        return self.root / "judgements.jsonl"

    @property
    def analysis_path(self) -> Path:
        return self.root / "analysis.duckdb"

    @property
    def model_path(self) -> Path:
        """The resolution model of the latest completed run (reusable with --model)."""
        return self.root / "resolution-model.json"

    @property
    def runs_dir(self) -> Path:
        return self.root / "runs"

    @property
    def store_path(self) -> Path:
        """The SQLite store file (unused when `RELOOK_DATABASE_URL` names another store)."""
        return self.root / STORE_FILE

    @property
    def store_url(self) -> str:
        return store_url_for(self.root)

    @property
    def store_description(self) -> str:
        """Where the store is, for messages (a PostgreSQL URL without its password)."""
        if os.environ.get(DATABASE_URL_ENV, "").strip():
            return make_url(self.store_url).render_as_string(hide_password=True)
        return str(self.store_path)

    def ensure(self) -> Workspace:
        self.root.mkdir(parents=True, exist_ok=True)
        return self

    def open_store(self) -> Store:
        """The workspace's store, migrated to the current schema; the caller disposes it."""
        self.ensure()
        store = open_store(self.store_url, audit_key=load_audit_key(self.root))
        self._import_legacy_judgements(store)
        return store

    def _has_store(self) -> bool:
        return bool(os.environ.get(DATABASE_URL_ENV, "").strip()) or self.store_path.exists()

    def record_judgement(
        self, record_a: str, record_b: str, kind: str, *, by: str, reason: str
    ) -> Judgement:
        """Append one decision to the store; earlier ones are never changed."""
        if kind not in JUDGEMENT_KINDS:
            raise RelookError(f"judgement kind must be one of {', '.join(JUDGEMENT_KINDS)}")
        if not reason.strip():
            raise RelookError("a judgement needs a reason")
        try:
            Judgement(record_a, record_b, kind)  # type: ignore[arg-type]
        except ValueError as exc:
            raise RelookError(str(exc)) from None
        store = self.open_store()
        try:
            with store.write() as connection:
                return judgements.record(
                    connection,
                    record_a,
                    record_b,
                    kind,
                    by=Actor(None, by.strip() or "unknown", None),
                    reason=reason,
                    context="relook judge",
                )
        finally:
            store.dispose()

    def judgements(self) -> list[Judgement]:
        """Every decision in the order made (the resolver lets a later one win)."""
        if not self._has_store() and not self.judgements_path.exists():
            return []
        store = self.open_store()
        try:
            with store.read() as connection:
                return judgements.all_judgements(connection)
        finally:
            store.dispose()

    def _import_legacy_judgements(self, store: Store) -> None:
        legacy = self.judgements_path
        if not legacy.exists():
            return
        entries = []
        for number, line in enumerate(legacy.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise RelookError(
                    f"{legacy}: line {number} is not a valid judgement ({exc})"
                ) from None
        with store.write() as connection:
            for entry in entries:
                try:
                    judgements.record(
                        connection,
                        entry["record_a"],
                        entry["record_b"],
                        entry["kind"],
                        by=Actor(None, str(entry.get("by") or "unknown"), None),
                        reason=str(entry.get("reason") or "imported from judgements.jsonl"),
                        context=f"judgements.jsonl ({entry.get('at', 'undated')})",
                    )
                except (KeyError, RelookError) as exc:
                    raise RelookError(f"{legacy}: not a valid judgement ({exc})") from None
        legacy.rename(legacy.with_name(legacy.name + ".imported"))
