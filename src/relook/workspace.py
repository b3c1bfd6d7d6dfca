"""A workspace: one folder holding what outlives a run.

    W/relook.db                 the operational store (SQLite; or the PostgreSQL database
                                named by `RELOOK_DATABASE_URL`): users, every run's results,
                                assessments, judgements, the audit log
    W/runs/<run_id>/            one complete run, never changed once in place:
        outputs/                the contract outputs and run.json
        analysis.duckdb         the analysis database (for explanations)
        resolution-model.json   the resolution model (reusable with `relook run --model`)
    W/current                   the id of the run the review shows (switched by one rename)
    W/run.lock                  held while a run writes into the workspace
    W/secret.key, W/audit.key   the server's keys (`relook.security.keys`)

A run is written in a hidden folder under `runs/` and renamed into place whole; the
store's import is the moment it becomes the run the review shows, and `current` follows
(`relook.runs` says what a kill at each moment leaves).

Workspaces made before runs had folders keep `analysis.duckdb` and
`resolution-model.json` at the top: they are read until the first new run.

Judgements used to be an append-only file, `judgements.jsonl`; a workspace that still
has one has it copied into the store on first use (the file is then renamed
`judgements.jsonl.imported`, never deleted).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

from relook import atomic
from relook.errors import RelookError
from relook.pipeline.resolve import Judgement, JudgementKind
from relook.review import judgements
from relook.security.audit import Actor, open_audited_store
from relook.security.keys import load_audit_key
from relook.store.engine import DATABASE_URL_ENV, STORE_FILE, Store, store_url_for

RUN_OUTPUTS_DIR = "outputs"
ANALYSIS_FILE = "analysis.duckdb"
MODEL_FILE = "resolution-model.json"
_PARTIAL_PREFIX = ".partial-"

# Migrating once per process: every later `Workspace.store()` on the same URL skips the
# schema check (a query and Alembic's start-up on each command otherwise).
_MIGRATED: set[str] = set()


class WorkspaceBusy(RelookError):
    """Another run holds the workspace."""


JUDGEMENT_KINDS = tuple(JudgementKind)


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def judgements_path(self) -> Path:
        """The legacy judgements file (imported into the store when found)."""
        return self.root / "judgements.jsonl"

    @property
    def runs_dir(self) -> Path:
        return self.root / "runs"

    def run_dir(self, run_id: str) -> Path:
        return self.runs_dir / run_id

    @property
    def current_path(self) -> Path:
        return self.root / "current"

    @property
    def lock_path(self) -> Path:
        return self.root / "run.lock"

    def current_run_id(self) -> str | None:
        """The run the review shows, as last switched (None before the first run)."""
        try:
            text = self.current_path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return text or None

    def set_current(self, run_id: str) -> None:
        atomic.write_text(self.current_path, run_id + "\n")

    def analysis_path_of(self, run_id: str | None) -> Path:
        """The analysis database of `run_id` (of a workspace made before run folders when
        that run has none)."""
        if run_id is not None and self.run_dir(run_id).is_dir():
            return self.run_dir(run_id) / ANALYSIS_FILE
        return self.root / ANALYSIS_FILE

    @property
    def analysis_path(self) -> Path:
        """The analysis database of the current run."""
        return self.analysis_path_of(self.current_run_id())

    @property
    def model_path(self) -> Path:
        """The resolution model of the current run (reusable with --model)."""
        return self.analysis_path.with_name(MODEL_FILE)

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

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The workspace's store, migrated to the current schema (once per process), with
        the audit key; disposed of when the block ends."""
        self.ensure()
        url = self.store_url
        store = open_audited_store(
            url, audit_key=load_audit_key(self.root), migrate=url not in _MIGRATED
        )
        _MIGRATED.add(url)
        try:
            self._import_legacy_judgements(store)
            yield store
        finally:
            store.dispose()

    @contextmanager
    def run_lock(self, purpose: str) -> Iterator[None]:
        """Hold the workspace for one run; a second run is refused with who holds it."""
        self.ensure()
        handle = self.lock_path.open("a+", encoding="utf-8")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise WorkspaceBusy(
                    f"{self.root}: another run is using this workspace"
                    f" ({_holder(handle)}); wait for it to finish, or use another workspace"
                ) from None
            _record_holder(handle, purpose)
            yield
        finally:
            handle.close()  # closing releases the lock, even after kill -9

    def _has_store(self) -> bool:
        return bool(os.environ.get(DATABASE_URL_ENV, "").strip()) or self.store_path.exists()

    def new_run_folder(self) -> Path:
        """A hidden folder under runs/ for a run being written (unique name)."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        folder = self.runs_dir / f"{_PARTIAL_PREFIX}{uuid.uuid4().hex}"
        folder.mkdir()
        return folder

    def remove_unfinished_runs(self) -> list[Path]:
        """Folders left by runs that were killed while writing (call under `run_lock`)."""
        if not self.runs_dir.is_dir():
            return []
        left = sorted(self.runs_dir.glob(f"{_PARTIAL_PREFIX}*"))
        for folder in left:
            shutil.rmtree(folder, ignore_errors=True)
        return left

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
        with self.store() as store, store.write() as connection:
            return judgements.record(
                connection,
                record_a,
                record_b,
                kind,
                by=Actor(None, by.strip() or "unknown", None),
                reason=reason,
                context="relook judge",
            )

    def judgements(self) -> list[Judgement]:
        """Every decision in the order made (the resolver lets a later one win)."""
        if not self._has_store() and not self.judgements_path.exists():
            return []
        with self.store() as store, store.read() as connection:
            return judgements.all_judgements(connection)

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


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    try:
        held = json.loads(handle.read() or "{}")
    except json.JSONDecodeError:
        return "holder unknown"
    purpose, pid, since = (held.get(k, "?") for k in ("purpose", "pid", "since"))
    return f"{purpose}, process {pid}, since {since}"


def _record_holder(handle: IO[str], purpose: str) -> None:
    handle.seek(0)
    handle.truncate()
    since = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    handle.write(json.dumps({"purpose": purpose, "pid": os.getpid(), "since": since}))
    handle.flush()
