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
