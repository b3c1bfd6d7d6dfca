"""The operational store's connection: one `Store` per process, SQLite or PostgreSQL.

Reads and writes are separated on purpose. On SQLite a transaction that reads first and
writes later fails when another writer committed in between, so `Store.write()` begins
with `BEGIN IMMEDIATE` (the write lock is taken up front and writers queue for it) while
`Store.read()` uses a plain deferred transaction that never blocks anyone (WAL mode).
On PostgreSQL both are ordinary READ COMMITTED transactions.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

DATABASE_URL_ENV = "RELOOK_DATABASE_URL"
STORE_FILE = "relook.db"

_BEGIN_OPTION = "relook_sqlite_begin"
_AUDIT_KEY_OPTION = "relook_audit_key"


def store_url_for(workspace_root: Path) -> str:
    """The store for a workspace: `RELOOK_DATABASE_URL` if set, else `W/relook.db`."""
    configured = os.environ.get(DATABASE_URL_ENV, "").strip()
    if configured:
        return configured
    return f"sqlite:///{(workspace_root / STORE_FILE).resolve()}"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own implicit
        # transactions start too late for the IMMEDIATE behaviour described above).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def create_store_engine(url: str, *, schema: str | None = None) -> Engine:
    """An engine for `url`. `schema` puts every table of a PostgreSQL store in that schema
    (the search path), which the tests use to give each test a fresh store."""
    if url.startswith("sqlite"):
        engine = create_engine(url, pool_size=20, max_overflow=20, pool_timeout=30)
        _configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if schema:
        connect_args["options"] = f"-c search_path={schema}"
    # No pre-ping: it would cost a round trip on every checkout (two per page); stale
    # connections are replaced by recycling them hourly instead.
    return create_engine(
        url, pool_size=20, max_overflow=10, pool_recycle=3600, connect_args=connect_args
    )


def audit_key_of(connection: Connection) -> bytes | None:
    """The audit key of the store whose `write()` opened `connection` (None for a read
    connection, or a store opened without one)."""
    key: bytes | None = connection.get_execution_options().get(_AUDIT_KEY_OPTION)
    return key


@dataclass
class Store:
    """The operational store: users, runs and their results, reviews, judgements, audit.

    `audit_key` seals the audit trail's head (`relook.security.audit`); only connections
    from `write()` carry it, so an audit entry can only be written inside a transaction
    that commits."""

    engine: Engine
    audit_key: bytes | None = field(default=None, repr=False)
    migrations_applied: tuple[str, ...] = ()
    """The migrations that opening this store applied, oldest first."""
    _writer: Engine = field(init=False, repr=False)
    _write_lock: threading.RLock = field(init=False, repr=False, default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self._writer = self.engine.execution_options(
            **{_BEGIN_OPTION: "IMMEDIATE", _AUDIT_KEY_OPTION: self.audit_key}
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading; whatever it did is rolled back at the end."""
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read connection that sees the store as it was at its first query, throughout
        (for reads that must agree with each other while others write, such as checking
        the audit trail against its seal). SQLite's read transactions already do in WAL
        mode; PostgreSQL's READ COMMITTED would see each statement's own moment."""
        with self.engine.connect() as connection:
            if not self.is_sqlite:
                connection.execution_options(isolation_level="REPEATABLE READ")
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction that commits when the block ends without an error."""
        if self.is_sqlite:
            # Writers of one process queue here, on a mutex, rather than in SQLite's busy
            # handler, which sleeps in steps of several milliseconds.
            with self._write_lock, self._writer.begin() as connection:
                yield connection
        else:
            with self._writer.begin() as connection:
                yield connection

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(
    url_or_engine: str | Engine, *, audit_key: bytes | None = None, migrate: bool = True
) -> Store:
    """A `Store` on a URL or an existing engine, with its schema brought up to date.
    Without `audit_key` the store can be read and written but takes no audit entries.

    A store that takes audit entries is opened with `relook.security.audit.open_audited_store`,
    which also seals the head of a trail older than its seal (the store itself knows
    nothing of the audit trail's rules)."""
    engine = create_store_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    if engine.dialect.name == "sqlite" and engine.url.database:
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    store = Store(engine, audit_key)
    if migrate:
        from relook.store.migrate import upgrade

        store.migrations_applied = tuple(upgrade(store.engine))
    return store
