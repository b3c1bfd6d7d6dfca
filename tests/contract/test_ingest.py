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
from relook.pipeline.quality import build_quality


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
        # Numbers are never rounded: anything but digits is not a whole number.
        *(
            (
                "cases",
                2,
                f"C001,N,N,2014-03-02,,,71,,true,hotel,{value},,police,",
                "outcome_code",
                "not a whole number",
            )
            for value in ("2.4", "15.5", "1e1", "0x10")
        ),
        ("people", 3, "M002,C001,suspect,A,B,,,15.7,M,,,,,,,,,", "age_at_offence", "whole"),
        # Implausible dates are cell issues on optional columns, rejections on required ones.
        (
            "cases",
            2,
            "C001,N,N,1850-03-02,,,71,,true,hotel,15,,police,",
            "reported_on",
            "implausible",
        ),
        (
            "cases",
            2,
            "C001,N,N,2014-03-02,2099-01-01,,71,,true,hotel,15,,police,",
            "offence_from",
            "implausible date (before 1900-01-01 or after 2039-12-31)",
        ),
        (
            "cases",
            2,
            "C001,N,N,2014-03-02,2013-05-01,2013-01-01,71,,true,hotel,15,,police,",
            "offence_to",
            "offence_to is before offence_from",
        ),
        (
            "people",
            3,
            "M002,C001,suspect,A,B,,9999-12-31,,M,,,,,,,,,",
            "date_of_birth",
            "implausible date of birth",
        ),
        (
            "people",
            3,
            "M002,C001,suspect,A,B,,1850,,M,,,,,,,,,",
            "date_of_birth",
            "implausible date of birth",
        ),
        (
            "missing_episodes",
            2,
            "E001,Zoe,OBrien,,,2014-01-10 21:00,2013-01-01 10:00,,",
            "returned_at",
            "returned_at is before missing_from",
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


def test_a_postcode_that_is_not_a_uk_one_is_kept_and_counted(
    con: duckdb.DuckDBPyConnection, minimal_dir: Path
) -> None:
    _replace_line(minimal_dir / "people.csv", 3, "M002,C001,suspect,A,B,,,,M,,,,75008  paris,,,,,")
    _replace_line(minimal_dir / "people.csv", 4, "M003,C001,suspect,A,B,,1979-13,,M,,,,,,,,,")
    ingest(con, minimal_dir)
    build_quality(con)
    kept = con.execute(
        "SELECT postcode, postcode_norm, postcode_uk FROM people WHERE mention_id = 'M002'"
    ).fetchone()
    assert kept == ("75008  paris", "75008 PARIS", False)
    counts = dict(
        con.execute(
            "SELECT field, [sum(recorded), sum(not_understood), sum(blank), sum(total)]"
            " FROM quality WHERE \"table\" = 'people' AND role = '' GROUP BY field"
        ).fetchall()
    )
    recorded, not_understood, blank, total = counts["postcode"]
    assert not_understood == 1 and recorded + not_understood + blank == total
    # The month-13 date of birth was blanked, and is counted as not understood, not blank.
    assert counts["date_of_birth"][1] == 1
    every = con.execute(
        "SELECT count(*) FROM quality WHERE recorded + not_understood + blank <> total"
    ).fetchone()
    assert every == (0,)


def test_a_declared_format_is_named_and_an_optional_date_only_blanked(
    con: duckdb.DuckDBPyConnection, minimal_dir: Path
) -> None:
    _replace_line(minimal_dir / "people.csv", 3, "M002,C001,suspect,A,B,,19981301,,M,,,,,,,,,")
    mapping = Mapping.model_validate(
        {"tables": {"people": {"date_formats": {"date_of_birth": "yyyymmdd"}}}}
    )
    result = ingest(con, minimal_dir, mapping)
    assert result.counts["people"].quarantined == 0
    assert _quarantine(con) == [
        (
            "people",
            3,
            "date_of_birth",
            "not a valid date of birth (expected yyyy or yyyy-mm or yyyymmdd or yyyy-mm-dd)",
        )
    ]


def test_a_folder_and_broken_links_are_listed_as_not_read(
    con: duckdb.DuckDBPyConnection, minimal_dir: Path
) -> None:
    (minimal_dir / "notes_2016.csv").mkdir()
    (minimal_dir / "vehicles_old.csv").symlink_to(minimal_dir / "gone.csv")
    (minimal_dir / "people_loop.csv").symlink_to(minimal_dir / "people_loop.csv")
    (minimal_dir / "missing_episodes.csv").unlink()
    result = ingest(con, minimal_dir)
    assert sorted((e.path.name, e.reason) for e in result.not_read) == [
        ("notes_2016.csv", "a folder, not a file: relook does not read sub-folders"),
        ("people_loop.csv", "a symbolic link that loops"),
        ("vehicles_old.csv", "a symbolic link to nothing"),
    ]
    assert result.warnings == ["no missing_episodes file: the table is read as empty"]


def _add_column(path: Path, name: str, values: list[str]) -> None:
    """Append a column to a CSV: `values[i]` for data row i (blank beyond the list)."""
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    cells = values + [""] * (len(rows) - len(values))
    lines = [f"{header},{name}", *(f"{row},{cell}" for row, cell in zip(rows, cells, strict=True))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_national_criteria_columns_are_read_and_a_bad_value_blanked(
    con: duckdb.DuckDBPyConnection, minimal_dir: Path
) -> None:
    """cases.previously_reviewed and people.deceased: optional true/false like any other."""
    _add_column(minimal_dir / "cases.csv", "previously_reviewed", ["true", "perhaps", "no"])
    _add_column(minimal_dir / "people.csv", "Deceased", ["", "yes", "dead"])
    result = ingest(con, minimal_dir)
    assert result.counts["cases"].quarantined == result.counts["people"].quarantined == 0
    problems = [(t, r, c) for t, r, c, _e in _quarantine(con)]
    assert problems == [("cases", 3, "previously_reviewed"), ("people", 4, "deceased")]
    assert _actions(con, "cases") == _actions(con, "people") == {BLANKED}
    reviewed = con.execute(
        "SELECT case_id, previously_reviewed FROM cases ORDER BY case_id LIMIT 3"
    ).fetchall()
    assert [r[1] for r in reviewed] == [True, None, False]
    deceased = con.execute(
        "SELECT mention_id, deceased FROM people ORDER BY mention_id LIMIT 3"
    ).fetchall()
    assert [d[1] for d in deceased] == [None, True, None]
