"""The fixed calendar of the synthetic force, and date arithmetic on it.

"Today" is a constant, never the wall clock, so that the same seed gives the same bytes
on any day. Ages and the review window are computed against these constants.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

TODAY = date(2026, 11, 1)
"""The generator's "today": no record is dated after it."""

WINDOW_START = date(2010, 1, 1)
WINDOW_END = date(2025, 3, 31)
"""The default review window on the no-further-action date (domain brief)."""

FIRST_REPORT = date(2008, 7, 1)
LAST_REPORT = date(2025, 9, 30)
"""Reports are spread over these dates, so most NFA outcomes fall inside the window and
some fall before it (reported 2008-2009) or after it (decided from April 2025)."""

ADULT_AGE = 18


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(dob: date, on: date) -> int:
    """Completed years of age on a day."""
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def dob_for_age(rng: random.Random, age: int, on: date) -> date:
    """A date of birth that makes someone exactly `age` on `on`."""
    latest = add_years(on, -age)
    earliest = add_years(on, -(age + 1)) + timedelta(days=1)
    return between(rng, earliest, latest)


def between(rng: random.Random, start: date, end: date) -> date:
    """A uniformly random day in [start, end]; `start` when the range is empty."""
    span = (end - start).days
    if span <= 0:
        return start
    return start + timedelta(days=int(rng.random() * (span + 1)))


def iso(day: date | None) -> str:
    """ISO 8601 text, or blank for "not recorded"."""
    return "" if day is None else day.isoformat()


def iso_minute(moment: datetime | None) -> str:
    """`YYYY-MM-DDTHH:MM`, or blank."""
    return "" if moment is None else moment.strftime("%Y-%m-%dT%H:%M")


def written_dob_bounds(written: str) -> tuple[date, date]:
    """Earliest and latest true dates a written (possibly partial) date of birth allows."""
    parts = written.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(parts[1])
    if len(parts) == 2:
        next_month = date(year + month // 12, month % 12 + 1, 1)
        return date(year, month, 1), next_month - timedelta(days=1)
    exact = date(year, month, int(parts[2]))
    return exact, exact


def written_dob_is_child(written: str, on: date) -> bool | None:
    """Whether a written date of birth says "under 18 on `on`": None when it cannot tell."""
    earliest, latest = written_dob_bounds(written)
    oldest_age = age_on(earliest, on)
    youngest_age = age_on(latest, on)
    if oldest_age < ADULT_AGE:
        return True
    if youngest_age >= ADULT_AGE:
        return False
    return None
