"""The latest possible date of birth, and ages from it: the SQL the pipeline screens with
and the Python the review pages use agree on every date the contract accepts."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from relook.contract.mapping import Mapping
from relook.contract.readers import FILE_COLUMN, ROW_COLUMN
from relook.contract.schema import PEOPLE
from relook.contract.staging import stage_typed
from relook.contract.validate import partial_date_valid_sql
from relook.pipeline.ages import age_on, latest_dob, latest_dob_sql

WRITTEN = (
    "1998", "1998-07", "1998-7", "1998-12", "1998-01", "2000-02", "1900-02", "2100-12",
    "1998-07-15", "1998-7-5", "2000-02-29", "2001-12-31", "1999-01-01",
    "1998-13", "1998-00", "1998-02-30", "2001-02-29", "1899", "98", "1998-", "1998/07",
    "14/07/1998", "unknown", "1998-07-15T00:00", "",
)  # fmt: skip
ON = (dt.date(2016, 2, 28), dt.date(2016, 2, 29), dt.date(2016, 12, 31), dt.date(2026, 11, 1))


@pytest.fixture(scope="module")
def staged() -> list[tuple[str, bool, dt.date | None, list[int | None]]]:
    """(written, accepted by the contract, latest dob by SQL, SQL ages on each of ON)."""
    con = duckdb.connect()
    columns = ", ".join(
        "w AS date_of_birth" if name == "date_of_birth" else f"NULL::VARCHAR AS {name}"
        for name in PEOPLE.column_names
    )
    values = ", ".join(f"('{w}', {i})" for i, w in enumerate(WRITTEN))
    con.execute(
        f"CREATE TABLE accepted_people AS SELECT {columns}, 'f' AS {FILE_COLUMN}, i AS {ROW_COLUMN}"
        f" FROM (VALUES {values}) v(w, i)"
    )
    mapping = Mapping()
    formats = mapping.formats_for("people", "date_of_birth")
    accepted = partial_date_valid_sql("date_of_birth", formats)
    # Staging reads only what validation accepted, as in a run.
    con.execute(f"DELETE FROM accepted_people WHERE NOT coalesce({accepted}, false)")
    stage_typed(con, PEOPLE, [], mapping)
    ages = ", ".join(f"date_sub('year', {latest_dob_sql('p')}, DATE '{on}')" for on in ON)
    rows = con.execute(f"SELECT date_of_birth, {latest_dob_sql('p')}, {ages} FROM people p")
    found = {row[0]: (row[1], list(row[2:])) for row in rows.fetchall()}
    return [(w, w in found, *found.get(w, (None, [None] * len(ON)))) for w in WRITTEN]


def test_python_reads_every_accepted_date_as_the_sql_does(
    staged: list[tuple[str, bool, dt.date | None, list[int | None]]],
) -> None:
    accepted = [(w, latest) for w, ok, latest, _ in staged if ok]
    # The table is not silently emptied by validation (2100-12 is now an implausible date).
    assert len(accepted) >= 12
    assert [(w, latest_dob(w)) for w, _ in accepted] == accepted


def test_python_ages_agree_with_duckdb(
    staged: list[tuple[str, bool, dt.date | None, list[int | None]]],
) -> None:
    for written, ok, latest, ages in staged:
        if ok and latest is not None:
            assert [age_on(latest, on) for on in ON] == ages, written


@pytest.mark.parametrize(
    ("written", "latest"),
    [
        ("1998", dt.date(1998, 12, 31)),
        ("1998-07", dt.date(1998, 7, 31)),
        ("2000-02", dt.date(2000, 2, 29)),
        ("1998-07-15", dt.date(1998, 7, 15)),
        ("1998-13", None),
        ("2001-02-29", None),
        ("14/07/1998", None),
        ("", None),
        (None, None),
    ],
)
def test_latest_possible_day(written: str | None, latest: dt.date | None) -> None:
    assert latest_dob(written) == latest


def test_a_leap_day_birthday_turns_a_year_older_on_1_march() -> None:
    born = dt.date(2000, 2, 29)
    assert age_on(born, dt.date(2018, 2, 28)) == 17
    assert age_on(born, dt.date(2018, 3, 1)) == 18
