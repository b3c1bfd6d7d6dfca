"""Inject known faults into a clean CSV dataset, and say which rows must be quarantined.

Used to test that ingest rejects exactly the faulty rows: nothing more, nothing less. A
fault in a key or required value rejects the row, and every row that names a rejected
case; a fault in an optional value only blanks that cell (the row is kept, the cell
reported), and so does a vehicle or place naming a person who is not accepted.
"""

from __future__ import annotations

import csv
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
