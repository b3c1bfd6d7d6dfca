"""What a case report holds: the case page's page object, every assessment version with
its sign-off, the victims' engagement with the review, and who produced it, when, why.

`build_report` reads the case the way the case page does (`case_page.build` on the
case's stored document, under `case_page.case_visibility`): one rule for who is shown
by name, on screen and on paper. `report_data` is the same report as plain data (the
JSON of a referral pack).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Row

from relook.review import assessments, case_document, case_page
from relook.review.access import Reach
from relook.review.assessments import Assessment, SignOffOutcome
from relook.review.case_page import CasePage
from relook.review.highlight import Piece
from relook.review.reasons import Reason
from relook.review.victim_engagement import EngagementEntry, case_history
from relook.review.visibility import Visibility
from relook.security.policy import sees_engagement

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
MARKING_ENV = "RELOOK_HANDLING_MARKING"
"""The handling marking printed on every page: a force sets its own with this variable
(or `--marking`)."""


def handling_marking(given: str | None = None) -> str:
    """The marking asked for, else the workspace's environment's, else OFFICIAL-SENSITIVE."""
    chosen = (given or os.environ.get(MARKING_ENV) or DEFAULT_MARKING).strip()
    return chosen or DEFAULT_MARKING


@dataclass(frozen=True)
class Production:
    """Who produced the report, when, why, and under which marking."""

    produced_by: str
    produced_at: str
    """UTC, `YYYY-MM-DD HH:MM UTC`."""
    reason: str
    marking: str
    revealed: bool
    """Whether victims' identities are shown (a reveal, audited with `reason`)."""


@dataclass(frozen=True)
class EngagementRow:
    """One entry of a victim's engagement with the review, as the report shows it."""

    victim: str
    """The victim as the case page names them (a label unless revealed)."""
    status: str
    happened_on: str | None
    recorded_by: str
    recorded_at: str
    note: str


@dataclass(frozen=True)
class CaseReport:
    page: CasePage
    assessments: list[Assessment]
    """Every version, newest first, free texts redacted as the page redacts its own."""
    victim_engagement: list[EngagementRow]
    referral_reasons: list[str]
    """The structured reasons of a referral to the national panel, when there are any."""
    production: Production
    run_id: str

    @property
    def case_id(self) -> str:
        return self.page.case.case_id


def production_stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")


def build_report(
    connection: Connection,
    run_id: str,
    case_row: Row[Any],
    *,
    reach: Reach,
    production: Production,
    today: dt.date | None = None,
) -> CaseReport:
    """The report of one case, shown as the case page shows it to this user."""
    doc = case_document.load(connection, run_id, case_row)
    shown = case_page.case_visibility(case_row.case_id, doc, revealed=production.revealed)
    page = case_page.build(
        connection, run_id, case_row, reach=reach, revealed=production.revealed,
        today=today, document=doc,
    )  # fmt: skip
    history = [redacted(a, shown) for a in assessments.history(connection, case_row.case_id)]
    return CaseReport(
        page=page,
        assessments=history,
        victim_engagement=victim_engagement(connection, page, reach, shown),
        referral_reasons=referral_reasons(history),
        production=production,
        run_id=run_id,
    )


def redacted(assessment: Assessment, shown: Visibility) -> Assessment:
    """An assessment's free texts under the page's redaction: a reviewer may have named a
    victim in their notes, and a report leaves the system."""
    sign_off = assessment.sign_off
    return replace(
        assessment,
        answers=tuple((q, a, shown.redact(notes)) for q, a, notes in assessment.answers),
        rationale=shown.redact(assessment.rationale),
        sign_off=replace(sign_off, comment=shown.redact(sign_off.comment)) if sign_off else None,
    )


def victim_engagement(
    connection: Connection, page: CasePage, reach: Reach, shown: Visibility
) -> list[EngagementRow]:
    """The case's victims' engagement, oldest first, each victim named as the page names
    them; only for those the case page shows it to (the reviewer the case is assigned to,
    supervisors)."""
    case_id = page.case.case_id
    if not sees_engagement(role=reach.role, assigned_to_user=case_id in reach.assigned):
        return []
    names = {p.mention_id: p.name for p in page.people}
    return [engagement_row(e, names, shown) for e in case_history(connection, case_id)]


