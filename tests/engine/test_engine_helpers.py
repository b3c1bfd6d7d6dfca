"""The engine helpers stages share: rows by name, Arrow tables in, dialect snippets."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from relook.engine.dialect import distinct_joined
from relook.engine.duckdb_engine import arrow_view, create_table_from_arrow
from relook.engine.sql import column_values, named_rows, one_row


def test_rows_are_read_by_column_name() -> None:
    con = duckdb.connect()
    row = one_row(con, "SELECT 2 AS found, 3 AS planted")
    assert row == {"found": 2, "planted": 3}
    assert named_rows(con, "SELECT 1 AS a WHERE false") == []
    assert column_values(con, "SELECT * FROM range(3)") == [0, 1, 2]


def test_one_row_refuses_none_or_several_and_duplicate_names() -> None:
    con = duckdb.connect()
    with pytest.raises(LookupError):
        one_row(con, "SELECT * FROM range(2)")
    with pytest.raises(ValueError, match="duplicate"):
        one_row(con, "SELECT 1 AS a, 2 AS a")


def test_arrow_view_is_dropped_even_when_the_query_fails() -> None:
    con = duckdb.connect()
    table = pa.table({"x": pa.array([1, 2], pa.int64())})
    with pytest.raises(duckdb.Error), arrow_view(con, "_view", table):
        con.execute("SELECT no_such_column FROM _view")
    with pytest.raises(duckdb.CatalogException):
        con.execute("SELECT * FROM _view")


def test_create_table_from_arrow_copies_and_replaces() -> None:
    con = duckdb.connect()
    create_table_from_arrow(con, "t", pa.table({"x": [1]}))
    create_table_from_arrow(con, "t", pa.table({"x": [2, 3]}))
    create_table_from_arrow(con, "u", pa.table({"x": [4]}), temp=True)
    assert column_values(con, "SELECT x FROM t ORDER BY x") == [2, 3]
    tables = "SELECT table_name, temporary FROM duckdb_tables() ORDER BY 1"
    assert named_rows(con, tables) == [
        {"table_name": "t", "temporary": False},
        {"table_name": "u", "temporary": True},
    ]


def test_distinct_joined_sorts_and_drops_repeats_and_nulls() -> None:
    con = duckdb.connect()
    sql = f"SELECT {distinct_joined('v', ', ')} FROM (VALUES ('b'), ('a'), ('b'), (NULL)) t(v)"
    assert column_values(con, sql) == ["a, b"]
