"""Readers: every format gives the same text table, with row numbers a person can use."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from relook.contract.readers import FILE_COLUMN, MAX_CELL_CHARS, ROW_COLUMN, read_file
from relook.errors import InputFileError


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write_jsonl(rows: list[dict[str, str]], path: Path) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _write_parquet(rows: list[dict[str, str]], path: Path) -> None:
    pq.write_table(pa.Table.from_pylist(rows), path)


def _write_excel(rows: list[dict[str, str]], path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append([v if v != "" else None for v in row.values()])
    workbook.save(path)


WRITERS = {".jsonl": _write_jsonl, ".parquet": _write_parquet, ".xlsx": _write_excel}


def test_csv_reads_every_value_as_text_with_spreadsheet_row_numbers(minimal_dir: Path) -> None:
    result = read_file(minimal_dir / "people.csv")
    table = result.table
    assert table.column(ROW_COLUMN).to_pylist() == [2, 3, 4, 5, 6, 7]
    assert set(table.column(FILE_COLUMN).to_pylist()) == {"people.csv"}
    assert table.column("forenames").to_pylist()[0] == "Zoë"
    assert table.column("date_of_birth").to_pylist()[3] is None  # blank = not recorded
    assert all(pa.types.is_string(t) for t in table.schema.types[:-1])


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_other_formats_give_the_same_values_as_csv(minimal_dir: Path, suffix: str) -> None:
    rows = _csv_rows(minimal_dir / "people.csv")
    path = minimal_dir / f"people{suffix}"
    WRITERS[suffix](rows, path)
    expected = read_file(minimal_dir / "people.csv").table.drop([FILE_COLUMN, ROW_COLUMN])
    got = read_file(path).table.drop([FILE_COLUMN, ROW_COLUMN])
    assert got.column_names == expected.column_names
    for name in expected.column_names:
        assert got.column(name).to_pylist() == expected.column(name).to_pylist(), name


def test_column_names_are_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("Case_ID, REPORTED_ON ,Offence_Code\nC1,2014-01-01,71\n", encoding="utf-8")
    assert read_file(path).table.column_names[:3] == ["case_id", "reported_on", "offence_code"]


def test_csv_row_with_wrong_field_count_is_a_row_problem(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("a,b\n1,2\n1,2,3\n4,5\n", encoding="utf-8")
    result = read_file(path)
    assert result.table.column(ROW_COLUMN).to_pylist() == [2, 4]
    assert [(p.row, p.error) for p in result.problems] == [
        (3, "row has 3 fields but the header has 2")
    ]
    assert result.rows_read == 3


def test_rows_are_numbered_by_record_not_by_line(tmp_path: Path) -> None:
    # A cell with a line break is one record: the next record is row 3, not line 4.
    path = tmp_path / "notes.csv"
    path.write_text('id,text\nN1,"line one\nline two"\nN2,x\n', encoding="utf-8")
    assert read_file(path).table.column(ROW_COLUMN).to_pylist() == [2, 3]


def test_jsonl_bad_line_is_a_row_problem_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text('{"case_id": "C1"}\n{not json\n[1, 2]\n{"case_id": "C2", "x": true}\n')
    result = read_file(path)
    assert result.table.column(ROW_COLUMN).to_pylist() == [1, 4]
    assert result.table.column("x").to_pylist() == [None, "true"]
    assert [p.row for p in result.problems] == [2, 3]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("cases.csv", b"case_id,x\n\xff\xfe,1\n", "is not UTF-8 text"),
        ("cases.csv", b"", "is empty"),
        ("cases.csv", b"case_id,case_id\n1,2\n", "appears twice"),
        ("cases.jsonl", b"this is not json\n", "is not JSON Lines"),
        ("cases.parquet", b"PAR1 not really", "is not a readable Parquet file"),
        ("cases.xlsx", b"plain text", "is not a readable Excel workbook"),
        ("cases.txt", b"x", "unsupported file type"),
    ],
)
def test_unreadable_file_names_the_file_and_problem(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError) as info:
        read_file(path)
    assert str(info.value).startswith(str(path))
    assert problem in str(info.value)


def test_excel_dates_and_numbers_read_as_contract_text(tmp_path: Path) -> None:
    import datetime as dt

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "cases"
    sheet.append(["case_id", "reported_on", "outcome_code", "cse_flag"])
    sheet.append(["C1", dt.datetime(2014, 3, 2), 15, True])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    table = read_file(path, sheet="CASES").table
    assert table.to_pylist()[0] == {
        "case_id": "C1",
        "reported_on": "2014-03-02",
        "outcome_code": "15",
        "cse_flag": "true",
        FILE_COLUMN: "export.xlsx",
        ROW_COLUMN: 2,
    }


def test_a_stray_quote_costs_only_its_own_row(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        'case_id,area,summary\nC1,North,ok\nC2,"South,never closed\nC3,East,fine\n'
        'C4,West,"two\nlines, with, commas"\nC5,North,"stray\nC6,South,last\n',
        encoding="utf-8",
    )
    result = read_file(path)
    assert result.table.column("case_id").to_pylist() == ["C1", "C3", "C4", "C6"]
    assert result.table.column(ROW_COLUMN).to_pylist() == [2, 4, 5, 7]
    assert [(p.row, p.error.split(";")[0]) for p in result.problems] == [
        (3, 'a quote (") opens in this row and does not close before the next record'),
        (6, 'a quote (") opens in this row and does not close before the next record'),
    ]
    assert result.rows_read == 6


def test_a_paragraph_with_commas_stays_in_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(
        'note_id,case_id,text\nN1,C1,"Met the victim at 10:00\nSaw him, then, left"\nN2,C1,x\n',
        encoding="utf-8",
    )
    result = read_file(path)
    assert result.table.column("note_id").to_pylist() == ["N1", "N2"]
    assert result.problems == []


def test_blank_rows_of_spaces_are_counted_and_empty_lines_are_not(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("case_id,area\nC1,North\n\n   \n , \nC2,South\n", encoding="utf-8")
    result = read_file(path)
    assert result.table.column(ROW_COLUMN).to_pylist() == [2, 5]
    assert [p.row for p in result.problems] == [3, 4]
    assert result.rows_read == 4


def test_long_cells_are_read_up_to_the_documented_limit(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    long_text, too_long = "a" * 200_000, '"' + "b" * (MAX_CELL_CHARS + 1) + '"'
    path.write_text(f"note_id,text\nN1,{long_text}\nN2,{too_long}\nN3,x\n", encoding="utf-8")
    result = read_file(path)
    assert result.table.column("note_id").to_pylist() == ["N1", "N3"]
    assert [p.row for p in result.problems] == [3]
    assert "1,000,000" in result.problems[0].error


def test_jsonl_splits_only_on_line_feeds(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    text = json.dumps({"note_id": "N1", "text": "a\u2028b\u2029c\x85d"}, ensure_ascii=False)
    path.write_text(text + "\r\n" + json.dumps({"note_id": "N2", "n": 15.0}) + "\n")
    result = read_file(path)
    assert result.table.column("text").to_pylist() == ["a\u2028b\u2029c\x85d", None]
    assert result.table.column("n").to_pylist() == [None, "15"]
    assert result.problems == []


def test_a_column_named_like_relooks_bookkeeping_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("case_id,_row,_file\nC1,7,x.csv\n", encoding="utf-8")
    table = read_file(path).table
    assert table.column("_row").to_pylist() == ["7"]
    assert table.column(ROW_COLUMN).to_pylist() == [2]


def test_parquet_timestamps_of_every_unit_read_as_whole_seconds(tmp_path: Path) -> None:
    import datetime as dt

    moment = dt.datetime(2008, 2, 8, 15, 38, 0, 123456)
    columns = {
        unit: pa.array([moment, dt.datetime(2008, 2, 8)], pa.timestamp(unit))
        for unit in ("s", "ms", "us", "ns")
    }
    path = tmp_path / "cases.parquet"
    pq.write_table(pa.table(columns), path)
    table = read_file(path).table
    for unit in columns:
        assert table.column(unit).to_pylist() == ["2008-02-08T15:38:00", "2008-02-08T00:00:00"]


def test_parquet_list_column_stops_the_file_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "cases.parquet"
    pq.write_table(pa.table({"case_id": ["C1"], "tags": [["a", "b"]]}), path)
    with pytest.raises(InputFileError, match=r"cases\.parquet: column 'tags' holds list"):
        read_file(path)


def test_excel_rows_beyond_a_wrong_dimension_tag_are_read(tmp_path: Path) -> None:
    import re
    import zipfile

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["case_id"])
    for number in range(30):
        sheet.append([f"C{number}"])
    saved = tmp_path / "saved.xlsx"
    workbook.save(saved)
    path = tmp_path / "cases.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<dimension [^>]*/>", b'<dimension ref="A1:A3"/>', data)
                assert b'<dimension ref="A1:A3"/>' in data
            target.writestr(item, data)
    assert read_file(path).table.num_rows == 30


def test_blank_lines_of_spaces_in_jsonl_and_excel_are_counted(tmp_path: Path) -> None:
    jsonl = tmp_path / "cases.jsonl"
    jsonl.write_text('{"case_id": "C1"}\n\n   \n{"case_id": "C2"}\n', encoding="utf-8")
    result = read_file(jsonl)
    assert [p.row for p in result.problems] == [3]
    assert result.rows_read == 3

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["case_id", "area"])
    sheet.append(["C1", "North"])
    sheet.append(["   ", " "])
    sheet.append([None, None])
    sheet.append(["C2", "South"])
    path = tmp_path / "cases.xlsx"
    workbook.save(path)
    result = read_file(path)
    assert result.table.column(ROW_COLUMN).to_pylist() == [2, 5]
    assert [(p.row, p.error) for p in result.problems] == [(3, "row is blank")]
