"""Inject known faults into a clean CSV dataset, and say which rows must be quarantined.

Used to test that ingest rejects exactly the faulty rows: nothing more, nothing less. A
fault in a key or required value rejects the row, and every row that names a rejected
case; a fault in an optional value only blanks that cell (the row is kept, the cell
reported), and so does a vehicle or place naming a person who is not accepted.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Row = dict[str, str]
Fault = Callable[[Row, list[Row]], str]


@dataclass(frozen=True)
class InjectedFault:
    table: str
    row_number: int
    column: str
    description: str
    row_kept: bool = False
    """The fault is in an optional cell: the cell is blanked and the row accepted."""


# Optional columns: a fault there is a cell issue, not a rejected row.
_OPTIONAL_FAULTS = frozenset(
    {
        ("cases", "outcome_code"),
        ("cases", "setting"),
        ("cases", "cse_flag"),
        ("people", "date_of_birth"),
        ("people", "sex"),
        ("people", "age_at_offence"),
        ("vehicles", "mention_id"),
        ("locations", "kind"),
    }
)


def _set(column: str, value: str, description: str) -> tuple[str, Fault]:
    def apply(row: Row, _rows: list[Row]) -> str:
        row[column] = value
        return description

    return column, apply


def _duplicate_id(column: str) -> tuple[str, Fault]:
    def apply(row: Row, rows: list[Row]) -> str:
        earlier = rows[0][column]
        row[column] = earlier
        return f"duplicate of {earlier}"

    return column, apply


FAULTS: dict[str, list[tuple[str, Fault]]] = {
    "cases": [
        _set("reported_on", "2014-02-30", "impossible date"),
        _set("offence_code", "", "required value blank"),
        _set("outcome_code", "23", "outcome out of range"),
        _set("setting", "garden", "setting not allowed"),
        _set("cse_flag", "maybe", "not a boolean"),
        _duplicate_id("case_id"),
    ],
    "people": [
        _set("role", "boss", "role not allowed"),
        _set("date_of_birth", "1980-13", "month 13"),
        _set("sex", "Q", "sex not allowed"),
        _set("case_id", "NO-SUCH-CASE", "unknown case"),
        _set("age_at_offence", "ten", "not a number"),
        _duplicate_id("mention_id"),
    ],
    "vehicles": [_set("mention_id", "NO-SUCH-PERSON", "unknown person")],
    "locations": [_set("kind", "castle", "kind not allowed")],
    "notes": [_set("text", "", "required value blank")],
    "missing_episodes": [_set("missing_from", "yesterday", "not a date and time")],
}


def _read(path: Path) -> tuple[list[str], list[Row], list[int]]:
    """Rows with the number a reader reports: the record number (the header is 1)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [dict(zip(header, record, strict=True)) for record in reader]
    return header, rows, list(range(2, len(rows) + 2))


def _write(path: Path, header: list[str], rows: list[Row]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def inject_faults(
    source: Path, target: Path, *, per_table: int = 5, seed: int = 0
) -> tuple[list[InjectedFault], set[tuple[str, int]]]:
    """Copy `source` to `target` with faults; return them and every (table, row) to reject."""
    rng = random.Random(seed)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("truth"))
    faults: list[InjectedFault] = []
    tables = {}
    for name in FAULTS:
        path = target / f"{name}.csv"
        if path.exists():
            tables[name] = _read(path)
    for name, (header, rows, numbers) in tables.items():
        # Row 0 is never faulted: duplicate-id faults copy its id.
        for index in sorted(rng.sample(range(1, len(rows)), min(per_table, len(rows) - 1))):
            column, apply = rng.choice(FAULTS[name])
            description = apply(rows[index], rows)
            kept = (name, column) in _OPTIONAL_FAULTS
            faults.append(InjectedFault(name, numbers[index], column, description, kept))
        _write(target / f"{name}.csv", header, rows)
    return faults, _expected_rejections(tables, faults)


