"""Publish: write result tables as CSV files, all or nothing.

Files are written into a hidden folder beside the destination and moved into place only
when every one of them is complete, so a failed run never leaves a half-written output.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

from relook.contract.schema import TABLES
from relook.engine.duckdb_engine import sql_literal

# quarantine.csv and quality.csv are written by both `relook ingest` and `relook run`:
# one query each, in the contract's table order, so the two commands write the same file.
_TABLE_ORDER = ", ".join(sql_literal(name) for name in TABLES)
QUARANTINE_QUERY = (
    'SELECT "table", row_number, "column", value, error, file FROM quarantine'
    f' ORDER BY list_position([{_TABLE_ORDER}], "table"), file, row_number, "column"'
)
QUALITY_QUERY = (
    'SELECT "table", role, field, year, recorded, total, completeness FROM quality'
    f' ORDER BY list_position([{_TABLE_ORDER}], "table"), role, field, year NULLS LAST'
)


def write_outputs(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    queries: Mapping[str, str],
    documents: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write each `file name → SQL query` as CSV (and each document as JSON) into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".relook-partial-", dir=out_dir))
    try:
        for name, query in queries.items():
            target = staging / name
            con.execute(f"COPY ({query}) TO {sql_literal(str(target))} (HEADER, DELIMITER ',')")
        for name, document in (documents or {}).items():
            (staging / name).write_text(
                json.dumps(document, indent=2, sort_keys=True, default=str) + "\n",
                encoding="utf-8",
            )
        written = []
        for path in sorted(staging.iterdir()):
            final = out_dir / path.name
            os.replace(path, final)
            written.append(final)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
