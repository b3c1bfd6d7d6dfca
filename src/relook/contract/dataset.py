"""A dataset: the files in one folder (or one workbook) that hold the contract's tables.

Which file holds which table: the mapping's `files` patterns when given; otherwise a file
whose name is the table's (`people.csv`, `people_2014.jsonl`, `people-part2.parquet`), or
an Excel sheet named after the table. Files that match no table are reported, never
silently skipped.
"""

from __future__ import annotations

import errno
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from relook.contract.mapping import Mapping, TableMapping
from relook.contract.readers import (
    FILE_COLUMN,
    ROW_COLUMN,
    SUPPORTED_SUFFIXES,
    ReadResult,
    RowProblem,
    excel_sheet_names,
    read_file,
)
from relook.contract.schema import TABLES, Table
from relook.errors import InputFileError, RelookError


@dataclass(frozen=True)
class Source:
    path: Path
    sheet: str | None = None

    @property
    def label(self) -> str:
        return f"{self.path.name}[{self.sheet}]" if self.sheet else self.path.name


@dataclass(frozen=True)
class NotRead:
    """A file or folder in the data folder that relook did not read, and why."""

    path: Path
    reason: str


NO_TABLE = "matches no contract table"


@dataclass
class Discovery:
    sources: dict[str, list[Source]] = field(default_factory=dict)
    not_read: list[NotRead] = field(default_factory=list)

    @property
    def unrecognised(self) -> list[Path]:
        return [entry.path for entry in self.not_read]


def _stem_names_table(stem: str, table: str) -> bool:
    stem = stem.lower()
    return stem == table or any(stem.startswith(table + sep) for sep in ("_", "-", "."))


def _table_for_stem(stem: str) -> str | None:
    # Longest name first so that a future table named like a prefix of another still works.
    for name in sorted(TABLES, key=len, reverse=True):
        if _stem_names_table(stem, name):
            return name
    return None


def _entry_problem(path: Path) -> str | None:
    """Why an entry of the data folder cannot be read as a file, or None when it can."""
    if path.is_file():
        return None
    if path.is_symlink():
        try:
            path.resolve(strict=True)
        except RuntimeError:  # Python before 3.13 reports a loop this way
            return "a symbolic link that loops"
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "a symbolic link that loops"
            return "a symbolic link to nothing"
        return "a link to a folder, not a file"
    if path.is_dir():
        return "a folder, not a file: relook does not read sub-folders"
    return "not a regular file"


def _candidate_files(data: Path, found: Discovery) -> list[Path]:
    """Readable files of the data folder; every other entry is listed as not read."""
    if data.is_file():
        return [data]
    if not data.is_dir():
        raise RelookError(f"{data}: no such file or folder")
    files: list[Path] = []
    for path in sorted(data.iterdir()):
        if path.name.startswith((".", "~$")):
            continue  # hidden files and Excel's lock files are not exports
        problem = _entry_problem(path)
        if problem is None:
            files.append(path)
        else:
            found.not_read.append(NotRead(path, problem))
    return files


def discover(data: Path, mapping: Mapping) -> Discovery:
    found = Discovery(sources={name: [] for name in TABLES})
    claimed: set[Path] = set()
    files = _candidate_files(data, found)
    for name, table_map in mapping.tables.items():
        for pattern in table_map.files:
            for path in files:
                if fnmatch.fnmatch(path.name.lower(), pattern.lower()):
                    found.sources[name].append(Source(path, table_map.sheet))
                    claimed.add(path)
    for path in files:
        if path in claimed:
            continue
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            found.not_read.append(NotRead(path, NO_TABLE))
            continue
        table = _table_for_stem(path.stem)
        if suffix == ".xlsx" and table is None:
            sheets = [s for s in excel_sheet_names(path) if s.lower() in TABLES]
            for sheet in sheets:
                found.sources[sheet.lower()].append(Source(path, sheet))
            if not sheets:
                found.not_read.append(NotRead(path, NO_TABLE))
            continue
        if table is None:
            found.not_read.append(NotRead(path, NO_TABLE))
            continue
        found.sources[table].append(Source(path, mapping.for_table(table).sheet))
    if not found.sources["cases"]:
        raise RelookError(
            f"{data}: no cases file found (expected e.g. cases.csv, or a mapping 'files' pattern)"
        )
    return found


