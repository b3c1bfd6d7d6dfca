"""`relook ingest`: load a force's export, write quarantine.csv and quality.csv, report."""

from __future__ import annotations

from pathlib import Path

import duckdb
from rich.markup import escape
from rich.table import Table

from relook.atomic import staged_dir
from relook.commands.progress import console, stage_progress
from relook.commands.quality_view import print_key_fields
from relook.contract.mapping import load_mapping
from relook.contract.outputs import (
    INGEST_OUTPUTS,
    QUARANTINE,
    OutputFile,
    check_output_folder,
)
from relook.contract.schema import TABLES
from relook.engine.duckdb_engine import connect
from relook.errors import RelookError, StrictModeError
from relook.pipeline.ingest import IngestResult, ingest
from relook.pipeline.publish import write_tables
from relook.pipeline.quality import build_quality, key_completeness


def load(con: duckdb.DuckDBPyConnection, data: Path, mapping_path: Path | None) -> IngestResult:
    """Ingest with a progress bar, then build the quality audit."""
    mapping = load_mapping(mapping_path)
    with stage_progress(len(TABLES), "ingest") as progress:
        task = progress.task_ids[0]

        def advance(table: str) -> None:
            progress.update(task, advance=1, description=f"ingest {table}")

        result = ingest(con, data, mapping, progress=advance)
    build_quality(con)
    return result


def print_summary(con: duckdb.DuckDBPyConnection, result: IngestResult) -> None:
    counts = Table(title="Rows per table")
    for heading in ("table", "files", "rows in", "accepted", "quarantined"):
        counts.add_column(heading, justify="left" if heading in ("table", "files") else "right")
    for c in result.counts.values():
        counts.add_row(
            c.table,
            ", ".join(c.files) or "-",
            f"{c.rows_in:,}",
            f"{c.accepted:,}",
            f"{c.quarantined:,}",
        )
    console.print(counts)
    for entry in result.not_read:
        console.print(f"[yellow]not read:[/] {escape(entry.path.name)} ({entry.reason})")
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    reasons = con.execute(
        'SELECT "table", "column", error, action, count(DISTINCT (file, row_number)) AS n'
        ' FROM quarantine GROUP BY ALL ORDER BY n DESC, "table", "column" LIMIT 20'
    ).fetchall()
    if reasons:
        # A blanked cell keeps its row: say so beside each reason, so that nobody reads a
        # cell issue as a lost record.
        problems = Table(title="Problems by reason (rows rejected, or kept with a cell blanked)")
        for heading in ("table", "column", "problem", "outcome", "rows"):
            problems.add_column(heading, justify="right" if heading == "rows" else "left")
        for table, column, error, action, n in reasons:
            problems.add_row(table, column, escape(error), action, f"{n:,}")
        console.print(problems)
    print_key_fields(console, key_completeness(con))


def write_folder(
    con: duckdb.DuckDBPyConnection, out: Path, outputs: tuple[OutputFile, ...]
) -> list[Path]:
    """Replace `out` with a folder holding exactly `outputs`, in one step.

    A full disk or a folder that may not be written is the user's to fix: one line naming
    the folder (exit 2), and `out` is left as it was.
    """
    try:
        with staged_dir(out) as staged:
            write_tables(con, staged, outputs)
    except (OSError, duckdb.IOException) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise RelookError(f"{out}: cannot write the output files ({reason})") from None
    return [out / output.name for output in outputs]


def run(data: Path, *, out: Path, mapping_path: Path | None, strict: bool) -> None:
    check_output_folder(out)
    con = connect()
    try:
        result = load(con, data, mapping_path)
        if strict and result.quarantined:
            write_folder(con, out, (QUARANTINE,))
            raise StrictModeError(
                f"--strict: {result.quarantined} row(s) rejected; see {out / 'quarantine.csv'}"
            )
        written = write_folder(con, out, INGEST_OUTPUTS)
        print_summary(con, result)
    finally:
        con.close()
    console.print(f"Wrote {', '.join(str(p) for p in written)}")
