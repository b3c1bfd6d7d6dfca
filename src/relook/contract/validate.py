"""Validation: every raw row is either accepted or quarantined with its reasons.

Checks run as SQL in the analysis engine (one query per table, not a Python loop per
row), so that they scale with the engine. For a table `t` the raw rows are in `raw_t`
(all text, with `_file` and `_row`); this module creates `accepted_t` and appends one
row to `quarantine` for each problem (a row with two bad cells gets two entries, and is
counted once as a rejected row).

Order matters for references: cases first, then people (whose case must be accepted),
then vehicles and locations (whose case, and person if named, must be accepted).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from relook.contract.mapping import Mapping
from relook.contract.readers import FILE_COLUMN, ROW_COLUMN, RowProblem
from relook.contract.schema import Column, ColumnType, Table
from relook.engine.duckdb_engine import quote_ident, sql_literal
from relook.engine.sql import table_exists

TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")
DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)
PARTIAL_DATE_REGEX = r"(\d{4})(-(\d{1,2})(-(\d{1,2}))?)?"

QUARANTINE_DDL = """
CREATE TABLE IF NOT EXISTS quarantine (
    "table" VARCHAR, file VARCHAR, row_number BIGINT, "column" VARCHAR,
    value VARCHAR, error VARCHAR
)
"""


@dataclass(frozen=True)
class Reference:
    """`column` of this table must name an accepted row of `target_table`."""

    column: str
    target_table: str
    target_column: str


REFERENCES: dict[str, tuple[Reference, ...]] = {
    "people": (Reference("case_id", "cases", "case_id"),),
    "vehicles": (
        Reference("case_id", "cases", "case_id"),
        Reference("mention_id", "people", "mention_id"),
    ),
    "locations": (
        Reference("case_id", "cases", "case_id"),
        Reference("mention_id", "people", "mention_id"),
    ),
    "notes": (Reference("case_id", "cases", "case_id"),),
    "missing_episodes": (),
    "cases": (),
}


def date_parse_sql(column_sql: str, formats: list[str]) -> str:
    """SQL for the first format that parses, as a TIMESTAMP (NULL when none does)."""
    attempts = ", ".join(f"try_strptime({column_sql}, {sql_literal(f)})" for f in formats)
    return f"coalesce({attempts})" if len(formats) > 1 else attempts


def datetime_formats(mapping: Mapping, table: str, column: str) -> list[str]:
    own = [f for f in mapping.formats_for(table, column) if f != "%Y-%m-%d"]
    return [*own, *DATETIME_FORMATS]


def partial_date_valid_sql(column_sql: str, formats: list[str]) -> str:
    """A partial date of birth: YYYY, YYYY-MM or a full date in any declared format."""
    year = f"try_cast(regexp_extract({column_sql}, '^{PARTIAL_DATE_REGEX}$', 1) AS INT)"
    month = (
        f"try_cast(nullif(regexp_extract({column_sql}, '^{PARTIAL_DATE_REGEX}$', 3), '') AS INT)"
    )
    shape = f"regexp_full_match({column_sql}, '{PARTIAL_DATE_REGEX}')"
    full = date_parse_sql(column_sql, formats)
    return (
        f"({full} IS NOT NULL OR ({shape} AND {year} BETWEEN 1900 AND 2100"
        f" AND (coalesce({month}, 1) BETWEEN 1 AND 12)"
        f" AND NOT regexp_full_match({column_sql}, '\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}')))"
    )


def _problem_sql(table: Table, column: Column, mapping: Mapping) -> list[tuple[str, str]]:
    """(predicate that marks a bad value, readable error) pairs for one column."""
    col = quote_ident(column.name)
    checks: list[tuple[str, str]] = []
    if column.required:
        checks.append((f"{col} IS NULL", "required value is blank"))
    if column.type is ColumnType.DATE:
        formats = mapping.formats_for(table.name, column.name)
        shown = " or ".join(formats).replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD")
        checks.append(
            (
                f"{col} IS NOT NULL AND {date_parse_sql(col, formats)} IS NULL",
                f"not a valid date (expected {shown})",
            )
        )
    elif column.type is ColumnType.PARTIAL_DATE:
        formats = mapping.formats_for(table.name, column.name)
        checks.append(
            (
                f"{col} IS NOT NULL AND NOT {partial_date_valid_sql(col, formats)}",
                "not a valid date of birth (expected YYYY, YYYY-MM or YYYY-MM-DD)",
            )
        )
    elif column.type is ColumnType.DATETIME:
        formats = datetime_formats(mapping, table.name, column.name)
        checks.append(
            (
                f"{col} IS NOT NULL AND {date_parse_sql(col, formats)} IS NULL",
                "not a valid date and time (expected YYYY-MM-DDTHH:MM)",
            )
        )
    elif column.type is ColumnType.INT:
        checks.append(
            (f"{col} IS NOT NULL AND try_cast({col} AS BIGINT) IS NULL", "not a whole number")
        )
        if column.int_range:
            low, high = column.int_range
            checks.append(
                (
                    f"try_cast({col} AS BIGINT) NOT BETWEEN {low} AND {high}",
                    f"outside the allowed range {low}–{high}",
                )
            )
    elif column.type is ColumnType.BOOL:
        words = ", ".join(sql_literal(w) for w in (*TRUE_WORDS, *FALSE_WORDS))
        checks.append((f"{col} IS NOT NULL AND lower({col}) NOT IN ({words})", "not true or false"))
    if column.allowed:
        allowed = sorted(column.allowed)
        listed = ", ".join(sql_literal(v.lower()) for v in allowed)
        checks.append(
            (
                f"{col} IS NOT NULL AND lower({col}) NOT IN ({listed})",
                f"not one of the allowed values ({', '.join(allowed)})",
            )
        )
    return checks


def _record(
    con: duckdb.DuckDBPyConnection, table: str, source: str, column: str, predicate: str, error: str
) -> None:
    con.execute(
        f"""INSERT INTO quarantine
        SELECT {sql_literal(table)}, {FILE_COLUMN}, {ROW_COLUMN}, {sql_literal(column)},
               {quote_ident(column)}::VARCHAR, {sql_literal(error)}
        FROM {source} WHERE {predicate}"""
    )


def record_row_problems(
    con: duckdb.DuckDBPyConnection, table: str, problems: list[RowProblem]
) -> None:
    """Rows the reader could not split into columns go straight to quarantine."""
    if problems:
        con.executemany(
            "INSERT INTO quarantine VALUES (?, ?, ?, '(row)', ?, ?)",
            [(table, p.file, p.row, p.value, p.error) for p in problems],
        )


def _rejected_rows_sql(table: str) -> str:
    return f'SELECT DISTINCT file, row_number FROM quarantine WHERE "table" = {sql_literal(table)}'


def _without_rejected(table: str, source: str) -> str:
    return (
        f"SELECT s.* FROM {source} s ANTI JOIN ({_rejected_rows_sql(table)}) q"
        f" ON s.{FILE_COLUMN} = q.file AND s.{ROW_COLUMN} = q.row_number"
    )


def validate_table(con: duckdb.DuckDBPyConnection, table: Table, mapping: Mapping) -> None:
    """Create `accepted_<table>` from `raw_<table>`, quarantining every bad row."""
    con.execute(QUARANTINE_DDL)
    raw = f"raw_{table.name}"
    for column in table.columns:
        for predicate, error in _problem_sql(table, column, mapping):
            _record(con, table.name, raw, column.name, predicate, error)

    # Among rows with valid cells, a repeated id keeps its first row and rejects the others.
    id_col = quote_ident(table.id_column)
    con.execute(f"CREATE OR REPLACE TEMP VIEW _cells_ok AS {_without_rejected(table.name, raw)}")
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW _ranked AS SELECT *,
            row_number() OVER (PARTITION BY {id_col} ORDER BY {ROW_COLUMN}, {FILE_COLUMN}) AS _n,
            first_value({FILE_COLUMN} || ' row ' || {ROW_COLUMN}) OVER (
                PARTITION BY {id_col} ORDER BY {ROW_COLUMN}, {FILE_COLUMN}) AS _first
            FROM _cells_ok"""
    )
    con.execute(
        f"""INSERT INTO quarantine
        SELECT {sql_literal(table.name)}, {FILE_COLUMN}, {ROW_COLUMN},
               {sql_literal(table.id_column)}, {id_col},
               'duplicate {table.id_column} (first seen at ' || _first || ')'
        FROM _ranked WHERE _n > 1"""
    )

    for ref in REFERENCES[table.name]:
        ref_col = quote_ident(ref.column)
        target = f"accepted_{ref.target_table}"
        predicate = f"{ref_col} IS NOT NULL"
        if table_exists(con, target):
            predicate += (
                f" AND {ref_col} NOT IN (SELECT {quote_ident(ref.target_column)} FROM {target}"
                f" WHERE {quote_ident(ref.target_column)} IS NOT NULL)"
            )
        error = (
            f"{ref.column} does not match an accepted row of {ref.target_table}"
            " (unknown, or that row was quarantined)"
        )
        _record(
            con, table.name, f"({_without_rejected(table.name, raw)})", ref.column, predicate, error
        )

    con.execute(
        f"CREATE OR REPLACE TABLE accepted_{table.name} AS {_without_rejected(table.name, raw)}"
    )
    con.execute("DROP VIEW IF EXISTS _ranked")
    con.execute("DROP VIEW IF EXISTS _cells_ok")
