"""Read one input file of any supported format into an Arrow table of text columns.

Every value is read as text (or null when the cell is blank): types are checked later,
by validation, so that a bad value becomes a quarantined row rather than a failed read.
Each table gets two bookkeeping columns, FILE_COLUMN (the file's name) and ROW_COLUMN (the
row number a person would use to find the row: the record number for CSV, where the header
is record 1 whatever line breaks a cell holds; the sheet row for Excel; the line number for
JSON Lines; the record number for Parquet). Their names are ones no export uses, so that a
force's own `_row` or `_file` column is kept like any other.

A file that cannot be read as a whole raises InputFileError naming the file and problem.
Rows that are broken on their own (a CSV row with too many fields or a quote that never
closes, a blank row, a JSON line that is not an object, a cell longer than MAX_CELL_CHARS)
are returned separately as `RowProblem`s so that they reach quarantine and are counted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from relook.errors import InputFileError

FILE_COLUMN = "__relook_file"
ROW_COLUMN = "__relook_row"
SUPPORTED_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet", ".xlsx")

MAX_CELL_CHARS = 1_000_000
"""The longest cell relook reads (docs/data-contract.md). A longer cell quarantines its row
only; Python's csv module stops a whole file at 131,072 characters, so its limit is lifted
and this one applies to every format instead."""
_CSV_FIELD_LIMIT = 2**31 - 1


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
        result = _read_csv(path)
    elif suffix in (".jsonl", ".ndjson"):
        result = _read_jsonl(path)
    elif suffix == ".parquet":
        result = _read_parquet(path)
    elif suffix == ".xlsx":
        result = _read_excel(path, sheet)
    else:
        raise InputFileError(
            path, f"unsupported file type {suffix!r} (use {', '.join(SUPPORTED_SUFFIXES)})"
        )
    return _without_oversized_cells(result)


def _without_oversized_cells(result: ReadResult) -> ReadResult:
    """Move rows holding a cell longer than MAX_CELL_CHARS to the row problems."""
    table = result.table
    too_long: pa.ChunkedArray | None = None
    columns = [n for n in table.column_names if n not in (FILE_COLUMN, ROW_COLUMN)]
    for name in columns:
        over = pc.fill_null(pc.greater(pc.utf8_length(table.column(name)), MAX_CELL_CHARS), False)
        too_long = over if too_long is None else pc.or_(too_long, over)
    if too_long is None or not pc.any(too_long).as_py():
        return result
    problems = list(result.problems)
    for row in table.filter(too_long).to_pylist():
        name, value = next((n, row[n]) for n in columns if len(row[n] or "") > MAX_CELL_CHARS)
        problems.append(
            RowProblem(
                str(row[FILE_COLUMN]),
                int(row[ROW_COLUMN]),
                value[:200],
                f"cell {name!r} holds {len(value):,} characters; relook reads at most"
                f" {MAX_CELL_CHARS:,} per cell",
            )
        )
    return ReadResult(table.filter(pc.invert(too_long)), problems)


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
        if name in (FILE_COLUMN, ROW_COLUMN):
            raise InputFileError(path, f"column {name!r} is a name relook keeps for itself")
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


@dataclass(frozen=True)
class _Record:
    """One CSV record: its fields, or the reason it cannot be split into fields."""

    text: str
    fields: list[str] | None
    error: str = ""


def _parse_one(text: str) -> list[str] | None:
    """The fields of `text` when it is exactly one CSV record, else None."""
    if '"' not in text:
        # Without quotes a record is its commas, whatever else it holds; the csv module
        # would end a record at a lone carriage return instead.
        return text.removesuffix("\r").split(",")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return None
    return records[0] if len(records) == 1 else None


def _complete_on_its_own(line: str, width: int) -> bool:
    """Whether a line inside a quoted cell looks like a record of its own: the right number
    of fields, and a first field that looks like an id (one word), which a line of a
    paragraph that happens to hold the right number of commas rarely does."""
    fields = _parse_one(line) if line.count('"') % 2 == 0 else None
    if fields is None or len(fields) != width:
        return False
    first = fields[0].strip()
    return 0 < len(first) <= 64 and not any(char.isspace() for char in first)


UNCLOSED_QUOTE = (
    'a quote (") opens in this row and does not close before the next record;'
    " the row cannot be split into columns (check the quoting)"
)


def _csv_records(lines: list[str], width: int | None) -> Iterator[_Record]:
    """Assemble physical lines into records; a quote that never closes is one bad record.

    A quoted cell may hold line breaks, so a record ends where its quotes balance. When a
    quote is never closed (or the lines it would swallow are complete records themselves),
    only its own line is reported and reading resumes on the next line, so that one stray
    quote cannot make the rest of the file vanish into a single cell.
    """
    index = 0
    while index < len(lines):
        line = lines[index]
        end = index
        quotes = line.count('"')
        while quotes % 2 and end + 1 < len(lines):
            end += 1
            quotes += lines[end].count('"')
        text = "\n".join(lines[index : end + 1])
        fields = _parse_one(text) if quotes % 2 == 0 else None
        swallowed = width is not None and any(
            _complete_on_its_own(inner, width) for inner in lines[index + 1 : end + 1]
        )
        if quotes % 2 or swallowed:
            yield _Record(line, None, UNCLOSED_QUOTE)
            index += 1
            continue
        yield _Record(text, fields, "" if fields is not None else "not readable as CSV")
        index = end + 1


def _csv_lines(text: str) -> list[str]:
    """Physical lines, split on line feeds only (a carriage return stays with its line)."""
    lines = text.split("\n")
    if lines and lines[-1] in ("", "\r"):
        lines.pop()
    return lines


def _read_csv(path: Path) -> ReadResult:
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    text = _decode_utf8(path)
    lines = _csv_lines(text)
    while lines and not lines[0].strip():
        lines.pop(0)  # blank lines above the header are not records
    if not lines:
        raise InputFileError(path, "is empty: a header row is required")
    first = next(_csv_records(lines, None))
    if first.fields is None:
        raise InputFileError(path, f"is not readable as CSV: the header row {first.error}")
    header = _normalise_header(path, first.fields)
    body = lines[first.text.count("\n") + 1 :]
    columns: list[list[str | None]] = [[] for _ in header]
    rows: list[int] = []
    problems: list[RowProblem] = []
    # Record numbers, not physical lines: the header is record 1.
    number = 1
    for record in _csv_records(body, len(header)):
        if record.fields == [""]:
            continue  # an empty line is not a record
        number += 1
        problem = _csv_row_problem(record, len(header))
        if problem:
            problems.append(RowProblem(path.name, number, record.text[:200], problem))
            continue
        assert record.fields is not None
        for values, cell in zip(columns, record.fields, strict=True):
            values.append(_blank_to_none(cell))
        rows.append(number)
    return ReadResult(_build_table(path, header, columns, rows), problems)


def _csv_row_problem(record: _Record, width: int) -> str:
    if record.fields is None:
        return record.error
    if all(not cell.strip() for cell in record.fields):
        return "row is blank (only spaces or empty cells)"
    if len(record.fields) != width:
        return f"row has {len(record.fields)} fields but the header has {width}"
    return ""


def _json_scalar_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return str(int(value))  # 15.0 is how some writers store a whole number
    return _blank_to_none(str(value))


def _read_jsonl(path: Path) -> ReadResult:
    text = _decode_utf8(path)
    objects: list[tuple[int, dict[str, object]]] = []
    problems: list[RowProblem] = []
    # Split on line feeds only: str.splitlines() also breaks at U+2028 and other separators
    # that may stand inside a JSON string.
    for line_number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.removesuffix("\r")
        if not line:
            continue  # an empty line is not a record
        if not line.strip():
            problems.append(RowProblem(path.name, line_number, line[:200], "line is blank"))
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
    for name, column in zip(header, table.columns, strict=True):
        as_text = column if pa.types.is_string(column.type) else _column_text(path, name, column)
        columns.append([_blank_to_none(v) if v is not None else None for v in as_text.to_pylist()])
    rows = list(range(1, table.num_rows + 1))
    return ReadResult(_build_table(path, header, columns, rows))


def _column_text(path: Path, name: str, column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A Parquet column as text; a column of lists or records stops the file, named."""
    if pa.types.is_nested(column.type):
        raise InputFileError(
            path,
            f"column {name!r} holds {column.type} values; relook reads one value per cell"
            " (flatten the column, or export it as text)",
        )
    try:
        return _arrow_to_text(column)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise InputFileError(
            path, f"column {name!r} of type {column.type} cannot be read as text ({exc})"
        ) from None


