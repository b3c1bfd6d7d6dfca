"""The analysis engine: one embedded DuckDB connection per run or workspace."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa

MEMORY_LIMIT_ENV = "RELOOK_ENGINE_MEMORY"
MIN_MEMORY_LIMIT_GB = 3
SPILL_DIR_NAME = "relook-duckdb-spill"


def memory_limit() -> str:
    """DuckDB's memory cap: `RELOOK_ENGINE_MEMORY` (e.g. "8GB") when set, else half of
    the machine's memory, at least 3 GB.

    Beyond the cap DuckDB spills to disk instead of taking the machine down. A fixed
    3 GB made a 150,000-case run spill most of its joins; half the machine leaves room
    for the Python side of the run and for the web app beside it.
    """
    configured = os.environ.get(MEMORY_LIMIT_ENV, "").strip()
    if configured:
        return configured
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return f"{MIN_MEMORY_LIMIT_GB}GB"
    return f"{max(MIN_MEMORY_LIMIT_GB, total // 2 // 1024**3)}GB"


def connect(path: Path | None = None, *, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open the analysis database (in memory when `path` is None).

    Memory is capped (`memory_limit`); what does not fit spills into the system's
    temporary folder, never into the folder relook was started from (DuckDB's default,
    `.tmp` beside the user's files) - DuckDB removes its files when the connection closes.
    """
    con = duckdb.connect(str(path) if path else ":memory:")
    con.execute(f"SET threads = {threads or os.cpu_count() or 2}")
    con.execute(f"SET memory_limit = {sql_literal(memory_limit())}")
    spill = Path(tempfile.gettempdir()) / SPILL_DIR_NAME
    con.execute(f"SET temp_directory = {sql_literal(str(spill))}")
    # Row order matters for quarantine row numbers and for deterministic output files.
    con.execute("SET preserve_insertion_order = true")
    return con


def quote_ident(name: str) -> str:
    """Quote a column or table name for DuckDB SQL (names come from user files)."""
    return '"' + name.replace('"', '""') + '"'


def sql_literal(value: str) -> str:
    """A SQL string literal, for values that come from mapping files."""
    return "'" + value.replace("'", "''") + "'"


@contextlib.contextmanager
def arrow_view(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[None]:
    """`table` (built in Python) readable in SQL as `name` while the block runs.

    DuckDB scans the Arrow memory in place; the name is dropped however the block ends,
    so a failed stage leaves no view behind on a connection that lives on.
    """
    con.register(name, table)
    try:
        yield
    finally:
        con.unregister(name)


def create_table_from_arrow(
    con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, *, temp: bool = False
) -> None:
    """Copy an Arrow table into the engine as table `name` (replacing any before it)."""
    view = f"{name}_arrow"
    kind = "TEMP TABLE" if temp else "TABLE"
    with arrow_view(con, view, table):
        con.execute(f"CREATE OR REPLACE {kind} {name} AS SELECT * FROM {view}")
