"""Read one input file of any supported format into an Arrow table of text columns.

Every value is read as text (or null when the cell is blank): types are checked later,
by validation, so that a bad value becomes a quarantined row rather than a failed read.
Each table gets two bookkeeping columns: `_file` (the file's name) and `_row` (the row
number a person would use to find the row: the spreadsheet row for CSV and Excel, where
the header is row 1; the line number for JSON Lines; the record number for Parquet).

A file that cannot be read as a whole raises InputFileError naming the file and problem.
Rows that are broken on their own (a CSV row with too many fields, a JSON line that is not
an object) are returned separately as `RowProblem`s so that they reach quarantine.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from relook.errors import InputFileError

FILE_COLUMN = "_file"
ROW_COLUMN = "_row"
SUPPORTED_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet", ".xlsx")


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be parsed into columns at all."""

    file: str
    row: int
    value: str
    error: str


@dataclass
class ReadResult:
    table: pa.Table
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return int(self.table.num_rows) + len(self.problems)


def read_file(path: Path, sheet: str | None = None) -> ReadResult:
    """Read a CSV, JSON Lines, Parquet or Excel file (Excel: one sheet)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(path)
    if suffix == ".parquet":
        return _read_parquet(path)
    if suffix == ".xlsx":
        return _read_excel(path, sheet)
    raise InputFileError(
        path, f"unsupported file type {suffix!r} (use {', '.join(SUPPORTED_SUFFIXES)})"
    )


def excel_sheet_names(path: Path) -> list[str]:
    workbook = _open_workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _decode_utf8(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            path, f"is not UTF-8 text (undecodable byte at line {line}); re-export it as UTF-8"
        ) from None


def _normalise_header(path: Path, names: Iterable[object]) -> list[str]:
    header = [str(name).strip().lower() if name is not None else "" for name in names]
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            raise InputFileError(path, f"column {position} of the header row has no name")
        if name in seen:
            raise InputFileError(path, f"column {name!r} appears twice in the header row")
        seen.add(name)
    return header


def _build_table(
    path: Path, header: list[str], columns: list[list[str | None]], rows: list[int]
) -> pa.Table:
    arrays = [pa.array(values, type=pa.string()) for values in columns]
    arrays.append(pa.array([path.name] * len(rows), type=pa.string()))
    arrays.append(pa.array(rows, type=pa.int64()))
    return pa.Table.from_arrays(arrays, names=[*header, FILE_COLUMN, ROW_COLUMN])


def _blank_to_none(value: str) -> str | None:
    return value if value.strip() else None


def _read_csv(path: Path) -> ReadResult:
    text = _decode_utf8(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        first = next(reader)
    except StopIteration:
        raise InputFileError(path, "is empty: a header row is required") from None
    except csv.Error as exc:
        raise InputFileError(path, f"is not readable as CSV: {exc}") from None
    header = _normalise_header(path, first)
    columns: list[list[str | None]] = [[] for _ in header]
    rows: list[int] = []
    problems: list[RowProblem] = []
    line_before = reader.line_num
    try:
        for record in reader:
            row_number = line_before + 1
            line_before = reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue  # an empty line is not a row
            if len(record) != len(header):
                problems.append(
                    RowProblem(
                        path.name,
                        row_number,
                        ",".join(record)[:200],
                        f"row has {len(record)} fields but the header has {len(header)}",
                    )
                )
                continue
            for values, cell in zip(columns, record, strict=True):
                values.append(_blank_to_none(cell))
            rows.append(row_number)
    except csv.Error as exc:
        raise InputFileError(
            path, f"is not readable as CSV at line {reader.line_num}: {exc}"
        ) from None
    return ReadResult(_build_table(path, header, columns, rows), problems)


def _json_scalar_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return _blank_to_none(str(value))


def _read_jsonl(path: Path) -> ReadResult:
    text = _decode_utf8(path)
    objects: list[tuple[int, dict[str, object]]] = []
    problems: list[RowProblem] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(
                RowProblem(path.name, line_number, line[:200], f"invalid JSON: {exc.msg}")
            )
            continue
        if not isinstance(value, dict):
            problems.append(
                RowProblem(path.name, line_number, line[:200], "line is not a JSON object")
            )
            continue
        objects.append((line_number, {str(k).strip().lower(): v for k, v in value.items()}))
    if problems and not objects:
        raise InputFileError(path, "is not JSON Lines: no line holds a JSON object")
    header: list[str] = []
    for _, obj in objects:
        header.extend(key for key in obj if key not in header)
    _normalise_header(path, header)
    columns = [[_json_scalar_text(obj.get(name)) for _, obj in objects] for name in header]
    rows = [line for line, _ in objects]
    return ReadResult(_build_table(path, header, columns, rows), problems)


def _read_parquet(path: Path) -> ReadResult:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputFileError(path, f"is not a readable Parquet file ({exc})") from None
    header = _normalise_header(path, table.column_names)
    columns: list[list[str | None]] = []
    for column in table.columns:
        as_text = column if pa.types.is_string(column.type) else _arrow_to_text(column)
        columns.append([_blank_to_none(v) if v is not None else None for v in as_text.to_pylist()])
    rows = list(range(1, table.num_rows + 1))
    return ReadResult(_build_table(path, header, columns, rows))


def _arrow_to_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_boolean(column.type):
        return pc.if_else(column, "true", "false")
    if pa.types.is_floating(column.type):
        # 3.0 is how Parquet writers store a whole-number column with blanks: read it as 3.
        whole = pc.equal(pc.floor(column), column)
        ints = pc.cast(pc.cast(column, pa.int64(), safe=False), pa.string())
        return pc.if_else(whole, ints, pc.cast(column, pa.string()))
    if pa.types.is_timestamp(column.type):
        return pc.strftime(column, format="%Y-%m-%dT%H:%M:%S")
    return pc.cast(column, pa.string())


def _open_workbook(path: Path):  # type: ignore[no-untyped-def]
    import zipfile

    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputFileError(path, f"is not a readable Excel workbook ({exc})") from None


def _excel_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _blank_to_none(str(value))


def _read_excel(path: Path, sheet: str | None) -> ReadResult:
    workbook = _open_workbook(path)
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        else:
            matches = [name for name in workbook.sheetnames if name.lower() == sheet.lower()]
            if not matches:
                raise InputFileError(path, f"has no sheet named {sheet!r}")
            worksheet = workbook[matches[0]]
        row_iter = worksheet.iter_rows(values_only=True)
        try:
            first = next(row_iter)
        except StopIteration:
            raise InputFileError(path, f"sheet {worksheet.title!r} is empty") from None
        # Trailing empty header cells are formatting, not columns.
        width = len(first)
        while width and first[width - 1] is None:
            width -= 1
        header = _normalise_header(path, first[:width])
        columns: list[list[str | None]] = [[] for _ in header]
        rows: list[int] = []
        problems: list[RowProblem] = []
        for row_number, record in enumerate(row_iter, start=2):
            cells = [_excel_text(v) for v in record]
            if all(cell is None for cell in cells):
                continue
            if any(cell is not None for cell in cells[width:]):
                problems.append(
                    RowProblem(
                        path.name, row_number, str(cells)[:200], "row has cells beyond the header"
                    )
                )
                continue
            cells = (cells + [None] * width)[:width]
            for values, cell in zip(columns, cells, strict=True):
                values.append(cell)
            rows.append(row_number)
    finally:
        workbook.close()
    return ReadResult(_build_table(path, header, columns, rows), problems)
