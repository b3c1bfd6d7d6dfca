"""Ages in SQL from dates of birth that may be partial, shared by screening and scoring.

A partial date of birth is read as its latest possible day (1998 → 1998-12-31, 1998-07 →
1998-07-31): the youngest the person can have been, so a victim who may have been a child
is treated as one, for a reviewer to check.
"""

from __future__ import annotations


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
