"""Benchmark: generate a synthetic force, ingest it, and ingest it again with faults.

Prints time and peak memory per step, the ratio of ingest to a plain DuckDB CSV load of
the same files (the baseline, run in the same process), and whether the faulty force
quarantined exactly the injected rows.

    .venv/bin/python bench/bench_synth_ingest.py --cases 9000
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from relook.contract.schema import TABLES
from relook.contract.validate import REJECTED
from relook.engine.duckdb_engine import connect, sql_literal
from relook.pipeline.ingest import ingest
from relook.synth import generate
from relook.synth.fault_injection import inject_faults

T = TypeVar("T")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = action()
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds:7.2f} s   peak RSS so far {peak_mb():7.0f} MB")
    return value, seconds


def plain_load(folder: Path) -> None:
    con = connect()
    for name in TABLES:
        path = folder / f"{name}.csv"
        con.execute(
            f"CREATE TABLE {name} AS SELECT * FROM read_csv({sql_literal(str(path))},"
            " header = true, all_varchar = true)"
        )
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=9000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--faults", type=int, default=25, help="faulty rows per table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        force = Path(tmp) / "force"
        summary, _ = timed(
            f"generate {args.cases:,} cases", lambda: generate(force, args.cases, args.seed)
        )
        print("rows:", ", ".join(f"{k} {v:,}" for k, v in summary.rows.items()))
        _, baseline = timed("baseline: plain DuckDB CSV load", lambda: plain_load(force))
        result, seconds = timed("ingest (validate + normalise)", lambda: ingest(connect(), force))
        print(f"ingest / baseline ratio            {seconds / baseline:7.1f} x")
        print(f"clean force quarantined            {result.quarantined:7d} rows")

        faulty = Path(tmp) / "faulty"
        faults, expected = inject_faults(force, faulty, per_table=args.faults, seed=args.seed)
        con = connect()
        timed("ingest with injected faults", lambda: ingest(con, faulty))
        got = {
            (str(t), int(r))
            for t, r in con.execute(
                'SELECT DISTINCT "table", row_number FROM quarantine WHERE action = ?',
                [REJECTED],
            ).fetchall()
        }
        kept = sum(f.row_kept for f in faults)
        print(
            f"faults injected {len(faults)} ({kept} in optional cells: blanked, row kept),"
            f" rows expected rejected {len(expected)}, rejected {len(got)},"
            f" exact match: {got == expected}"
        )


if __name__ == "__main__":
    main()
