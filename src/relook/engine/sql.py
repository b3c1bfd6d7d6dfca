"""Small helpers for running SQL on the analysis connection."""

from __future__ import annotations

from typing import Any

import duckdb


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """The first column of the first row (None when there is no row).

    Fetches every row: DuckDB refuses further work on a connection while an execute()
    result is only partly read.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def count(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> int:
    return int(scalar(con, sql, params) or 0)


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    sql = "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
    return count(con, sql, [name]) > 0


def column_values(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[Any]:
    """The first column of every row (for one-column queries)."""
    return [row[0] for row in con.execute(sql, params or []).fetchall()]


def named_rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    """Every row as a dict keyed by column name, so callers read fields by name."""
    result = con.execute(sql, params or [])
    names = [column[0] for column in result.description or []]
    if len(set(names)) < len(names):
        raise ValueError(f"duplicate column names in {names}: alias them apart")
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def one_row(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> dict[str, Any]:
    """The only row of a query that always returns one (an aggregate), by column name."""
    rows = named_rows(con, sql, params)
    if len(rows) != 1:
        raise LookupError(f"expected one row, got {len(rows)}")
    return rows[0]
