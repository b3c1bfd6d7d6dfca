"""Ages from dates of birth that may be partial: one rule, in SQL for the pipeline's
screening and scoring and in Python for the review pages.

A partial date of birth is read as its latest possible day (1998 → 1998-12-31, 1998-07 →
1998-07-31, a full date → itself): the youngest the person can have been, so a victim who
may have been a child is treated as one, for a reviewer to check.

The SQL reads the columns staging splits a date of birth into (`dob`, `dob_year`,
`dob_month`, `dob_precision`); the Python reads the date as written (the store keeps only
that). `tests/pipeline/test_ages.py` runs both over a table of partial and odd dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from relook.contract.validate import PARTIAL_DATE_REGEX

_PARTIAL_DATE = re.compile(PARTIAL_DATE_REGEX)


def latest_dob(written: str | None) -> dt.date | None:
    """The latest possible day of a date of birth written `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.

    None when blank or not one of those shapes: a full date in another format the force
    declared (14/07/1998) is understood only by staging, which knows the formats.
    """
    match = _PARTIAL_DATE.fullmatch(written or "")
    if match is None:
        return None
    year, month, day = match.group(1), match.group(3), match.group(5)
    try:
        if month is None:
            return dt.date(int(year), 12, 31)
        if day is None:
            last = calendar.monthrange(int(year), int(month))[1]
            return dt.date(int(year), int(month), last)
        return dt.date(int(year), int(month), int(day))
    except ValueError:  # month 13, 30 February: the contract quarantines these
        return None


def age_on(born: dt.date, on: dt.date) -> int:
    """Whole years from `born` to `on`, as DuckDB's `date_sub('year', born, on)` counts
    (towards zero, so a date of birth after `on` gives a negative age, not one less)."""
    if on < born:
        return -age_on(on, born)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def latest_dob_sql(alias: str) -> str:
    """The latest possible date of birth of the people row `alias` (NULL when none)."""
    return (
        f"CASE {alias}.dob_precision WHEN 'day' THEN {alias}.dob"
        f" WHEN 'month' THEN last_day(make_date({alias}.dob_year, {alias}.dob_month, 1))"
        f" WHEN 'year' THEN make_date({alias}.dob_year, 12, 31) END"
    )


def age_sql(alias: str, on_sql: str) -> str:
    """Age in whole years on the date `on_sql`; `age_at_offence` when no date of birth."""
    latest = latest_dob_sql(alias)
    return (
        f"CASE WHEN {latest} IS NOT NULL THEN date_sub('year', {latest}, {on_sql})"
        f" ELSE {alias}.age_at_offence END"
    )
