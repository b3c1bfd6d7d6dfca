"""Fault figures for the closing note of issue 14: bad inputs tried, crashes, rows lost,
rows wrongly rejected (every figure but the first must be 0).

Two kinds of bad input, each on its own copy of a small generated force:
- the whole-file faults of `relook.synth.fault_injection.FILE_FAULTS`, run through the
  command line as a user would (exit code, message, no traceback), with the records
  counted by Python's csv module before the fault, not by relook's readers;
- single-cell faults (`inject_faults`, one per table per copy) whose expected rejections
  and blanked cells are known.

    PYTHONPATH=src .venv/bin/python bench/bench_faults.py --copies 20
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "contract"))

from fault_suite import run_fault

from relook.contract.validate import BLANKED, REJECTED
from relook.engine.duckdb_engine import connect
from relook.pipeline.ingest import ingest
from relook.synth import generate
from relook.synth.fault_injection import FILE_FAULTS, inject_faults


def file_faults(force: Path, tmp: Path) -> dict[str, int]:
    figures = {"tried": 0, "crashes": 0, "lost": 0, "wrong": 0, "missed": 0, "bad_exit": 0}
    for fault in FILE_FAULTS:
        report = run_fault(fault, force, tmp / fault.name)
        ok = report.exit_code == report.expected_exit and all(
            text in report.output for text in report.mentions
        )
        figures["tried"] += 1
        figures["crashes"] += report.crashed
        figures["lost"] += report.rows_lost
        figures["wrong"] += report.wrongly_rejected
        figures["missed"] += report.rejections_missed + len(report.missing_reports)
        figures["bad_exit"] += not ok
        rejected = sum(report.rejected.values())
        print(
            f"  {fault.name:<26} exit {report.exit_code}  rejected {rejected:3d}"
            f"  lost {report.rows_lost}  wrongly rejected {report.wrongly_rejected}"
        )
    return figures


def cell_faults(force: Path, tmp: Path, copies: int) -> dict[str, int]:
    figures = {"tried": 0, "crashes": 0, "lost": 0, "wrong": 0, "missed": 0}
    for seed in range(copies):
        target = tmp / f"cells-{seed}"
        faults, expected = inject_faults(force, target, per_table=1, seed=seed)
        con = connect()
        try:
            result = ingest(con, target)
        except Exception as exc:  # a crash is a figure here, not a stop
            print(f"  copy {seed}: {type(exc).__name__}: {exc}")
            figures["crashes"] += 1
            continue
        rejected = {
            (str(t), int(r))
            for t, r in con.execute(
                'SELECT DISTINCT "table", row_number FROM quarantine WHERE action = ?',
                [REJECTED],
            ).fetchall()
        }
        blanked = {
            (str(t), int(r), str(c))
            for t, r, c in con.execute(
                'SELECT "table", row_number, "column" FROM quarantine WHERE action = ?',
                [BLANKED],
            ).fetchall()
        }
        con.close()
        figures["tried"] += len(faults)
        figures["lost"] += sum(
            abs(c.rows_in - c.accepted - c.quarantined) for c in result.counts.values()
        )
        figures["wrong"] += len(rejected - expected)
        figures["missed"] += len(expected - rejected) + sum(
            1
            for f in faults
            if f.row_kept
            and (f.table, f.row_number) not in expected
            and (f.table, f.row_number, f.column) not in blanked
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--copies", type=int, default=20, help="copies with single-cell faults")
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        force = tmp / "force"
        generate(force, args.cases, 5)
        print(
            f"whole-file faults ({len(FILE_FAULTS)}, one copy of a {args.cases}-case force each):"
        )
        whole = file_faults(force, tmp)
        cells = cell_faults(force, tmp, args.copies)
    print(f"single-cell faults: {cells['tried']} in {args.copies} copies (one per table per copy)")
    tried = whole["tried"] + cells["tried"]
    print(f"bad inputs tried        {tried}")
    print(f"crashes                 {whole['crashes'] + cells['crashes']}")
    print(f"rows lost               {whole['lost'] + cells['lost']}")
    print(f"rows wrongly rejected   {whole['wrong'] + cells['wrong']}")
    print(f"rejections or reports missed {whole['missed'] + cells['missed']}")
    print(f"wrong exit code or message   {whole['bad_exit']}")
    print(f"seconds                 {time.perf_counter() - start:.1f}")


if __name__ == "__main__":
    main()
