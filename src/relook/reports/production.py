"""Producing one case report for one user: need to know, the report, its audit entry.

Shared by `relook report case` and the case page's download, so both refuse, show and
record the same way. The caller finds the case (the web app through its own
dependency, which also records a refused case) and hands over the bytes only after
`record_report` has committed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, NoReturn

from sqlalchemy import Connection, Row

from relook.reports.disclosure import (
    REPORT_OBJECT,
    check_may_report,
    command_line_user,
    record_disclosure,
)
from relook.reports.document import CaseReport, Production, build_report, production_stamp
from relook.reports.render import render
from relook.review import access, case_page
from relook.review.errors import NotAllowed, NotFound
from relook.review.runs import latest_run
from relook.security import refusals
from relook.security.accounts import User
from relook.security.justification import checked_reason
from relook.store.engine import Store

MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def file_stem(case_id: str) -> str:
    """A case id as a file name (case ids may hold `/` or `:`)."""
    return _UNSAFE.sub("_", case_id)


@dataclass(frozen=True)
class ProducedReport:
    case_id: str
    kind: str
    content: bytes
    revealed: bool

    @property
    def filename(self) -> str:
        return f"case-report-{file_stem(self.case_id)}.{self.kind}"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]


def case_report(
    connection: Connection,
    run_id: str,
    case_row: Row[Any],
    user: User,
    *,
    reason: str,
    reveal: bool,
    marking: str,
    today: dt.date | None = None,
) -> CaseReport:
    """The report of a case the caller has checked this user may open."""
    check_may_report(user, reveal=reveal)
    production = Production(
        produced_by=user.username,
        produced_at=production_stamp(),
        reason=checked_reason(reason),
        marking=marking,
        revealed=reveal,
    )
    reach = access.reach(connection, run_id, user)
    return build_report(
        connection, run_id, case_row, reach=reach, production=production, today=today
    )


def record_report(
    connection: Connection, user: User, report: CaseReport, kind: str, *, via: str
) -> None:
    record_disclosure(
        connection,
        user,
        object_type=REPORT_OBJECT,
        object_id=report.case_id,
        reason=report.production.reason,
        detail={"format": kind, "revealed": report.production.revealed, "run_id": report.run_id},
        via=via,
    )


def current_case(connection: Connection, case_id: str) -> tuple[str, Row[Any]]:
    """(run id, the case's row) in the run the review shows."""
    run = latest_run(connection)
    if run is None:
        raise NotFound("no run has been imported yet (run `relook run` first)")
    row = case_page.find_case(connection, run.run_id, case_id)
    if row is None:
        raise NotFound(f"there is no case {case_id} in the current run")
    return run.run_id, row


def refuse_case(store: Store, user: User, case_id: str) -> NoReturn:
    """Record the attempt as the case page records one beyond the user's reach; refuse."""
    with store.write() as connection:
        refusals.record_refusal(connection, user.actor, object_type="case", object_id=case_id)
    raise NotAllowed(
        f"{user.username} may not open case {case_id}: it is not assigned to them or linked"
        " to a case that is"
    )


def produce(
    store: Store,
    username: str,
    case_id: str,
    *,
    kind: str,
    reason: str,
    reveal: bool,
    marking: str,
) -> ProducedReport:
    """A report for the command line: the `--user` account's permissions and need to know
    apply as in the web app; the audit entry is committed before the report is returned."""
    with store.read() as connection:
        user = command_line_user(connection, username)
        check_may_report(user, reveal=reveal)
        run_id, row = current_case(connection, case_id)
        allowed = access.may_open_case_id(connection, run_id, user, case_id, row.network_id)
        report = (
            case_report(
                connection, run_id, row, user, reason=reason, reveal=reveal, marking=marking
            )
            if allowed
            else None
        )
    if report is None:
        refuse_case(store, user, case_id)
    content = render(report, kind)
    with store.write() as connection:
        record_report(connection, user, report, kind, via="command line")
    return ProducedReport(case_id, kind, content, reveal)