def _arrow_to_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_boolean(column.type):
        return pc.if_else(column, "true", "false")
    if pa.types.is_floating(column.type):
        # 3.0 is how Parquet writers store a whole-number column with blanks: read it as 3.
        whole = pc.equal(pc.floor(column), column)
        ints = pc.cast(pc.cast(column, pa.int64(), safe=False), pa.string())
        return pc.if_else(whole, ints, pc.cast(column, pa.string()))
    if pa.types.is_timestamp(column.type):
        # pandas and pyarrow write ms/us/ns timestamps, whose %S carries fractions of a
        # second ("38.000") that no date format reads: whole seconds are what a record holds.
        seconds = pc.cast(column, pa.timestamp("s", column.type.tz), safe=False)
        return pc.strftime(seconds, format="%Y-%m-%dT%H:%M:%S")
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
        # Read-only mode trusts the sheet's <dimension> tag, which some writers get wrong:
        # forget it, so that every row in the sheet is read.
        worksheet.reset_dimensions()
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
            if all(value is None for value in record):
                continue  # an empty sheet row is formatting, not a record
            cells = [_excel_text(v) for v in record]
            if all(cell is None for cell in cells):
                problems.append(
                    RowProblem(path.name, row_number, str(record)[:200], "row is blank")
                )
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
