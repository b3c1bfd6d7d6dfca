"""Export of assessments as CSV (a disclosure: the caller audits it with a reason).

Cells that a spreadsheet would read as a formula (starting with =, +, -, @, tab or CR)
are prefixed with an apostrophe, so an exported file cannot run anything when opened.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import Connection, select

from relook.review.assessments import QUESTIONS
from relook.store.tables import assessments, signoffs, users

COLUMNS = (
    "case_id",
    "version",
    "assessed_at",
    "assessed_by",
    *[f"{key}_{part}" for key, _ in QUESTIONS for part in ("answer", "notes")],
    "decision",
    "rationale",
    "run_id",
    "sign_off",
    "signed_by",
    "signed_at",
    "sign_off_comment",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def assessments_csv(connection: Connection) -> tuple[str, int]:
    """(CSV text, number of rows): every version of every assessment."""
    author = users.alias("author")
    supervisor = users.alias("supervisor")
    rows = connection.execute(
        select(
            assessments,
            author.c.username.label("author"),
            signoffs.c.outcome,
            signoffs.c.comment,
            signoffs.c.at.label("signed_at"),
            supervisor.c.username.label("supervisor"),
        )
        .select_from(
            assessments.join(author, author.c.id == assessments.c.author_id)
            .outerjoin(signoffs, signoffs.c.assessment_id == assessments.c.id)
            .outerjoin(supervisor, supervisor.c.id == signoffs.c.supervisor_id)
        )
        .order_by(assessments.c.case_id, assessments.c.version)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        m = row._mapping
        values = [
            m["case_id"],
            m["version"],
            m["at"],
            m["author"],
            *[m[f"{key}_{part}"] for key, _ in QUESTIONS for part in ("answer", "notes")],
            m["decision"],
            m["rationale"],
            m["run_id"],
            m["outcome"],
            m["supervisor"],
            m["signed_at"],
            m["comment"],
        ]
        writer.writerow([safe_cell(v) for v in values])
        count += 1
    return buffer.getvalue(), count
