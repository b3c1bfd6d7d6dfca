"""Validation: every raw row is either accepted or quarantined with its reasons.

Checks run as SQL in the analysis engine (one query per column check, not a Python loop
per row), so that they scale with the engine. For a table `t` the raw rows are in `raw_t`
(all text, with the reader's file and row columns); this module creates `accepted_t` and
appends one row to `quarantine` for each problem.

Two kinds of problem, told apart by `quarantine.action`:
- `row rejected`: the row's id or a required value is missing or unreadable, the id is a
  duplicate, or the case it belongs to is not accepted. The row is not accepted. A row
  with two problems gets two entries and is counted once.
- `cell blanked`: an optional value cannot be read (a date that is not a date, a code not
  in its list, a number that is not whole, a date outside the plausible years, a person
  on a vehicle who is not in `people`). The cell is blanked, the row is kept, and the
  value as recorded stays in quarantine.csv: one bad optional cell must not cost the
  review a whole record.

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
    value VARCHAR, error VARCHAR, action VARCHAR
)
"""
REJECTED = "row rejected"
BLANKED = "cell blanked"

EARLIEST_DATE = "1900-01-01"
LATEST_DATE = "2039-12-31"
"""Plausible dates (docs/data-contract.md). Fixed, not relative to today, so that the same
input always gives the same result; a date outside them is a typing slip (1850, 2099,
9999-12-31) and would otherwise be scored as if true."""

ISO_DATETIME_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
"""Also read in date columns: Parquet and Excel hold dates as date-times."""

ORDERED_DATES: dict[tuple[str, str], str] = {
    ("cases", "offence_to"): "offence_from",
    ("missing_episodes", "returned_at"): "missing_from",
}
"""A date that cannot come before another date of the same row."""

_FRIENDLY = (("%Y", "yyyy"), ("%y", "yy"), ("%m", "mm"), ("%d", "dd"))
_FRIENDLY_TIME = (("%H", "HH"), ("%M", "MM"), ("%S", "SS"))


def shown_formats(formats: list[str]) -> str:
    """Formats as a person wrote them in the mapping file: `%Y%m%d` -> `yyyymmdd`."""
    shown: list[str] = []
    for fmt in formats:
        for token, word in (*_FRIENDLY, *_FRIENDLY_TIME):
            fmt = fmt.replace(token, word)
        if fmt not in shown:
            shown.append(fmt)
    return " or ".join(shown)


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


def date_formats(mapping: Mapping, table: str, column: str) -> list[str]:
    """Formats for a date column: the declared ones and ISO, then ISO date-times."""
    return [*mapping.formats_for(table, column), *ISO_DATETIME_FORMATS]


def datetime_formats(mapping: Mapping, table: str, column: str) -> list[str]:
    own = [f for f in mapping.formats_for(table, column) if f != "%Y-%m-%d"]
    return [*own, *DATETIME_FORMATS]


def _partial_parts(column_sql: str) -> tuple[str, str, str]:
    """SQL for (shape matches YYYY or YYYY-MM, its year, its month)."""
    year = f"try_cast(regexp_extract({column_sql}, '^{PARTIAL_DATE_REGEX}$', 1) AS INT)"
    month = (
        f"try_cast(nullif(regexp_extract({column_sql}, '^{PARTIAL_DATE_REGEX}$', 3), '') AS INT)"
    )
    shape = (
        f"(regexp_full_match({column_sql}, '{PARTIAL_DATE_REGEX}')"
        f" AND NOT regexp_full_match({column_sql}, '\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}'))"
    )
    return shape, year, month


def partial_date_readable_sql(column_sql: str, formats: list[str]) -> str:
    """A partial date of birth: YYYY, YYYY-MM or a full date in any declared format."""
    shape, _, month = _partial_parts(column_sql)
    full = date_parse_sql(column_sql, formats)
    return f"({full} IS NOT NULL OR ({shape} AND coalesce({month}, 1) BETWEEN 1 AND 12))"


def partial_date_year_sql(column_sql: str, formats: list[str]) -> str:
    _, year, _ = _partial_parts(column_sql)
    return f"coalesce(year({date_parse_sql(column_sql, formats)}), {year})"


def partial_date_valid_sql(column_sql: str, formats: list[str]) -> str:
    """A date of birth validation keeps: readable, and of a plausible year."""
    year = partial_date_year_sql(column_sql, formats)
    return (
        f"({partial_date_readable_sql(column_sql, formats)}"
        f" AND {year} BETWEEN {EARLIEST_DATE[:4]} AND {LATEST_DATE[:4]})"
    )