def _combined(source: Source, data: pa.Table, table_map: TableMapping) -> pa.Table:
    """Add each `combine` column: the parts that are not blank, joined by the separator.

    The parts stay in the table, so they are kept as extra attributes as well.
    """
    for target, combine in table_map.combine.items():
        missing = [c for c in combine.columns if c not in data.column_names]
        if missing:
            raise InputFileError(
                source.path,
                f"the mapping combines {missing[0]!r} into {target!r} but the file has no"
                f" column {missing[0]!r}",
            )
        if target in data.column_names:
            raise InputFileError(
                source.path,
                f"the mapping combines columns into {target!r} but the file has that column too",
            )
        parts = [pc.utf8_trim_whitespace(data.column(c)) for c in combine.columns]
        parts = [pc.if_else(pc.equal(part, ""), None, part) for part in parts]
        joined = pc.binary_join_element_wise(*parts, combine.separator, null_handling="skip")
        data = data.append_column(target, pc.if_else(pc.equal(joined, ""), None, joined))
    return data


def _with_fallbacks(source: Source, data: pa.Table, table_map: TableMapping) -> pa.Table:
    """Fill a blank contract column from another column of the same row."""
    for target, fallback in table_map.fallbacks.items():
        if fallback not in data.column_names:
            raise InputFileError(
                source.path,
                f"the mapping fills {target!r} from {fallback!r} but the file has no column"
                f" {fallback!r}",
            )
        backup = data.column(fallback)
        if target in data.column_names:
            index = data.column_names.index(target)
            current = data.column(target)
            blank = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(current), ""), True)
            data = data.set_column(index, target, pc.if_else(blank, backup, current))
        else:
            data = data.append_column(target, backup)
    return data


def apply_mapping(
    source: Source, result: ReadResult, table: Table, table_map: TableMapping
) -> pa.Table:
    """Join, rename and fill columns as the mapping says, then check required columns."""
    data = _combined(source, result.table, table_map)
    renamed = [table_map.columns.get(name, name) for name in data.column_names]
    duplicates = sorted({n for n in renamed if renamed.count(n) > 1})
    if duplicates:
        raise InputFileError(
            source.path, f"two columns both map to {duplicates[0]!r}; check the mapping file"
        )
    data = _with_fallbacks(source, data.rename_columns(renamed), table_map)
    for column, value in table_map.constants.items():
        if column in data.column_names:
            # A constant fills only blanks: a value the force did record wins.
            index = data.column_names.index(column)
            filled = data.column(column).fill_null(value)
            data = data.set_column(index, column, filled)
        else:
            data = data.append_column(column, pa.array([value] * data.num_rows, type=pa.string()))
    missing = [c for c in table.required_columns if c not in data.column_names]
    if missing:
        present = ", ".join(c for c in data.column_names if c not in (FILE_COLUMN, ROW_COLUMN))
        raise InputFileError(
            source.path,
            f"missing required column {missing[0]!r} for table {table.name} (found: {present})",
        )
    return data


def read_table(
    sources: list[Source], table: Table, mapping: Mapping
) -> tuple[pa.Table | None, list[RowProblem], int]:
    """Read and map every file of one table: (rows, broken rows, rows read)."""
    parts: list[pa.Table] = []
    problems: list[RowProblem] = []
    rows_read = 0
    table_map = mapping.for_table(table.name)
    for source in sources:
        result = read_file(source.path, source.sheet)
        parts.append(apply_mapping(source, result, table, table_map))
        problems.extend(result.problems)
        rows_read += result.rows_read
    if not parts:
        return None, problems, rows_read
    combined = pa.concat_tables(parts, promote_options="default")
    return combined, problems, rows_read