def _expected_rejections(
    tables: dict[str, tuple[list[str], list[Row], list[int]]], faults: list[InjectedFault]
) -> set[tuple[str, int]]:
    rejected = {(f.table, f.row_number) for f in faults if not f.row_kept}
    accepted_ids: dict[str, set[str]] = {}
    for name, id_column, parent in (
        ("cases", "case_id", None),
        ("people", "mention_id", "cases"),
    ):
        if name not in tables:
            continue
        _, rows, numbers = tables[name]
        ok: set[str] = set()
        for row, number in zip(rows, numbers, strict=True):
            orphan = parent is not None and row["case_id"] not in accepted_ids[parent]
            if orphan:
                rejected.add((name, number))
            if (name, number) not in rejected and row[id_column] not in ok:
                ok.add(row[id_column])
        accepted_ids[name] = ok
    for name in ("vehicles", "locations", "notes"):
        if name not in tables:
            continue
        _, rows, numbers = tables[name]
        for row, number in zip(rows, numbers, strict=True):
            if row["case_id"] not in accepted_ids.get("cases", set()):
                rejected.add((name, number))
    return rejected


# --- Whole-file faults ------------------------------------------------------------------
# Each copies nothing: it changes a clean force folder in place in one way that broke
# ingest once (issue 14), and says what a correct ingest does with it. The fault suite
# (tests/contract/test_faults.py, bench/bench_faults.py) runs every one on its own copy
# and counts the records independently of relook's readers.


@dataclass(frozen=True)
class FaultOutcome:
    """What a correct `relook ingest` does with one faulty copy of a force."""

    exit_code: int = 0
    mentions: tuple[str, ...] = ()
    """Text the command's output must hold (a file's name, a warning)."""
    extra_records: dict[str, int] = field(default_factory=dict)
    """Records the fault adds to a table (a blank row is a record, and must be counted)."""
    removed_tables: tuple[str, ...] = ()
    rejected_cases: frozenset[str] = frozenset()
    """Case ids whose row is rejected, with every row that names them."""
    rejected_rows: dict[str, int] = field(default_factory=dict)
    """Other rows rejected, per table (besides rejected cases and their dependants)."""
    reported: frozenset[tuple[str, int, str]] = frozenset()
    """(table, row_number, column) that must appear in quarantine."""
    mapping: Path | None = None
    disk_full: bool = False


@dataclass(frozen=True)
class FileFault:
    name: str
    description: str
    apply: Callable[[Path], FaultOutcome]


