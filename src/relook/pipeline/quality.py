"""The data-quality audit: how complete each field is, per table, role and year.

Every cell is counted in exactly one of three ways, so that no value vanishes unreported:
- `recorded`: a value relook could read and use;
- `not_understood`: a value was recorded but relook could not use it: an unreadable
  optional cell that ingest blanked (it is in quarantine.csv), a postcode that is not a UK
  one, a phone number with no E.164 form, a registration mark of no known format;
- `blank`: nothing was recorded.
recorded + not_understood + blank = total, and completeness = recorded / total. The year
is the year the case was reported (for missing episodes, the year the child went missing),
because recording practice changes over time and the audit must show when.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from relook.contract.schema import TABLES
from relook.contract.validate import BLANKED, QUARANTINE_DDL
from relook.engine.duckdb_engine import quote_ident, sql_literal
from relook.engine.sql import one_row

UNDERSTOOD: dict[tuple[str, str], str] = {
    ("people", "postcode"): "t.postcode_uk",
    ("locations", "postcode"): "t.postcode_uk",
    ("people", "phone"): "t.phone_e164 IS NOT NULL",
    ("vehicles", "vrm"): "t.vrm_format IS DISTINCT FROM 'invalid'",
}
"""A recorded value that relook keeps but can only use when this holds."""


@dataclass(frozen=True)
class KeyField:
    """A field whose completeness decides whether the review can be trusted."""

    label: str
    table: str
    field: str
    role: str = ""


KEY_FIELDS = (
    KeyField("suspects' ethnicity", "people", "ethnicity", "suspect"),
    KeyField("victims' date of birth", "people", "date_of_birth", "victim"),
    KeyField("outcome date", "cases", "outcome_on"),
    KeyField("CSE flag", "cases", "cse_flag"),
)


def _year_source(table: str) -> tuple[str, str]:
    """(FROM clause with alias t, SQL for the row's year)."""
    if table == "cases":
        return "cases t", "year(t.reported_on)"
    if table == "missing_episodes":
        return "missing_episodes t", "year(t.missing_from)"
    return f"{table} t LEFT JOIN cases c ON c.case_id = t.case_id", "year(c.reported_on)"


def _field_sql(name: str, column: str) -> str:
    """One field's counts by year (and by role for people)."""
    source, year = _year_source(name)
    role_sets = "GROUPING SETS ((year), (year, t.role))" if name == "people" else "(year)"
    role = "coalesce(t.role, '')" if name == "people" else "''"
    value = f"t.{quote_ident(column)}"
    understood = UNDERSTOOD.get((name, column), "true")
    blanked = "b.row_number IS NOT NULL"
    return (
        f'SELECT {sql_literal(name)} AS "table", {role} AS role,'
        f" {sql_literal(column)} AS field, {year} AS year,"
        f" count(*) FILTER (WHERE {value} IS NOT NULL AND coalesce({understood}, false))"
        " AS recorded,"
        f" count(*) FILTER (WHERE ({value} IS NOT NULL AND NOT coalesce({understood}, false))"
        f" OR {blanked}) AS not_understood,"
        f" count(*) FILTER (WHERE {value} IS NULL AND NOT {blanked}) AS blank,"
        " count(*) AS total"
        f' FROM {source} LEFT JOIN _blanked b ON b."table" = {sql_literal(name)}'
        f' AND b."column" = {sql_literal(column)}'
        " AND b.file = t.source_file AND b.row_number = t.source_row"
        f" GROUP BY {role_sets}"
    )


def build_quality(con: duckdb.DuckDBPyConnection) -> None:
    """Create the table `quality` (one row per table × role × field × year)."""
    con.execute(QUARANTINE_DDL)
    con.execute(
        'CREATE OR REPLACE TEMP TABLE _blanked AS SELECT DISTINCT "table", "column", file,'
        f" row_number FROM quarantine WHERE action = {sql_literal(BLANKED)}"
    )
    parts = [
        _field_sql(name, column)
        for name, table in TABLES.items()
        for column in table.column_names
        if column != table.id_column
    ]
    con.execute(
        'CREATE OR REPLACE TABLE quality AS SELECT "table", role, field, year, recorded, total,'
        " round(recorded / total, 4) AS completeness, not_understood, blank"
        f' FROM ({" UNION ALL ".join(parts)}) ORDER BY "table", role, field, year NULLS LAST'
    )
    con.execute("DROP TABLE _blanked")


@dataclass(frozen=True)
class KeyCompleteness:
    label: str
    recorded: int
    total: int

    @property
    def completeness(self) -> float:
        return self.recorded / self.total if self.total else 0.0


def key_completeness(con: duckdb.DuckDBPyConnection) -> list[KeyCompleteness]:
    """Completeness over all years of the key fields, for the run summary."""
    results = []
    for key in KEY_FIELDS:
        row = one_row(
            con,
            "SELECT coalesce(sum(recorded), 0) AS recorded, coalesce(sum(total), 0) AS total"
            ' FROM quality WHERE "table" = ? AND field = ? AND role = ?',
            [key.table, key.field, key.role],
        )
        results.append(KeyCompleteness(key.label, int(row["recorded"]), int(row["total"])))
    return results
