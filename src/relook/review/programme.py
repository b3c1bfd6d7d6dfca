"""The review as a programme: progress against the deadline, the rate, the backlog.

Everything here is counted from the store (the cases of the run shown, their review state,
assessments and sign-offs), so the dashboard agrees with the queue. A case is *done* when
a supervisor has approved an assessment of it; *referred* when that assessment's decision
is anything but "confirm no further action".

The forecast divides the cases still to do by the rate of the last four full weeks
(approved sign-offs per week); its range uses the slowest and the fastest of those weeks.
It says nothing until a week has passed with work done.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, func, select

from relook.review.assessments import Decision, SignOffOutcome
from relook.review.queue import CaseStatus
from relook.review.victim_engagement import EngagementStatus
from relook.security import audit
from relook.security.accounts import User
from relook.security.audit import AuditAction
from relook.store.clock import now_iso
from relook.store.tables import (
    assessments,
    case_state,
    programme_settings,
    run_cases,
    run_people,
    signoffs,
    users,
    victim_engagement,
)

RATE_WEEKS = 4
OVERDUE_DAYS = 28
"""An assigned case with no assessment after this many days is overdue."""
SLOW_SIGN_OFF_DAYS = 7


@dataclass(frozen=True)
class Settings:
    start_on: dt.date | None = None
    deadline: dt.date | None = None
    weekly_target: int | None = None
    updated_by: str | None = None
    updated_at: str | None = None


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def settings(connection: Connection) -> Settings:
    row = connection.execute(select(programme_settings)).first()
    if row is None:
        return Settings()
    return Settings(
        _day(row.start_on), _day(row.deadline), row.weekly_target, row.updated_by, row.updated_at
    )


def save_settings(
    connection: Connection,
    by: User,
    *,
    start_on: dt.date | None,
    deadline: dt.date | None,
    weekly_target: int | None,
) -> None:
    values = {
        "start_on": start_on.isoformat() if start_on else None,
        "deadline": deadline.isoformat() if deadline else None,
        "weekly_target": weekly_target,
        "updated_by": by.username,
        "updated_at": now_iso(),
    }
    connection.execute(programme_settings.delete())
    connection.execute(programme_settings.insert().values(id=1, **values))
    audit.append(
        connection, by.actor, AuditAction.PROGRAMME_SETTINGS, object_type="programme",
        detail={k: v for k, v in values.items() if k not in ("updated_by", "updated_at")},
    )  # fmt: skip


STAGES = ("unassigned", "in_progress", "awaiting_sign_off", "done")
_STAGE_OF = {
    None: "unassigned",
    CaseStatus.UNASSIGNED.value: "unassigned",
    CaseStatus.ASSIGNED.value: "in_progress",
    CaseStatus.RETURNED.value: "in_progress",
    CaseStatus.AWAITING_SIGN_OFF.value: "awaiting_sign_off",
    CaseStatus.SIGNED_OFF.value: "done",
}


@dataclass(frozen=True)
class Tally:
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Progress:
    overall: Tally
    referred: int
    by: dict[str, list[Tally]]
    """`band`, `area`, `category`, `reviewer` → a tally per value."""


_facts_cache: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
_facts_lock = threading.Lock()


def run_facts(
    connection: Connection, run_id: str, name: str, query: Select[Any]
) -> list[tuple[Any, ...]]:
    """The rows of `query` for the run: facts of a run are fixed, so read once per process
    (the review state, which changes, is read on every page)."""
    with _facts_lock:
        cached = _facts_cache.get((run_id, name))
    if cached is None:
        cached = [tuple(row) for row in connection.execute(query)]
        with _facts_lock:
            for key in [k for k in _facts_cache if k[0] != run_id]:
                del _facts_cache[key]  # one run is shown at a time
            _facts_cache[(run_id, name)] = cached
    return cached


def _case_facts(connection: Connection, run_id: str) -> list[tuple[Any, ...]]:
    """(case, band, area, category) of each in-scope case."""
    query = select(
        run_cases.c.case_id, run_cases.c.priority_band, run_cases.c.area, run_cases.c.category
    ).where(run_cases.c.run_id == run_id, run_cases.c.in_scope_wider.is_(True))
    return run_facts(connection, run_id, "case_facts", query)


def _in_scope(connection: Connection, run_id: str) -> Counter[tuple[Any, ...]]:
    """How many in-scope cases share each (band, area, category, reviewer, status)."""
    states = {
        case_id: (username, status)
        for case_id, username, status in connection.execute(
            select(case_state.c.case_id, users.c.username, case_state.c.status).select_from(
                case_state.outerjoin(users, users.c.id == case_state.c.assignee_id)
            )
        )
    }
    return Counter(
        (band, area, category, *states.get(case_id, (None, None)))
        for case_id, band, area, category in _case_facts(connection, run_id)
    )


def _tallies(rows: Iterable[tuple[str | None, str, int]], missing: str) -> list[Tally]:
    counted: dict[str, Counter[str]] = defaultdict(Counter)
    for label, stage, n in rows:
        counted[label or missing][stage] += n
    return [
        Tally(label, {stage: counted[label][stage] for stage in STAGES})
        for label in sorted(counted, key=lambda k: (-sum(counted[k].values()), k))
    ]


def _referred(connection: Connection) -> int:
    """Cases whose approved assessment decides anything but no further action."""
    query = (
        select(func.count(func.distinct(assessments.c.case_id)))
        .select_from(assessments.join(signoffs, signoffs.c.assessment_id == assessments.c.id))
        .where(
            signoffs.c.outcome == SignOffOutcome.APPROVED.value,
            assessments.c.decision != Decision.NO_FURTHER_ACTION.value,
        )
    )
    return int(connection.execute(query).scalar_one())


def progress(connection: Connection, run_id: str) -> Progress:
    groups = _in_scope(connection, run_id)
    staged = [(row, _STAGE_OF.get(row[4], "in_progress"), n) for row, n in groups.items()]
    overall = _tallies((("all", stage, n) for _row, stage, n in staged), "all")
    by = {
        name: _tallies(((row[i], stage, n) for row, stage, n in staged), missing)
        for i, (name, missing) in enumerate(
            (("band", "not ranked"), ("area", "not recorded"), ("category", "not recorded"),
             ("reviewer", "nobody yet"))
        )
    }  # fmt: skip
    empty = Tally("all", dict.fromkeys(STAGES, 0))
    return Progress(overall[0] if overall else empty, _referred(connection), by)


@dataclass(frozen=True)
class EngagementCounts:
    by_status: dict[EngagementStatus, int]
    """Victims of in-scope cases by their current status (every status, zeros too)."""
    cases_with_agreement: int
    """In-scope cases with at least one victim who agrees to reinvestigation."""

    @property
    def victims(self) -> int:
        return sum(self.by_status.values())


def engagement(connection: Connection, run_id: str) -> EngagementCounts:
    """Victims (victim mentions) of the run's in-scope cases by current engagement status;
    a victim with nothing recorded is not yet contacted."""
    in_scope_victims = (
        select(run_people.c.case_id, run_people.c.mention_id)
        .join(
            run_cases,
            (run_cases.c.run_id == run_people.c.run_id)
            & (run_cases.c.case_id == run_people.c.case_id),
        )
        .where(
            run_people.c.run_id == run_id,
            run_people.c.role == "victim",
            run_cases.c.in_scope_wider.is_(True),
        )
    )
    victims = run_facts(connection, run_id, "in_scope_victims", in_scope_victims)
    latest: dict[tuple[Any, ...], str] = {}
    entries = select(
        victim_engagement.c.case_id, victim_engagement.c.victim_mention_id,
        victim_engagement.c.status,
    ).order_by(victim_engagement.c.id)  # fmt: skip
    for case_id, mention_id, status in connection.execute(entries):
        latest[(case_id, mention_id)] = status  # the later entry wins
    # Tally the stored strings (thousands of victims) and name the statuses once.
    statuses = Counter(
        latest.get(victim, EngagementStatus.NOT_CONTACTED.value) for victim in victims
    )
    agrees = EngagementStatus.AGREES.value
    agreeing = {victim[0] for victim in victims if latest.get(victim) == agrees}
    return EngagementCounts({s: statuses.get(s.value, 0) for s in EngagementStatus}, len(agreeing))


@dataclass(frozen=True)
class Week:
    starts: dt.date
    submitted: int
    signed_off: int


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _stamps(connection: Connection) -> tuple[list[str], list[str]]:
    submitted = list(connection.execute(select(assessments.c.at)).scalars())
    approved = list(
        connection.execute(
            select(signoffs.c.at).where(signoffs.c.outcome == SignOffOutcome.APPROVED.value)
        ).scalars()
    )
    return submitted, approved


def weekly(connection: Connection, today: dt.date, since: dt.date | None = None) -> list[Week]:
    """Assessments submitted and approved per week (Monday first), up to this week."""
    submitted, approved = _stamps(connection)
    sub = Counter(_monday(dt.date.fromisoformat(at[:10])) for at in submitted)
    app = Counter(_monday(dt.date.fromisoformat(at[:10])) for at in approved)
    first = min([*sub, *app], default=_monday(today))
    if since is not None:
        first = min(first, _monday(since))
    weeks, day = [], first
    while day <= _monday(today):
        weeks.append(Week(day, sub[day], app[day]))
        day += dt.timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class Forecast:
    remaining: int
    rate: float | None
    """Cases approved per week, over the last full weeks."""
    finish: dt.date | None
    earliest: dt.date | None
    latest: dt.date | None
    deadline: dt.date | None
    needed_rate: float | None
    """What the rate must be from now to meet the deadline."""

    @property
    def on_track(self) -> bool | None:
        if self.deadline is None or self.finish is None:
            return None
        return self.finish <= self.deadline


def _finish(today: dt.date, remaining: int, rate: float) -> dt.date | None:
    if remaining == 0:
        return today
    if rate <= 0:
        return None
    return today + dt.timedelta(days=round(7 * remaining / rate))


def forecast(
    overall: Tally, weeks: Sequence[Week], today: dt.date, deadline: dt.date | None
) -> Forecast:
    remaining = overall.total - overall.counts["done"]
    full = [w.signed_off for w in weeks if w.starts < _monday(today)][-RATE_WEEKS:]
    weeks_left = (deadline - today).days / 7 if deadline and deadline > today else None
    needed = remaining / weeks_left if weeks_left else None
    if not full or not any(full):
        return Forecast(remaining, None, None, None, None, deadline, needed)
    rate = sum(full) / len(full)
    return Forecast(
        remaining,
        rate,
        _finish(today, remaining, rate),
        _finish(today, remaining, max(full)),
        _finish(today, remaining, min(full)),
        deadline,
        needed,
    )


@dataclass(frozen=True)
class Waiting:
    case_id: str
    who: str
    since: str
    days: int


def _days_since(at: str, today: dt.date) -> int:
    return (today - dt.date.fromisoformat(at[:10])).days


def waiting_sign_off(connection: Connection, today: dt.date) -> list[Waiting]:
    """Assessments submitted and not yet signed off, the longest waiting first."""
    query = (
        select(assessments.c.case_id, users.c.username, assessments.c.at)
        .select_from(
            case_state.join(
                assessments,
                (assessments.c.case_id == case_state.c.case_id)
                & (assessments.c.version == case_state.c.latest_version),
            ).join(users, users.c.id == assessments.c.author_id)
        )
        .where(case_state.c.status == CaseStatus.AWAITING_SIGN_OFF.value)
        .order_by(assessments.c.at, assessments.c.case_id)
    )
    return [Waiting(c, who, at, _days_since(at, today)) for c, who, at in connection.execute(query)]


def overdue(connection: Connection, today: dt.date) -> list[Waiting]:
    """Cases assigned (or returned) for more than OVERDUE_DAYS with nothing submitted since."""
    cutoff = (today - dt.timedelta(days=OVERDUE_DAYS)).isoformat()
    query = (
        select(case_state.c.case_id, users.c.username, case_state.c.updated_at)
        .select_from(case_state.join(users, users.c.id == case_state.c.assignee_id))
        .where(
            case_state.c.status.in_((CaseStatus.ASSIGNED.value, CaseStatus.RETURNED.value)),
            case_state.c.updated_at < cutoff,
        )
        .order_by(case_state.c.updated_at, case_state.c.case_id)
    )
    return [Waiting(c, who, at, _days_since(at, today)) for c, who, at in connection.execute(query)]