def engagement_row(
    entry: EngagementEntry, names: dict[str, str], shown: Visibility
) -> EngagementRow:
    """One engagement entry as the report shows it: the victim under the page's name for
    them, the note under the page's redaction (a report leaves the system)."""
    return EngagementRow(
        victim=names.get(entry.victim_mention_id, "Victim"),
        status=entry.label,
        happened_on=entry.happened_on,
        recorded_by=entry.recorded_by,
        recorded_at=entry.recorded_at,
        note=shown.redact(entry.note),
    )


def referral_reasons(history: list[Assessment]) -> list[str]:
    """The structured reasons of the decision that stands: the latest version's, once a
    supervisor approved it (a version awaiting sign-off or returned decides nothing)."""
    if not history:
        return []
    latest = max(history, key=lambda a: a.version)
    if latest.sign_off is None or latest.sign_off.outcome is not SignOffOutcome.APPROVED:
        return []
    return list(latest.reason_labels)


# --- the report as data ------------------------------------------------------------------


def text_of(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces)


def report_data(report: CaseReport) -> dict[str, Any]:
    """What the report shows, as JSON-ready data (pseudonymised exactly as the report)."""
    page = report.page
    c = page.case
    network = page.network
    return {
        "case_id": c.case_id,
        "run_id": report.run_id,
        "marking": report.production.marking,
        "produced_by": report.production.produced_by,
        "produced_at": report.production.produced_at,
        "revealed": report.production.revealed,
        "summary": {
            "force": c.force,
            "area": c.area,
            "offence_code": c.offence_code,
            "offence_title": c.offence_title,
            "offence_from": _day(c.offence_from),
            "offence_to": _day(c.offence_to),
            "reported_on": _day(c.reported_on),
            "outcome_code": c.outcome_code,
            "outcome": c.outcome_label,
            "outcome_on": _day(c.outcome_on),
            "category": c.category,
            "in_scope_wider": c.in_scope_wider,
            "in_scope_narrower": c.in_scope_narrower,
            "priority_band": c.band,
            "priority_score": c.score,
            "text": text_of(c.summary),
        },
        "screening_reasons": [_reason(r) for r in page.screening],
        "priority_reasons": [_reason(r) for r in page.priority],
        "people": [
            {
                "label": p.name,
                "role": p.role,
                "protected": p.protected,
                "age_at_offence": p.age_at_offence,
                "date_of_birth": p.date_of_birth,
                "address": p.address,
                "postcode": p.postcode,
                "phone": p.phone,
            }
            for p in page.people
        ],
        "network": None
        if network is None
        else {
            "network_id": network.network_id,
            "n_cases": network.n_cases,
            "shown_from_this_case": network.partial,
            "cases": [nc.case_id for nc in network.cases],
            "linked_by": [
                {
                    "kind": i.kind,
                    "value": network.suspect_names.get(i.value, i.value)
                    if i.kind == "suspect"
                    else i.value,
                    "cases": list(i.case_ids),
                }
                for i in network.identifiers
            ],
        },
        "leads": [
            {
                "kind": lead.kind,
                "detail": lead.detail,
                "evidence": lead.evidence,
                "source": lead.source,
                "strength": lead.strength,
                "excerpt": text_of(lead.snippet),
            }
            for lead in [*page.leads, *page.more_leads]
        ],
        "language_flags": [
            {"phrase": f.phrase, "suggested_wording": f.suggested_wording, "note_id": f.note_id}
            for f in page.flags
        ],
        "timeline": [
            {"date": _day(i.date), "kind": i.kind, "title": i.title, "text": text_of(i.text)}
            for i in page.timeline
        ],
        "assessments": [_assessment(a) for a in report.assessments],
        "victim_engagement": [vars(row) for row in report.victim_engagement],
        "referral_reasons": report.referral_reasons,
    }


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _reason(reason: Reason) -> dict[str, Any]:
    return {"label": reason.label, "value": reason.value, "verdict": reason.verdict}


def _assessment(a: Assessment) -> dict[str, Any]:
    signed = a.sign_off
    return {
        "version": a.version,
        "assessed_by": a.author,
        "assessed_at": a.at,
        "answers": [
            {"question": q, "answer": answer.value, "notes": notes}
            for q, answer, notes in a.answers
        ],
        "decision": a.decision.value,
        "rationale": a.rationale,
        "sign_off": None
        if signed is None
        else {
            "outcome": signed.outcome.value,
            "by": signed.supervisor,
            "at": signed.at,
            "comment": signed.comment,
        },
    }
