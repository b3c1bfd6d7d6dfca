"""The ingest stage: a force's files → validated, typed, normalised tables in the engine.

Invariant, checked on every run: for every table, rows read = rows accepted + rows
quarantined. A broken invariant is a bug in relook and stops the run loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from relook.contract.dataset import Discovery, NotRead, discover, read_table
from relook.contract.mapping import Mapping
from relook.contract.schema import TABLES
from relook.contract.staging import stage_raw, stage_typed
from relook.contract.validate import (
    QUARANTINE_DDL,
    record_row_problems,
    rejected_row_count_sql,
    validate_table,
)
from relook.engine.sql import count
from relook.pipeline.normalise_columns import normalise_table

ProgressCallback = Callable[[str], None]


@dataclass(frozen=True)
class TableCounts:
    table: str
    files: tuple[str, ...]
    rows_in: int
    accepted: int
    quarantined: int


@dataclass
class IngestResult:
    counts: dict[str, TableCounts] = field(default_factory=dict)
    not_read: list[NotRead] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def unrecognised(self) -> list[Path]:
        return [entry.path for entry in self.not_read]

    @property
    def quarantined(self) -> int:
        return sum(c.quarantined for c in self.counts.values())


MISSING_TABLE_WARNINGS = {
    "people": "no people file: every case will be screened without its victims and suspects",
    "notes": "no notes file: no lines of enquiry can be found in free text",
}


def missing_table_warnings(found: Discovery) -> list[str]:
    """A warning for each table no file holds (people and notes matter most)."""
    return [
        MISSING_TABLE_WARNINGS.get(name, f"no {name} file: the table is read as empty")
        for name, sources in found.sources.items()
        if not sources
    ]


class InvariantError(RuntimeError):
    """rows in ≠ accepted + quarantined: a defect in relook, never a user error."""


def ingest(
    con: duckdb.DuckDBPyConnection,
    data: Path,
    mapping: Mapping | None = None,
    progress: ProgressCallback | None = None,
) -> IngestResult:
    """Read every table of the dataset at `data` into `con`.

    Creates the typed tables (`cases`, `people`, ...) and `quarantine`. Whole-file
    problems raise InputFileError before any table is created for the caller to use.
    """
    mapping = mapping or Mapping()
    found = discover(data, mapping)
    result = IngestResult(not_read=found.not_read, warnings=missing_table_warnings(found))
    con.execute(QUARANTINE_DDL)
    for name, table in TABLES.items():
        if progress:
            progress(name)
        sources = found.sources[name]
        rows, problems, rows_read = read_table(sources, table, mapping)
        extras = stage_raw(con, table, rows, mapping)
        record_row_problems(con, name, problems)
        validate_table(con, table, mapping)
        stage_typed(con, table, extras, mapping)
        normalise_table(con, name)
        quarantined = count(con, rejected_row_count_sql(name))
        accepted = count(con, f"SELECT count(*) FROM {name}")
        if rows_read != accepted + quarantined:
            raise InvariantError(
                f"{name}: {rows_read} rows read but {accepted} accepted + {quarantined} quarantined"
            )
        result.counts[name] = TableCounts(
            name, tuple(s.label for s in sources), rows_read, accepted, quarantined
        )
        con.execute(f"DROP TABLE IF EXISTS raw_{name}")
    for name in TABLES:
        con.execute(f"DROP TABLE IF EXISTS accepted_{name}")
    return result
