"""The completeness of key fields, printed first in the ingest and run summaries."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from relook.pipeline.quality import KeyCompleteness

MOSTLY_MISSING = 0.5


def print_key_fields(console: Console, key_fields: list[KeyCompleteness]) -> None:
    """A table of the key fields, then a note for each one missing for most records."""
    table = Table(title="Completeness of key fields")
    for heading in ("field", "recorded", "of", "completeness"):
        table.add_column(heading, justify="left" if heading == "field" else "right")
    for k in key_fields:
        table.add_row(k.label, f"{k.recorded:,}", f"{k.total:,}", f"{k.completeness:.0%}")
    console.print(table)
    for k in key_fields:
        if k.total and k.completeness < MOSTLY_MISSING:
            console.print(
                f"[yellow]note:[/] {k.label} is missing for most records"
                f" ({k.completeness:.0%} recorded)"
            )
