"""The analysis engine: one embedded DuckDB connection per run or workspace."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa

DEFAULT_MEMORY_LIMIT = "3GB"


def connect(path: Path | None = None, *, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open the analysis database (in memory when `path` is None).

    Memory is capped below the 4 GB budget of a whole run so that DuckDB spills to disk
    instead of taking the machine down on a large force.
    """
    con = duckdb.connect(str(path) if path else ":memory:")
    con.execute(f"SET threads = {threads or os.cpu_count() or 2}")
    con.execute(f"SET memory_limit = '{DEFAULT_MEMORY_LIMIT}'")
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
