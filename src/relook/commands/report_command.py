"""`relook report case`: one case's report, as a PDF or an HTML file, for one account."""

from __future__ import annotations

from pathlib import Path

from relook.atomic import write_bytes
from relook.commands.progress import console
from relook.errors import RelookError
from relook.reports.document import handling_marking
from relook.reports.production import produce
from relook.reports.render import FORMATS
from relook.workspace import Workspace


def report_format(out: Path) -> str:
    """`pdf` or `html`, from the output file's suffix."""
    kind = out.suffix.lower().lstrip(".")
    if kind == "htm":
        kind = "html"
    if kind not in FORMATS:
        raise RelookError(f"{out}: the report is written as .pdf or .html (from the file name)")
    return kind


def case(
    workspace: Path,
    case_id: str,
    *,
    out: Path,
    user: str,
    reason: str,
    reveal: bool,
    marking: str | None,
) -> None:
    kind = report_format(out)
    with (
        console.status(f"Producing the report of {case_id}…"),
        Workspace(workspace).store() as store,
    ):
        report = produce(
            store, user, case_id, kind=kind, reason=reason, reveal=reveal,
            marking=handling_marking(marking),
        )  # fmt: skip
    write_bytes(out, report.content)
    shown = "victims' identities shown" if report.revealed else "pseudonymised"
    console.print(
        f"Wrote {out} ({kind.upper()}, {len(report.content):,} bytes, {shown});"
        " recorded in the audit trail with your reason.",
        highlight=False,
    )
