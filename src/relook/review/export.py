"""Export of assessments as CSV (a disclosure: the caller audits it with a reason).

Cells that a spreadsheet would read as a formula (starting with =, +, -, @, tab or CR)
are prefixed with an apostrophe, so an exported file cannot run anything when opened.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import Connection

from relook.review.assessments import QUESTIONS, Assessment, every_version
from relook.review.lead_actions import LeadAction, counts_by_case

COLUMNS = (
    "case_id",
    "version",
    "assessed_at",
    "assessed_by",
    *[f"{key}_{part}" for key, _ in QUESTIONS for part in ("answer", "notes")],
    "decision",
    "decision_reasons",  # the structured reasons' keys, ';'-separated
    "rationale",
    "run_id",
    "sign_off",
    "signed_by",
    "signed_at",
    "sign_off_comment",
    # The case's leads by what the reviewer did with them, as they stand at the export.
    *[f"leads_{action.value}" for action in LeadAction],
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def assessments_csv(connection: Connection) -> tuple[str, int]:
    """(CSV text, number of rows): every version of every assessment."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    leads = counts_by_case(connection)
    for assessment in every_version(connection):
        marked = leads.get(assessment.case_id, {})
        lead_counts = [marked.get(action.value, 0) for action in LeadAction]
        writer.writerow([safe_cell(v) for v in [*_row(assessment), *lead_counts]])
        count += 1
    return buffer.getvalue(), count


def _row(a: Assessment) -> list[object]:
    """The values of `COLUMNS` for one version."""
    signed = a.sign_off
    return [
        a.case_id,
        a.version,
        a.at,
        a.author,
        *[part for _, answer, notes in a.answers for part in (answer, notes)],
        a.decision,
        ";".join(a.reasons),
        a.rationale,
        a.run_id,
        signed.outcome if signed else None,
        signed.supervisor if signed else None,
        signed.at if signed else None,
        signed.comment if signed else None,
    ]