WHOLE_NUMBER_REGEX = "[+-]?[0-9]+"
"""Digits only: `2.4`, `15.5`, `1e1` and `0x10` are not whole numbers, never rounded."""

_PLAUSIBLE = f"(before {EARLIEST_DATE} or after {LATEST_DATE})"


def _date_checks(table: Table, column: Column, mapping: Mapping) -> list[tuple[str, str]]:
    """Checks of a date, date-time or date of birth: readable, then plausible, then ordered."""
    col = quote_ident(column.name)
    year_bounds = f"BETWEEN {EARLIEST_DATE[:4]} AND {LATEST_DATE[:4]}"
    if column.type is ColumnType.PARTIAL_DATE:
        formats = mapping.formats_for(table.name, column.name)
        expected = shown_formats(["%Y", "%Y-%m", *formats])
        return [
            (
                f"{col} IS NOT NULL AND NOT {partial_date_readable_sql(col, formats)}",
                f"not a valid date of birth (expected {expected})",
            ),
            (
                f"{col} IS NOT NULL AND {partial_date_readable_sql(col, formats)}"
                f" AND NOT {partial_date_year_sql(col, formats)} {year_bounds}",
                f"implausible date of birth {_PLAUSIBLE}",
            ),
        ]
    if column.type is ColumnType.DATE:
        formats = date_formats(mapping, table.name, column.name)
        what = "date"
    else:
        formats = datetime_formats(mapping, table.name, column.name)
        what = "date and time"
    parsed = date_parse_sql(col, formats)
    shown = shown_formats(formats[: len(formats) - len(ISO_DATETIME_FORMATS)] or formats)
    plausible = f"BETWEEN DATE '{EARLIEST_DATE}' AND DATE '{LATEST_DATE}' + INTERVAL 1 DAY"
    checks = [
        (f"{col} IS NOT NULL AND {parsed} IS NULL", f"not a valid {what} (expected {shown})"),
        (f"{parsed} IS NOT NULL AND NOT {parsed} {plausible}", f"implausible {what} {_PLAUSIBLE}"),
    ]
    earlier = ORDERED_DATES.get((table.name, column.name))
    if earlier:
        earlier_type = table.column(earlier).type
        earlier_formats = (
            date_formats(mapping, table.name, earlier)
            if earlier_type is ColumnType.DATE
            else datetime_formats(mapping, table.name, earlier)
        )
        before = date_parse_sql(quote_ident(earlier), earlier_formats)
        # Only against a plausible earlier date: offence_to is not at fault for a 2099.
        checks.append(
            (f"{parsed} < {before} AND {before} {plausible}", f"{column.name} is before {earlier}")
        )
    return checks


def _number_checks(column: Column) -> list[tuple[str, str]]:
    col = quote_ident(column.name)
    whole = f"regexp_full_match({col}, '{WHOLE_NUMBER_REGEX}')"
    checks = [(f"{col} IS NOT NULL AND NOT {whole}", "not a whole number")]
    if column.int_range:
        low, high = column.int_range
        # A whole number too long for BIGINT casts to NULL: out of range, not silently blank.
        checks.append(
            (
                f"{whole} AND coalesce(try_cast({col} AS BIGINT) NOT BETWEEN {low} AND {high},"
                " true)",
                f"outside the allowed range {low}–{high}",
            )
        )
    return checks


def _problem_sql(table: Table, column: Column, mapping: Mapping) -> list[tuple[str, str]]:
    """(predicate that marks a bad value, readable error) pairs for one column."""
    col = quote_ident(column.name)
    checks: list[tuple[str, str]] = []
    if column.required:
        checks.append((f"{col} IS NULL", "required value is blank"))
    if column.type in (ColumnType.DATE, ColumnType.DATETIME, ColumnType.PARTIAL_DATE):
        checks.extend(_date_checks(table, column, mapping))
    elif column.type is ColumnType.INT:
        checks.extend(_number_checks(column))
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
    con: duckdb.DuckDBPyConnection,
    table: str,
    source: str,
    column: str,
    predicate: str,
    error: str,
    action: str = REJECTED,
) -> None:
    con.execute(
        f"""INSERT INTO quarantine
        SELECT {sql_literal(table)}, {FILE_COLUMN}, {ROW_COLUMN}, {sql_literal(column)},
               {quote_ident(column)}::VARCHAR, {sql_literal(error)}, {sql_literal(action)}
        FROM {source} WHERE {predicate}"""
    )


