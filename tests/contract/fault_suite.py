"""Run one whole-file fault on its own copy of a force, and account for every record.

Records are counted with Python's csv module on the clean force, before the fault, so
the count does not depend on relook's readers; the fault says what it adds or removes.
Used by tests/contract/test_faults.py and bench/bench_faults.py.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import shutil
import sys
from contextlib import ExitStack, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import duckdb

from relook.cli import main
from relook.contract.mapping import load_mapping
from relook.contract.schema import TABLES
from relook.contract.validate import REJECTED
from relook.pipeline.ingest import ingest
from relook.synth.fault_injection import FaultOutcome, FileFault

DEPENDANTS = ("people", "vehicles", "locations", "notes")


@dataclass
class FaultReport:
    name: str
    exit_code: int
    output: str
    expected_in: dict[str, int]
    expected_exit: int
    mentions: tuple[str, ...]
    rows_in: dict[str, int] = field(default_factory=dict)
    accounted: dict[str, int] = field(default_factory=dict)
    """accepted + quarantined, per table."""
    rejected: dict[str, int] = field(default_factory=dict)
    expected_rejected: dict[str, int] = field(default_factory=dict)
    missing_reports: list[tuple[str, int, str]] = field(default_factory=list)
    unnamed: int = 0
    """Quarantine lines that do not name a file of the data folder."""

    @property
    def crashed(self) -> bool:
        return self.exit_code not in (0, 1, 2) or "Traceback" in self.output

    @property
    def rows_lost(self) -> int:
        if not self.accounted:
            return 0
        return sum(abs(self.expected_in[t] - self.accounted.get(t, 0)) for t in self.expected_in)

    @property
    def wrongly_rejected(self) -> int:
        return sum(max(0, n - self.expected_rejected.get(t, 0)) for t, n in self.rejected.items())

    @property
    def rejections_missed(self) -> int:
        return sum(max(0, n - self.rejected.get(t, 0)) for t, n in self.expected_rejected.items())


def count_records(folder: Path) -> dict[str, int]:
    """Records per contract table in a clean CSV force, read with the csv module."""
    counts = {}
    for name in TABLES:
        path = folder / f"{name}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            counts[name] = sum(1 for _ in csv.reader(handle)) - 1
    return counts


def _case_ids(folder: Path, table: str) -> list[str]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return [row["case_id"] for row in csv.DictReader(handle)]


def run_cli(*args: str, disk_full: bool = False) -> tuple[int, str]:
    """`relook …` in this process, as `main()` runs it: (exit code, stdout + stderr)."""
    out = io.StringIO()
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(sys, "argv", ["relook", *args]))
        stack.enter_context(mock.patch.dict(os.environ, {"COLUMNS": "200"}))
        stack.enter_context(redirect_stdout(out))
        stack.enter_context(redirect_stderr(out))
        if disk_full:
            full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            stack.enter_context(
                mock.patch("relook.commands.ingest_command.write_tables", side_effect=full)
            )
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code, out.getvalue()


def run_fault(fault: FileFault, clean: Path, work: Path) -> FaultReport:
    data = work / "data"
    shutil.copytree(clean, data, ignore=shutil.ignore_patterns("truth"))
    clean_counts = count_records(clean)
    outcome = fault.apply(data)
    expected_in = {
        t: 0 if t in outcome.removed_tables else n + outcome.extra_records.get(t, 0)
        for t, n in clean_counts.items()
    }
    args = ["ingest", str(data), "--out", str(work / "out")]
    if outcome.mapping:
        args += ["--mapping", str(outcome.mapping)]
    code, output = run_cli(*args, disk_full=outcome.disk_full)
    report = FaultReport(fault.name, code, output, expected_in, outcome.exit_code, outcome.mentions)
    if code != 0 or outcome.disk_full:
        return report
    report.expected_rejected = _expected_rejected(clean, outcome.rejected_cases, outcome)
    con = duckdb.connect()
    try:
        mapping = load_mapping(outcome.mapping)
        result = ingest(con, data, mapping)
        for name, counts in result.counts.items():
            report.rows_in[name] = counts.rows_in
            report.accounted[name] = counts.accepted + counts.quarantined
        for table, n in con.execute(
            'SELECT "table", count(DISTINCT (file, row_number)) FROM quarantine'
            " WHERE action = ? GROUP BY 1",
            [REJECTED],
        ).fetchall():
            report.rejected[str(table)] = int(n)
        reported = {
            (str(t), int(r), str(c))
            for t, r, c in con.execute(
                'SELECT "table", row_number, "column" FROM quarantine'
            ).fetchall()
        }
        report.missing_reports = sorted(outcome.reported - reported)
        files = [str(f) for (f,) in con.execute("SELECT file FROM quarantine").fetchall()]
        report.unnamed = sum(1 for name in files if not (data / name).is_file())
    finally:
        con.close()
    return report


def _expected_rejected(clean: Path, cases: frozenset[str], outcome: FaultOutcome) -> dict[str, int]:
    expected = dict(outcome.rejected_rows)
    if cases:
        expected["cases"] = expected.get("cases", 0) + len(cases)
        for table in DEPENDANTS:
            if table in outcome.removed_tables:
                continue
            hits = sum(1 for case_id in _case_ids(clean, table) if case_id in cases)
            if hits:
                expected[table] = expected.get(table, 0) + hits
    return expected
