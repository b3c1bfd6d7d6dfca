"""The engine helpers stages share: rows by name, Arrow tables in, dialect snippets."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from relook.engine.dialect import distinct_joined
from relook.engine.duckdb_engine import (
    MEMORY_LIMIT_ENV,
    arrow_view,
    connect,
    create_table_from_arrow,
    memory_limit,
)
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


def test_memory_cap_follows_the_environment_and_spills_outside_the_working_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "1GB")
    con = connect()
    [(limit, spill)] = con.execute(
        "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
    ).fetchall()
    assert limit in {"953.6 MiB", "1.0 GiB", "1000.0 MB"}
    assert not Path(spill).resolve().is_relative_to(tmp_path)
    # a join larger than the cap spills there, and nothing is left in the working folder
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "60MB")
    con = connect(threads=1)
    [(n,)] = con.execute(
        "SELECT count(*) FROM (SELECT range % 1000000 AS k, repeat('x', 40) AS v"
        " FROM range(3000000)) a JOIN (SELECT range AS k FROM range(1000000)) b USING (k)"
    ).fetchall()
    assert n == 3_000_000
    assert list(tmp_path.iterdir()) == []


def test_memory_cap_defaults_to_half_the_machine_at_least_three_gigabytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(MEMORY_LIMIT_ENV, raising=False)
    gigabytes = int(memory_limit().removesuffix("GB"))
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 1024**3
    assert gigabytes >= 3
    assert gigabytes == max(3, total // 2)
