"""Shared by the store, security, web and browser tests: a small force run through the
real pipeline once per session, and fresh stores on SQLite and PostgreSQL.

PostgreSQL tests run against `RELOOK_TEST_POSTGRES_URL` (default: the local server on
127.0.0.1:5432, database `test`), each in a schema of its own that is dropped afterwards.
If the server cannot be reached the tests fail, unless `RELOOK_SKIP_POSTGRES=1`.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from relook.review.run_import import import_run
from relook.runs import run_force
from relook.security import accounts
from relook.security.accounts import User
from relook.security.audit import SYSTEM
from relook.security.policy import Role
from relook.store.engine import DATABASE_URL_ENV, Store, create_store_engine, open_store
from relook.synth import generate
from relook.workspace import Workspace

POSTGRES_URL = os.environ.get(
    "RELOOK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SKIP_POSTGRES = os.environ.get("RELOOK_SKIP_POSTGRES") == "1"
BACKENDS = ("sqlite", "postgresql")
PASSWORD = "correct horse battery staple"
WORLD_CASES = 300
WORLD_SEED = 7
AUDIT_KEY = b"test audit key, never used outside the tests"


@dataclass(frozen=True)
class World:
    """A workspace after one real run: analysis database and run document."""

    workspace: Path
    run_id: str
    document: dict[str, Any]

    @property
    def analysis(self) -> Path:
        return Workspace(self.workspace).analysis_path_of(self.run_id)


@contextmanager
def _without_env(name: str) -> Iterator[None]:
    saved = os.environ.pop(name, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[name] = saved


def build_world(base: Path) -> World:
    """Generate and run a small force into `base` once; later calls reuse it."""
    workspace = base / "workspace"
    done = base / "world.json"
    if not done.exists():
        force = base / "force"
        generate(force, cases=WORLD_CASES, seed=WORLD_SEED)
        with _without_env(DATABASE_URL_ENV):
            report = run_force(force, base / "out", workspace=Workspace(workspace))
        done.write_text(json.dumps({"run_id": report.run_id}), encoding="utf-8")
    run_id = json.loads(done.read_text(encoding="utf-8"))["run_id"]
    run_json = Workspace(workspace).run_dir(run_id) / "outputs" / "run.json"
    document = json.loads(run_json.read_text(encoding="utf-8"))
    return World(workspace, run_id, document)


def world_for_session(tmp_path_factory: pytest.TempPathFactory) -> World:
    """One world per test session, whichever test folder asks first."""
    base = tmp_path_factory.getbasetemp() / "review-world"
    base.mkdir(exist_ok=True)
    return build_world(base)


@contextmanager
def cheap_password_hashing() -> Iterator[None]:
    """Argon2 with the smallest cost: tests create and sign in many accounts, and the
    production cost (about a quarter of a second per hash) would dominate their time."""
    from argon2 import PasswordHasher

    from relook.security import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", cheap)
        patch.setattr(passwords, "_DUMMY_HASH", cheap.hash("dummy password"))
        yield


def _postgres_reachable() -> None:
    if SKIP_POSTGRES:
        pytest.skip("RELOOK_SKIP_POSTGRES=1")
    try:
        with create_engine(POSTGRES_URL).connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({exc.orig}); start it, or set"
            " RELOOK_SKIP_POSTGRES=1 to skip the PostgreSQL half of the store tests"
        )


@contextmanager
def fresh_store(backend: str, directory: Path) -> Iterator[Store]:
    """An empty, migrated store: a new SQLite file, or a new PostgreSQL schema."""
    if backend == "sqlite":
        store = open_store(
            create_store_engine(f"sqlite:///{directory / 'relook.db'}"), audit_key=AUDIT_KEY
        )
        try:
            yield store
        finally:
            store.dispose()
        return
    _postgres_reachable()
    schema = f"relook_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    store = open_store(create_store_engine(POSTGRES_URL, schema=schema), audit_key=AUDIT_KEY)
    try:
        yield store
    finally:
        store.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def import_world(store: Store, world: World, run_id: str | None = None) -> str:
    run_id = run_id or world.run_id
    document = {**world.document, "run_id": run_id}
    import_run(store, world.analysis, run_id, document)
    return run_id


def add_users(store: Store, names: dict[str, Role] | None = None) -> dict[str, User]:
    """One account per role (named after it) unless `names` says otherwise."""
    wanted = names or {role.value: role for role in Role}
    created = {}
    with store.write() as connection:
        for name, role in wanted.items():
            created[name] = accounts.create_user(connection, name, role, PASSWORD, by=SYSTEM)
    return created
