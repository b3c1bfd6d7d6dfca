"""Staging: raw text rows into the engine, and accepted rows into typed contract tables.

`raw_<t>`: every contract column as trimmed text (blank → NULL, mapped values translated),
columns the contract does not know kept beside them, plus `_file` and `_row`.
`<t>`: the accepted rows with real types (DATE, TIMESTAMP, INTEGER, BOOLEAN), lower-case
enumerations, a date of birth split into year / month / day with its precision, and the
force's extra columns packed into one JSON column `extra` so that nothing is dropped.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from relook.contract.mapping import Mapping
from relook.contract.readers import FILE_COLUMN, ROW_COLUMN
from relook.contract.schema import ColumnType, Table
from relook.contract.validate import (
    PARTIAL_DATE_REGEX,
    TRUE_WORDS,
    date_formats,
    date_parse_sql,
    datetime_formats,
)
from relook.engine.duckdb_engine import quote_ident, sql_literal

BOOKKEEPING = (FILE_COLUMN, ROW_COLUMN)


def _translated(column_sql: str, translations: dict[str, str]) -> str:
    if not translations:
        return column_sql
    cases = " ".join(
        f"WHEN {sql_literal(k.strip().lower())} THEN {sql_literal(v)}"
        for k, v in translations.items()
    )
    return f"CASE lower({column_sql}) {cases} ELSE {column_sql} END"


def stage_raw(
    con: duckdb.DuckDBPyConnection, table: Table, data: pa.Table | None, mapping: Mapping
) -> list[str]:
    """Create `raw_<table>`; returns the names of the extra (non-contract) columns."""
    table_map = mapping.for_table(table.name)
    if data is None:
        columns = ", ".join(f"NULL::VARCHAR AS {quote_ident(c)}" for c in table.column_names)
        con.execute(
            f"CREATE OR REPLACE TABLE raw_{table.name} AS SELECT {columns},"
            f" NULL::VARCHAR AS {FILE_COLUMN}, NULL::BIGINT AS {ROW_COLUMN} LIMIT 0"
        )
        return []
    con.register("_arrow_input", data)
    present = set(data.column_names)
    selects = []
    for name in table.column_names:
        expr = "NULL::VARCHAR"
        if name in present:
            cleaned = f"nullif(trim({quote_ident(name)}), '')"
            expr = _translated(cleaned, table_map.values.get(name, {}))
        if table.name == "cases" and name == "force" and mapping.force:
            expr = f"coalesce({expr}, {sql_literal(mapping.force)})"
        selects.append(f"{expr} AS {quote_ident(name)}")
    extras = [c for c in data.column_names if c not in table.column_names and c not in BOOKKEEPING]
    selects.extend(quote_ident(c) for c in extras)
    con.execute(
        f"CREATE OR REPLACE TABLE raw_{table.name} AS SELECT {', '.join(selects)},"
        f" {FILE_COLUMN}, {ROW_COLUMN} FROM _arrow_input"
    )
    con.unregister("_arrow_input")
    return extras


def _typed_column(table: Table, name: str, mapping: Mapping) -> list[str]:
    column = table.column(name)
    col = quote_ident(name)
    if column.type is ColumnType.DATE:
        parsed = date_parse_sql(col, date_formats(mapping, table.name, name))
        return [f"({parsed})::DATE AS {col}"]
    if column.type is ColumnType.DATETIME:
        parsed = date_parse_sql(col, datetime_formats(mapping, table.name, name))
        return [f"{parsed} AS {col}"]
    if column.type is ColumnType.INT:
        return [f"try_cast({col} AS INTEGER) AS {col}"]
    if column.type is ColumnType.BOOL:
        words = ", ".join(sql_literal(w) for w in TRUE_WORDS)
        return [f"CASE WHEN {col} IS NULL THEN NULL ELSE lower({col}) IN ({words}) END AS {col}"]
    if column.type is ColumnType.PARTIAL_DATE:
        return _partial_date_columns(table, name, mapping)
    if column.allowed:
        return [f"upper({col}) AS {col}" if name == "sex" else f"lower({col}) AS {col}"]
    return [col]


def _partial_date_columns(table: Table, name: str, mapping: Mapping) -> list[str]:
    """A date of birth as recorded, plus year, month, day and precision.

    A full date in a declared format (e.g. 14/07/1998) is 'day' precision; `1998-07` is
    'month'; `1998` is 'year'.
    """
    col = quote_ident(name)
    full = f"({date_parse_sql(col, mapping.formats_for(table.name, name))})::DATE"
    part = f"regexp_extract({col}, '^{PARTIAL_DATE_REGEX}$', 3)"
    year = f"try_cast(regexp_extract({col}, '^{PARTIAL_DATE_REGEX}$', 1) AS INTEGER)"
    month = f"try_cast(nullif({part}, '') AS INTEGER)"
    prefix = "dob"
    return [
        col,
        f"{full} AS {prefix}",
        f"coalesce(year({full}), {year}) AS {prefix}_year",
        f"coalesce(month({full}), {month}) AS {prefix}_month",
        f"day({full}) AS {prefix}_day",
        f"CASE WHEN {full} IS NOT NULL THEN 'day' WHEN {month} IS NOT NULL THEN 'month'"
        f" WHEN {year} IS NOT NULL THEN 'year' END AS {prefix}_precision",
    ]


def stage_typed(
    con: duckdb.DuckDBPyConnection, table: Table, extras: list[str], mapping: Mapping
) -> None:
    """Create the typed table `<table>` from `accepted_<table>`."""
    selects: list[str] = []
    for name in table.column_names:
        selects.extend(_typed_column(table, name, mapping))
    if extras:
        pairs = ", ".join(f"{sql_literal(c)}, {quote_ident(c)}" for c in extras)
        selects.append(f"json_object({pairs}) AS extra")
    else:
        selects.append("NULL::JSON AS extra")
    selects.append(f"{FILE_COLUMN} AS source_file")
    selects.append(f"{ROW_COLUMN} AS source_row")
    con.execute(
        f"CREATE OR REPLACE TABLE {table.name} AS SELECT {', '.join(selects)}"
        f" FROM accepted_{table.name} ORDER BY {FILE_COLUMN}, {ROW_COLUMN}"
    )
