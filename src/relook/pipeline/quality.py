"""The data-quality audit: how complete each field is, per table, role and year.

A blank cell means "not recorded"; completeness = recorded / total. The year is the year
the case was reported (for missing episodes, the year the child went missing), because
recording practice changes over time and the audit must show when.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from relook.contract.schema import TABLES
from relook.engine.duckdb_engine import quote_ident, sql_literal
from relook.engine.sql import one_row

QUALITY_COLUMNS = ("table", "role", "field", "year", "recorded", "total", "completeness")


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


def build_quality(con: duckdb.DuckDBPyConnection) -> None:
    """Create the table `quality` (one row per table × role × field × year)."""
    parts: list[str] = []
    for name, table in TABLES.items():
        source, year = _year_source(name)
        role_sets = "GROUPING SETS ((year), (year, t.role))" if name == "people" else "(year)"
        role = "coalesce(t.role, '')" if name == "people" else "''"
        for column in table.column_names:
            if column == table.id_column:
                continue
            parts.append(
                f'SELECT {sql_literal(name)} AS "table", {role} AS role,'
                f" {sql_literal(column)} AS field, {year} AS year,"
                f" count(t.{quote_ident(column)}) AS recorded, count(*) AS total"
                f" FROM {source} GROUP BY {role_sets}"
            )
    con.execute(
        "CREATE OR REPLACE TABLE quality AS SELECT *, round(recorded / total, 4) AS completeness"
        f' FROM ({" UNION ALL ".join(parts)}) ORDER BY "table", role, field, year NULLS LAST'
    )


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
