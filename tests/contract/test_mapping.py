"""Mapping files: renames, constants, value translation, date formats, and their errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from relook.contract.mapping import load_mapping, to_strptime
from relook.errors import InputFileError, MappingError
from relook.pipeline.ingest import ingest

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples"


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    target = tmp_path / "export"
    shutil.copytree(EXAMPLE / "northshire-export", target)
    return target


def test_documented_example_maps_onto_the_contract(
    con: duckdb.DuckDBPyConnection, export_dir: Path
) -> None:
    mapping = load_mapping(EXAMPLE / "northshire-mapping.yaml")
    result = ingest(con, export_dir, mapping)
    assert result.quarantined == 0
    cases = con.execute(
        "SELECT case_id, force, reported_on::VARCHAR, outcome_code, outcome_by, cse_flag"
        " FROM cases ORDER BY case_id"
    ).fetchall()
    assert cases == [
        ("NS/2012/0001", "Northshire Police", "2012-03-14", 15, "police", True),
        ("NS/2012/0002", "Northshire Police", "2012-05-02", 16, "cps", False),
        ("NS/2012/0003", "Northshire Police", "2012-11-21", 15, "police", True),
    ]
    roles = con.execute("SELECT role, count(*) FROM people GROUP BY 1 ORDER BY 1").fetchall()
    assert roles == [("suspect", 3), ("victim", 3)]
    dob = con.execute(
        "SELECT dob::VARCHAR, dob_precision FROM people WHERE mention_id = 'P1'"
    ).fetchone()
    assert dob == ("1997-02-07", "day")
    partial = con.execute(
        "SELECT dob_year, dob_precision FROM people WHERE mention_id = 'P2'"
    ).fetchone()
    assert partial == (1984, "year")


def test_untranslated_legacy_code_is_quarantined_not_guessed(
    con: duckdb.DuckDBPyConnection, export_dir: Path
) -> None:
    crimes = export_dir / "CRIMES_2012.csv"
    crimes.write_text(crimes.read_text().replace("NFA-VICTIM", "NFA-OTHER"), encoding="utf-8")
    ingest(con, export_dir, load_mapping(EXAMPLE / "northshire-mapping.yaml"))
    rows = con.execute('SELECT row_number, "column", value FROM quarantine').fetchall()
    assert (3, "outcome_code", "NFA-OTHER") in rows


def test_iso_dates_still_parse_beside_a_declared_format(
    con: duckdb.DuckDBPyConnection, export_dir: Path
) -> None:
    crimes = export_dir / "CRIMES_2012.csv"
    crimes.write_text(crimes.read_text().replace("14/03/2012", "2012-03-14"), encoding="utf-8")
    result = ingest(con, export_dir, load_mapping(EXAMPLE / "northshire-mapping.yaml"))
    assert result.quarantined == 0


@pytest.mark.parametrize(
    ("friendly", "strptime"),
    [
        ("dd/mm/yyyy", "%d/%m/%Y"),
        ("dd.mm.yy", "%d.%m.%y"),
        ("dd/mm/yyyy HH:MM", "%d/%m/%Y %H:%M"),
        ("%Y%m%d", "%Y%m%d"),
    ],
)
def test_friendly_date_formats(friendly: str, strptime: str) -> None:
    assert to_strptime(friendly) == strptime


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("tables:\n  crimes:\n    columns: {A: case_id}\n", "not a contract table"),
        ("tables:\n  cases:\n    columns: {A: crime_number}\n", "'crime_number' is not a column"),
        ("tables:\n  cases:\n    colums: {A: case_id}\n", "colums"),
        ("tables:\n  cases:\n    date_formats: {summary: dd/mm/yyyy}\n", "is not a date"),
        ("date_formats: banana\n", "has no date parts"),
        ("tables: [unclosed\n", "is not valid YAML"),
    ],
)
def test_bad_mapping_file_names_the_file_and_the_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path)
    assert str(info.value).startswith(str(path))
    assert problem in str(info.value)


def _documented_yaml(heading: str) -> str:
    """The first YAML block after `heading` in docs/mapping.md."""
    docs = (EXAMPLE.parent / "mapping.md").read_text(encoding="utf-8")
    after = docs[docs.index(heading) :]
    return after.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_documented_combine_fallbacks_and_constants(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    mapping_path = tmp_path / "mapping.yaml"
    mapping_path.write_text(_documented_yaml("## Joining columns"), encoding="utf-8")
    data = tmp_path / "export"
    data.mkdir()
    (data / "crimes.csv").write_text(
        "REF,RECORDED,FIRST_OFFENCE\nK1,2012-03-14,2012-01-02\nK2,,2009-05-06\n",
        encoding="utf-8",
    )
    (data / "persons.csv").write_text(
        "ID,REF,HOUSE_NO,STREET,TOWN\nP1,K1,12,High Street,Leeds\nP2,K2,,Mill Lane, \n",
        encoding="utf-8",
    )
    result = ingest(con, data, load_mapping(mapping_path))
    assert result.quarantined == 0
    cases = con.execute(
        "SELECT case_id, reported_on::VARCHAR, offence_code FROM cases ORDER BY 1"
    ).fetchall()
    assert cases == [("K1", "2012-03-14", "71"), ("K2", "2009-05-06", "71")]
    people = con.execute(
        "SELECT mention_id, role, address, extra->>'house_no' FROM people ORDER BY 1"
    ).fetchall()
    assert people == [
        ("P1", "suspect", "12 High Street Leeds", "12"),
        ("P2", "suspect", "Mill Lane", None),
    ]


def test_combine_with_a_separator_and_a_missing_part_is_named(
    con: duckdb.DuckDBPyConnection, minimal_dir: Path, tmp_path: Path
) -> None:
    mapping_path = tmp_path / "mapping.yaml"
    mapping_path.write_text(
        "tables:\n  locations:\n    combine:\n"
        "      address: {columns: [name, postcode], separator: ', '}\n",
        encoding="utf-8",
    )
    locations = minimal_dir / "locations.csv"
    header, *rest = locations.read_text(encoding="utf-8").splitlines()
    columns = header.split(",")
    keep = [i for i, c in enumerate(columns) if c != "address"]
    locations.write_text(
        "\n".join(",".join(line.split(",")[i] for i in keep) for line in [header, *rest]) + "\n",
        encoding="utf-8",
    )
    ingest(con, minimal_dir, load_mapping(mapping_path))
    address = con.execute("SELECT name || ', ' || postcode = address FROM locations").fetchall()
    assert address == [(True,)]
    mapping_path.write_text(
        "tables:\n  locations:\n    combine:\n      address: [name, grid_ref]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError, match=r"locations\.csv: the mapping combines 'grid_ref'"):
        ingest(duckdb.connect(), minimal_dir, load_mapping(mapping_path))


def test_mapping_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_bytes("force: Northshire \xe9\n".encode("latin-1"))
    with pytest.raises(MappingError, match="is not UTF-8 text"):
        load_mapping(path)
