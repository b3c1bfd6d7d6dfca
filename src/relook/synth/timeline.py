"""When things happened: report dates, offence periods and outcomes of a case."""

from __future__ import annotations

import random
from datetime import date, timedelta

from relook.synth.codes import CHARGED, between_ints, draw_nfa_outcome
from relook.synth.dates import FIRST_REPORT, LAST_REPORT, TODAY, WINDOW_END, WINDOW_START, between

Outcome = tuple[int | None, date | None, str | None]
"""(outcome_code, outcome_on, outcome_by); all None while a case is open."""


def draw_report_date(rng: random.Random) -> date:
    return between(rng, FIRST_REPORT, LAST_REPORT)


def draw_offence_period(rng: random.Random, reported_on: date) -> tuple[date | None, date | None]:
    """First and last offence dates; either may be unrecorded."""
    if rng.random() < 0.15:
        return None, None
    start = reported_on - timedelta(days=int(rng.expovariate(1 / 120)))
    if rng.random() < 0.4:
        return start, None
    return start, between(rng, start, reported_on)


def _decision_delay(rng: random.Random) -> int:
    """Days from report to outcome; a few cases are closed within days."""
    roll = rng.random()
    if roll < 0.06:
        return between_ints(rng, 1, 7)
    if roll < 0.60:
        return between_ints(rng, 30, 365)
    return between_ints(rng, 366, 1100)


def _decided_on(rng: random.Random, reported_on: date) -> date:
    decided = reported_on + timedelta(days=_decision_delay(rng))
    if decided > TODAY:  # keep the decision in the past: squeeze it into the time left
        decided = between(rng, reported_on + timedelta(days=1), TODAY)
    return decided


def nfa_outcome(rng: random.Random, reported_on: date) -> Outcome:
    code, by = draw_nfa_outcome(rng)
    return code, _decided_on(rng, reported_on), by


def charged_outcome(rng: random.Random, reported_on: date) -> Outcome:
    # outcome_by records who took a no-further-action decision: blank for a charge.
    return CHARGED, _decided_on(rng, reported_on), None


def open_outcome() -> Outcome:
    return None, None, None


def draw_open_report_date(rng: random.Random) -> date:
    """Open cases are mostly recent; a few long-running ones are older."""
    if rng.random() < 0.8:
        return between(rng, date(2023, 6, 1), LAST_REPORT)
    return between(rng, date(2016, 1, 1), date(2023, 5, 31))


def out_of_window_case(rng: random.Random) -> tuple[date, Outcome]:
    """A report date and an NFA outcome decided before or after the review window."""
    code, by = draw_nfa_outcome(rng)
    if rng.random() < 0.5:
        reported = between(rng, date(2008, 1, 1), date(2009, 6, 30))
        decided = between(rng, reported + timedelta(days=1), WINDOW_START - timedelta(days=1))
    else:
        reported = between(rng, date(2024, 10, 1), LAST_REPORT)
        earliest = max(reported, WINDOW_END) + timedelta(days=1)
        decided = between(rng, earliest, TODAY)
    return reported, (code, decided, by)
