"""Ingest: validation classes, quarantine, and the rows-in = accepted + quarantined invariant."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from relook.contract.mapping import Mapping
from relook.contract.schema import TABLES
from relook.contract.validate import BLANKED, REJECTED
from relook.errors import InputFileError, RelookError
from relook.pipeline.ingest import ingest


def _replace_line(path: Path, line_number: int, new_line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line_number - 1] = new_line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _quarantine(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, str, str]]:
    rows = con.execute(
        'SELECT "table", row_number, "column", error FROM quarantine ORDER BY ALL'
    ).fetchall()
    return [(str(t), int(r), str(c), str(e)) for t, r, c, e in rows]


def test_clean_dataset_quarantines_nothing(
    con: duckdb.DuckDBPyConnection, minimal_dir: Path
) -> None:
    result = ingest(con, minimal_dir)
    assert result.quarantined == 0
    assert {n: c.accepted for n, c in result.counts.items()} == {
        "cases": 3,
        "people": 6,
        "vehicles": 2,
        "locations": 1,
        "notes": 2,
        "missing_episodes": 1,
    }


def test_typed_and_normalised_columns(con: duckdb.DuckDBPyConnection, minimal_dir: Path) -> None:
    ingest(con, minimal_dir)
    case = con.execute(
        "SELECT reported_on::VARCHAR, cse_flag, outcome_code, setting FROM cases WHERE case_id='C001'"
    ).fetchone()
    assert case == ("2014-03-02", True, 15, "hotel")
    people = dict(
        (r[0], r[1:])
        for r in con.execute(
            "SELECT mention_id, forenames_folded, surname_folded, phone_e164, postcode_norm,"
            " dob_year, dob_month, dob_day, dob_precision FROM people"
        ).fetchall()
    )
    assert people["M001"] == ("zoe", "obrien", "+447700900123", "SW1A 1AA", 1999, 4, 12, "day")
    assert people["M002"][2] == "+447700900456" and people["M002"][4:] == (1980, None, None, "year")
    assert people["M003"][4:] == (1979, 7, None, "month")
    assert people["M005"][2] == "+447700900456"
    vrms = con.execute("SELECT DISTINCT vrm_canonical, vrm_format FROM vehicles").fetchall()
    assert vrms == [("AB12CDE", "current")]


@pytest.mark.parametrize(
    ("table", "line", "new_line", "column", "error"),
    [
        (
            "cases",
            2,
            "C001,N,N,2014-02-30,,,71,,true,hotel,15,,police,",
            "reported_on",
            "not a valid date",
        ),
        (
            "cases",
            2,
            "C001,N,N,,,,71,,true,hotel,15,,police,",
            "reported_on",
            "required value is blank",
        ),
        (
            "cases",
            2,
            "C001,N,N,2014-03-02,,,71,,maybe,hotel,15,,police,",
            "cse_flag",
            "not true or false",
        ),
        (
            "cases",
            2,
            "C001,N,N,2014-03-02,,,71,,true,garden,15,,police,",
            "setting",
            "not one of the allowed values",
        ),
        (
            "cases",
            2,
            "C001,N,N,2014-03-02,,,71,,true,hotel,23,,police,",
            "outcome_code",
            "outside the allowed range 1–22",
        ),
        (
            "cases",
            2,
            "C001,N,N,2014-03-02,,,71,,true,hotel,NFA,,police,",
            "outcome_code",
            "not a whole number",
        ),
        (
            "cases",
            2,
            "C001,N,N,2014-03-02,,,71,,true,hotel,15,,court,",
            "outcome_by",
            "not one of the allowed values",
        ),
        ("people", 3, "M002,C001,boss,A,B,,,,M,,,,,,,,,", "role", "not one of the allowed values"),
        (
            "people",
            3,
            "M002,C001,suspect,A,B,,1980-13,,M,,,,,,,,,",
            "date_of_birth",
            "not a valid date of birth",
        ),
        (
            "people",
            3,
            "M002,C001,suspect,A,B,,,,Q,,,,,,,,,",
            "sex",
            "not one of the allowed values",
        ),
        (
            "people",
            3,
            "M002,C001,suspect,A,B,,,,M,,,,,,,boss,,",
            "relationship_to_victim",
            "not one of",
        ),
        (
            "people",
            3,
            "M002,C001,suspect,A,B,,,ten,M,,,,,,,,,",
            "age_at_offence",
            "not a whole number",
        ),
        (
            "people",
            3,
            "M002,C999,suspect,A,B,,,,M,,,,,,,,,",
            "case_id",
            "does not match an accepted row of cases",
        ),
        (
            "people",
            3,
            "M001,C001,suspect,A,B,,,,M,,,,,,,,,",
            "mention_id",
            "duplicate mention_id (first seen at people.csv row 2)",
        ),
        (
            "vehicles",
            2,
            "V001,C001,AB12CDE,,,,M999,",
            "mention_id",
            "does not match an accepted row of people",
        ),
        (
            "notes",
            2,
            "N001,C001,2014-03-05,investigating_officer,",
            "text",
            "required value is blank",
        ),
        (
            "missing_episodes",
            2,
            "E001,Zoe,OBrien,,,2014-01-10 25:00,,,",
            "missing_from",
            "not a valid date and time",
        ),
    ],
)
def test_each_validation_error_class_is_reported_on_exactly_that_row(
    con: duckdb.DuckDBPyConnection,
    minimal_dir: Path,
    table: str,
    line: int,
    new_line: str,
    column: str,
    error: str,
) -> None:
    _replace_line(minimal_dir / f"{table}.csv", line, new_line)
    result = ingest(con, minimal_dir)
    problems = [p for p in _quarantine(con) if p[0] == table]
    assert [(p[1], p[2]) for p in problems] == [(line, column)]
    assert error in problems[0][3]
    counts = result.counts[table]
    schema = TABLES[table]
    if schema.column(column).required or column == schema.id_column:
        # A key or required value that cannot be read rejects the row.
        assert counts.quarantined == 1 and counts.rows_in == counts.accepted + 1
        assert _actions(con, table) == {REJECTED}
    else:
        # An optional cell that cannot be read is blanked; the row is kept.
        assert counts.quarantined == 0 and counts.rows_in == counts.accepted
        assert _actions(con, table) == {BLANKED}
        blank = con.execute(
            f"SELECT {column} IS NULL FROM {table} WHERE source_row = {line}"
        ).fetchone()
        assert blank == (True,)


def _actions(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute('SELECT DISTINCT action FROM quarantine WHERE "table" = ?', [table])
    return {str(a) for (a,) in rows.fetchall()}


def test_quarantined_case_takes_its_dependants_with_it(
    con: duckdb.DuckDBPyConnection, minimal_dir: Path
) -> None:
    _replace_line(minimal_dir / "cases.csv", 2, "C001,N,N,not a date,,,71,,true,hotel,15,,police,")
    result = ingest(con, minimal_dir)
    assert result.counts["cases"].quarantined == 1
    # Every row that named C001 is quarantined too, with a reason; nothing silently dropped.
    assert result.counts["people"].quarantined == 3
    assert result.counts["vehicles"].quarantined == 1
    assert result.counts["locations"].quarantined == 1
    assert result.counts["notes"].quarantined == 1
    for c in result.counts.values():
        assert c.rows_in == c.accepted + c.quarantined


def test_unknown_columns_are_kept_as_extra_attributes(
    con: duckdb.DuckDBPyConnection, minimal_dir: Path
) -> None:
    path = minimal_dir / "locations.csv"
    path.write_text(
        "location_id,case_id,kind,name,address,postcode,mention_id,Grid_Ref\n"
        "L001,C001,hotel,Station Hotel,1 Station Road,M1 1AE,,SJ 838 980\n",
        encoding="utf-8",
    )
    ingest(con, minimal_dir)
    extra = con.execute("SELECT extra->>'grid_ref' FROM locations").fetchone()
    assert extra == ("SJ 838 980",)


def test_missing_required_column_stops_with_file_named(
    con: duckdb.DuckDBPyConnection, minimal_dir: Path
) -> None:
    (minimal_dir / "notes.csv").write_text("note_id,case_id\nN1,C001\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"notes\.csv: missing required column 'text'"):
        ingest(con, minimal_dir)


def test_no_cases_file_is_a_clear_error(con: duckdb.DuckDBPyConnection, minimal_dir: Path) -> None:
    (minimal_dir / "cases.csv").unlink()
    with pytest.raises(RelookError, match="no cases file found"):
        ingest(con, minimal_dir)


def test_several_files_make_one_table_and_unknown_files_are_reported(
    con: duckdb.DuckDBPyConnection, minimal_dir: Path
) -> None:
    (minimal_dir / "notes_2016.csv").write_text(
        "note_id,case_id,text\nN100,C002,Later note.\n", encoding="utf-8"
    )
    (minimal_dir / "readme.txt").write_text("hello", encoding="utf-8")
    result = ingest(con, minimal_dir, Mapping())
    assert result.counts["notes"].accepted == 3
    assert result.counts["notes"].files == ("notes.csv", "notes_2016.csv")
    assert [p.name for p in result.unrecognised] == ["readme.txt"]