def record_row_problems(
    con: duckdb.DuckDBPyConnection, table: str, problems: list[RowProblem]
) -> None:
    """Rows the reader could not split into columns go straight to quarantine."""
    if problems:
        con.executemany(
            "INSERT INTO quarantine VALUES (?, ?, ?, '(row)', ?, ?, ?)",
            [(table, p.file, p.row, p.value, p.error, REJECTED) for p in problems],
        )


def _rejected_rows_sql(table: str) -> str:
    return (
        "SELECT DISTINCT file, row_number FROM quarantine"
        f' WHERE "table" = {sql_literal(table)} AND action = {sql_literal(REJECTED)}'
    )


def rejected_row_count_sql(table: str) -> str:
    """SQL counting the rows of `table` that were not accepted."""
    return f"SELECT count(*) FROM ({_rejected_rows_sql(table)})"


def _check_column(
    con: duckdb.DuckDBPyConnection, table: Table, column: Column, mapping: Mapping
) -> None:
    """Record every problem of one column; blank the optional cells that cannot be read."""
    raw = f"raw_{table.name}"
    checks = _problem_sql(table, column, mapping)
    keeps_row = not column.required and column.name != table.id_column
    for predicate, error in checks:
        _record(
            con, table.name, raw, column.name, predicate, error, BLANKED if keeps_row else REJECTED
        )
    if keeps_row and checks:
        bad = " OR ".join(f"coalesce({predicate}, false)" for predicate, _ in checks)
        con.execute(f"UPDATE {raw} SET {quote_ident(column.name)} = NULL WHERE {bad}")


def _without_rejected(table: str, source: str) -> str:
    return (
        f"SELECT s.* FROM {source} s ANTI JOIN ({_rejected_rows_sql(table)}) q"
        f" ON s.{FILE_COLUMN} = q.file AND s.{ROW_COLUMN} = q.row_number"
    )


def validate_table(con: duckdb.DuckDBPyConnection, table: Table, mapping: Mapping) -> None:
    """Create `accepted_<table>` from `raw_<table>`, quarantining every bad row."""
    con.execute(QUARANTINE_DDL)
    raw = f"raw_{table.name}"
    # Dates that must follow another are checked before that other one can be blanked.
    for column in sorted(table.columns, key=lambda c: (table.name, c.name) not in ORDERED_DATES):
        _check_column(con, table, column, mapping)

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
               'duplicate {table.id_column} (first seen at ' || _first || ')',
               {sql_literal(REJECTED)}
        FROM _ranked WHERE _n > 1"""
    )

    for ref in REFERENCES[table.name]:
        _check_reference(con, table, ref)

    # A blanked cell of a row that was rejected after all is part of that row's rejection.
    con.execute(f"CREATE OR REPLACE TEMP TABLE _rejected AS {_rejected_rows_sql(table.name)}")
    con.execute(
        f"""UPDATE quarantine SET action = {sql_literal(REJECTED)} FROM _rejected r
        WHERE quarantine."table" = {sql_literal(table.name)}
          AND quarantine.action = {sql_literal(BLANKED)}
          AND quarantine.file = r.file AND quarantine.row_number = r.row_number"""
    )
    con.execute("DROP TABLE _rejected")
    con.execute(
        f"CREATE OR REPLACE TABLE accepted_{table.name} AS {_without_rejected(table.name, raw)}"
    )
    con.execute("DROP VIEW IF EXISTS _ranked")
    con.execute("DROP VIEW IF EXISTS _cells_ok")


def _check_reference(con: duckdb.DuckDBPyConnection, table: Table, ref: Reference) -> None:
    """A required reference that does not resolve rejects the row; an optional one is blanked
    (a vehicle stays on its case when the person it names is not in `people`)."""
    raw = f"raw_{table.name}"
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
    required = table.column(ref.column).required
    action = REJECTED if required else BLANKED
    source = f"({_without_rejected(table.name, raw)})"
    _record(con, table.name, source, ref.column, predicate, error, action)
    if not required:
        # Rows already rejected are not accepted either way, so blanking them too is harmless.
        con.execute(f"UPDATE {raw} SET {ref_col} = NULL WHERE {predicate}")
