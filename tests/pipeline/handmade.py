"""Build small hand-made datasets for stage tests through the real ingest."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import duckdb

from relook.contract.schema import TABLES
from relook.pipeline.ingest import ingest


def write_table(folder: Path, name: str, rows: list[dict[str, Any]]) -> None:
    columns = TABLES[name].column_names
    with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})


def case(case_id: str, **values: Any) -> dict[str, Any]:
    """An in-scope-looking case unless told otherwise."""
    row = {
        "case_id": case_id,
        "reported_on": "2014-03-02",
        "offence_code": "71",
        "outcome_code": "15",
        "outcome_on": "2014-09-30",
        "outcome_by": "police",
        "setting": "hotel",
    }
    row.update(values)
    return row


def person(mention_id: str, case_id: str, role: str, **values: Any) -> dict[str, Any]:
    row = {"mention_id": mention_id, "case_id": case_id, "role": role}
    row.update(values)
    return row


def load(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    tables: dict[str, list[dict[str, Any]]],
    persons: dict[str, str] | None = None,
) -> None:
    """Ingest the tables; `persons` maps mention_id → person_id (default: each its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        write_table(folder, name, rows)
    result = ingest(con, folder)
    assert result.quarantined == 0, con.execute("SELECT * FROM quarantine").fetchall()
    persons = persons or {}
    con.execute(
        "CREATE OR REPLACE TABLE persons AS SELECT mention_id AS record_id,"
        " 'mention' AS record_kind, mention_id AS person_id FROM people"
    )
    for mention, person_id in persons.items():
        con.execute("UPDATE persons SET person_id = ? WHERE record_id = ?", [person_id, mention])