def _records(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def _record_text(record: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(record)
    return buffer.getvalue()


def _write_records(
    path: Path, header: list[str], records: list[list[str]], raw: dict[int, str] | None = None
) -> None:
    """Write records; `raw` replaces the text of a record by index (to break its quoting)."""
    raw = raw or {}
    text = _record_text(header) + "".join(
        raw.get(index, _record_text(record)) for index, record in enumerate(records)
    )
    path.write_text(text, encoding="utf-8")


def _set_cells(folder: Path, table: str, changes: dict[tuple[int, str], str]) -> None:
    path = folder / f"{table}.csv"
    header, records = _records(path)
    for (index, column), value in changes.items():
        records[index][header.index(column)] = value
    _write_records(path, header, records)


def _case_id(folder: Path, index: int) -> str:
    return _records(folder / "cases.csv")[1][index][0]


def _xlsx_wrong_dimension(folder: Path) -> FaultOutcome:
    import zipfile

    from openpyxl import Workbook

    header, records = _records(folder / "cases.csv")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "cases"
    sheet.append(header)
    for record in records:
        sheet.append([value or None for value in record])
    saved = folder / "cases-full.xlsx"
    workbook.save(saved)
    (folder / "cases.csv").unlink()
    # Rewrite the sheet's <dimension> tag to claim ten rows, as some exporters do.
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(folder / "cases.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                start = text.index("<dimension ")
                end = text.index("/>", start) + 2
                data = (text[:start] + '<dimension ref="A1:N11"/>' + text[end:]).encode()
            target.writestr(item, data)
    saved.unlink()
    return FaultOutcome()


def _timestamps(values: list[str], unit: str) -> Any:
    import datetime as dt

    import pyarrow as pa

    parsed = [dt.datetime.fromisoformat(v) if v else None for v in values]
    return pa.array(parsed, type=pa.timestamp(unit))


def _csv_to_parquet(folder: Path, table: str, typed: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    header, records = _records(folder / f"{table}.csv")
    columns = {
        name: typed[name](position, records)
        if name in typed
        else pa.array([r[position] or None for r in records], type=pa.string())
        for position, name in enumerate(header)
    }
    pq.write_table(pa.table(columns), folder / f"{table}.parquet")
    (folder / f"{table}.csv").unlink()


def _parquet_timestamps(folder: Path) -> FaultOutcome:
    def stamp(unit: str) -> Any:
        return lambda position, records: _timestamps([r[position] for r in records], unit)

    units = {"reported_on": "ms", "offence_from": "us", "offence_to": "ns", "outcome_on": "ms"}
    _csv_to_parquet(folder, "cases", {column: stamp(unit) for column, unit in units.items()})
    _csv_to_parquet(
        folder, "missing_episodes", {"missing_from": stamp("ns"), "returned_at": stamp("us")}
    )
    return FaultOutcome()


def _parquet_list_column(folder: Path) -> FaultOutcome:
    import pyarrow as pa

    header, records = _records(folder / "cases.csv")
    header.append("tags")
    for record in records:
        record.append("")
    _write_records(folder / "cases.csv", header, records)
    _csv_to_parquet(
        folder,
        "cases",
        {"tags": lambda _p, rows: pa.array([["cse", "nfa"]] * len(rows), pa.list_(pa.string()))},
    )
    return FaultOutcome(exit_code=2, mentions=("cases.parquet", "tags"))


def _unterminated_quote(folder: Path) -> FaultOutcome:
    path = folder / "cases.csv"
    header, records = _records(path)
    index = len(records) // 2
    # Written by hand: csv.writer would escape the stray quote before `area`.
    cells = [_record_text([value]).rstrip("\n") for value in records[index]]
    cells[header.index("area")] = '"' + records[index][header.index("area")]
    _write_records(path, header, records, raw={index: ",".join(cells) + "\n"})
    return FaultOutcome(rejected_cases=frozenset({records[index][0]}))


def _non_whole_numbers(folder: Path) -> FaultOutcome:
    values = ("2.4", "15.5", "1e1", "0x10")
    _set_cells(folder, "cases", {(3 + i, "outcome_code"): v for i, v in enumerate(values)})
    _set_cells(folder, "people", {(4, "age_at_offence"): "15.7"})
    reported = {("cases", 5 + i, "outcome_code") for i in range(len(values))}
    return FaultOutcome(reported=frozenset({*reported, ("people", 6, "age_at_offence")}))


def _oversized_cells(folder: Path) -> FaultOutcome:
    _set_cells(folder, "cases", {(2, "summary"): "y" * 200_000})
    _set_cells(folder, "notes", {(5, "text"): "x" * 1_000_001})
    return FaultOutcome(rejected_rows={"notes": 1}, reported=frozenset({("notes", 7, "(row)")}))


def _jsonl_line_separators(folder: Path) -> FaultOutcome:
    header, records = _records(folder / "notes.csv")
    records[3][header.index("text")] += " first\u2028second\u2029third\x85fourth\x0cend"
    lines = [
        json.dumps(dict(zip(header, r, strict=True)), ensure_ascii=False) + "\n" for r in records
    ]
    (folder / "notes.jsonl").write_text("".join(lines), encoding="utf-8")
    (folder / "notes.csv").unlink()
    return FaultOutcome()


def _blank_row_of_spaces(folder: Path) -> FaultOutcome:
    path = folder / "cases.csv"
    header, records = _records(path)
    _write_records(path, header, records, raw={4: "     \n" + _record_text(records[4])})
    return FaultOutcome(
        extra_records={"cases": 1},
        rejected_rows={"cases": 1},
        reported=frozenset({("cases", 6, "(row)")}),
    )


def _entries_named_like_tables(folder: Path) -> FaultOutcome:
    (folder / "vehicles_2015.csv").mkdir()
    # Relative targets, resolved beside the link: a file that is not there, and the link.
    (folder / "locations_old.csv").symlink_to("no-such-file.csv")
    (folder / "notes_loop.csv").symlink_to("notes_loop.csv")
    return FaultOutcome(
        mentions=(
            "not read: vehicles_2015.csv (a folder",
            "not read: locations_old.csv (a symbolic link to nothing)",
            "not read: notes_loop.csv (a symbolic link that loops)",
        )
    )


def _missing_people(folder: Path) -> FaultOutcome:
    (folder / "people.csv").unlink()
    return FaultOutcome(mentions=("no people file",), removed_tables=("people",))


def _implausible_dates(folder: Path) -> FaultOutcome:
    rejected = _case_id(folder, 6)
    _set_cells(
        folder,
        "cases",
        {
            (6, "reported_on"): "1850-01-01",
            (7, "offence_from"): "2099-01-01",
            (8, "offence_from"): "2010-05-05",
            (8, "offence_to"): "2010-01-01",
        },
    )
    _set_cells(folder, "people", {(9, "date_of_birth"): "9999-12-31"})
    return FaultOutcome(
        rejected_cases=frozenset({rejected}),
        reported=frozenset(
            {
                ("cases", 8, "reported_on"),
                ("cases", 9, "offence_from"),
                ("cases", 10, "offence_to"),
                ("people", 11, "date_of_birth"),
            }
        ),
    )


def _multiline_cell(folder: Path) -> FaultOutcome:
    _set_cells(
        folder,
        "cases",
        {(3, "summary"): "first line\nsecond line\r\nthird line", (10, "cse_flag"): "perhaps"},
    )
    return FaultOutcome(reported=frozenset({("cases", 12, "cse_flag")}))


def _bookkeeping_names(folder: Path) -> FaultOutcome:
    path = folder / "cases.csv"
    header, records = _records(path)
    _write_records(
        path,
        [*header, "_row", "_file"],
        [[*r, str(i), "export.csv"] for i, r in enumerate(records)],
    )
    return FaultOutcome()


def _mapping_not_utf8(folder: Path) -> FaultOutcome:
    mapping = folder.parent / "mapping.yaml"
    mapping.write_bytes("force: Northmoor Polic\xe9\n".encode("latin-1"))
    return FaultOutcome(exit_code=2, mentions=("mapping.yaml", "UTF-8"), mapping=mapping)


def _disk_full(_folder: Path) -> FaultOutcome:
    return FaultOutcome(exit_code=2, mentions=("No space left on device",), disk_full=True)


FILE_FAULTS: tuple[FileFault, ...] = (
    FileFault(
        "xlsx_wrong_dimension",
        "an Excel sheet whose <dimension> claims 10 rows",
        _xlsx_wrong_dimension,
    ),
    FileFault("parquet_timestamps", "Parquet dates as timestamp[ms/us/ns]", _parquet_timestamps),
    FileFault("parquet_list_column", "a Parquet column of lists", _parquet_list_column),
    FileFault("unterminated_quote", "a quote that never closes", _unterminated_quote),
    FileFault("non_whole_numbers", "2.4, 15.5, 1e1, 0x10 and an age of 15.7", _non_whole_numbers),
    FileFault("oversized_cells", "cells of 200,000 and 1,000,001 characters", _oversized_cells),
    FileFault(
        "jsonl_line_separators",
        "U+2028 and other separators in JSON strings",
        _jsonl_line_separators,
    ),
    FileFault("blank_row_of_spaces", "a row of spaces", _blank_row_of_spaces),
    FileFault(
        "entries_named_like_tables",
        "a folder, a dangling link, a link loop",
        _entries_named_like_tables,
    ),
    FileFault("missing_people", "no people file", _missing_people),
    FileFault(
        "implausible_dates",
        "1850, 2099, offence_to before offence_from, 9999-12-31",
        _implausible_dates,
    ),
    FileFault("multiline_cell", "a cell with line breaks before a bad row", _multiline_cell),
    FileFault("bookkeeping_names", "columns named _row and _file", _bookkeeping_names),
    FileFault("mapping_not_utf8", "a mapping file that is not UTF-8", _mapping_not_utf8),
    FileFault("disk_full", "no space left when writing the outputs", _disk_full),
)
