"""Publish: write declared output files (`relook.contract.outputs`) into a folder.

The folder is a fresh one that nobody reads yet: the caller puts it in place whole
(`relook.atomic.replace_dir`), so a half-written output is never seen.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

from relook.contract.outputs import OutputFile
from relook.engine.duckdb_engine import sql_literal


def write_tables(
    con: duckdb.DuckDBPyConnection, folder: Path, outputs: Iterable[OutputFile]
) -> list[Path]:
    """Write each output as CSV with a header row into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for output in outputs:
        target = folder / output.name
        con.execute(f"COPY ({output.query}) TO {sql_literal(str(target))} (HEADER, DELIMITER ',')")
        written.append(target)
    return written


def write_document(folder: Path, name: str, document: dict[str, Any]) -> Path:
    target = folder / name
    target.write_text(
        json.dumps(document, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )
    return target
