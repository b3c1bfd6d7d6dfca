"""Benchmark: the national export (FollowTheMoney) of a synthetic force's run.

Generates a force, runs it into a fresh workspace, then, in a fresh process (so that the
peak memory is the export's, not the pipeline's), times:

* the baseline: a plain JSON-lines dump of the same store rows (cases, people, vehicles,
  locations of the exported cases), streamed the same way;
* `relook export national` itself (entities built and cleaned through the FtM model,
  written, audited), for the cases in scope and for every case.

Prints seconds, peak RSS after each step, entities written and the ratio to the baseline.

    .venv/bin/python bench/bench_national_export.py --cases 9000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select, true

from relook.commands import national_export_command
from relook.review.runs import latest_run
from relook.runs import run_force
from relook.security import accounts
from relook.security.audit import SYSTEM
from relook.store.tables import run_cases, run_locations, run_people, run_vehicles
from relook.synth import generate
from relook.workspace import Workspace

EXPORTER = "bench-supervisor"
REASON = "benchmark of the national export"


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries
    ru_maxrss across exec, so a child would report the pipeline's peak as its own."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def plain_dump(workspace: Path, out: Path, *, all_cases: bool) -> int:
    """The same rows as JSON lines, no FtM: what writing them costs at least."""
    rows = 0
    with Workspace(workspace).store() as store, store.snapshot() as connection:
        run = latest_run(connection)
        assert run is not None
        scope = true() if all_cases else run_cases.c.in_scope_wider.is_(True)
        exported = and_(run_cases.c.run_id == run.run_id, scope)
        queries: list[Any] = [select(run_cases).where(exported)]
        for table in (run_people, run_vehicles, run_locations):
            on_case = and_(
                run_cases.c.run_id == table.c.run_id, run_cases.c.case_id == table.c.case_id
            )
            queries.append(select(table).join(run_cases, on_case).where(exported))
        with out.open("w", encoding="utf-8") as handle:
            for query in queries:
                result = connection.execution_options(stream_results=True, yield_per=2000)
                for row in result.execute(query):
                    handle.write(json.dumps(dict(row._mapping), default=str) + "\n")
                    rows += 1
    return rows


def measure(workspace: Path, out_dir: Path) -> None:
    """In a fresh process: the baseline, then the export, for each scope."""
    for all_cases in (False, True):
        scope = "every case" if all_cases else "cases in scope"
        start = time.perf_counter()
        rows = plain_dump(workspace, out_dir / f"plain-{all_cases}.jsonl", all_cases=all_cases)
        baseline = time.perf_counter() - start
        print(f"{scope}: baseline plain JSON dump   {baseline:6.2f} s  {rows:7,} rows"
              f"   peak RSS so far {peak_mb():5.0f} MB")  # fmt: skip
        start = time.perf_counter()
        counts = national_export_command.run(
            workspace,
            out=out_dir / f"national-{all_cases}.ftm.json",
            reason=REASON,
            by=EXPORTER,
            all_cases=all_cases,
        )
        seconds = time.perf_counter() - start
        ratio = seconds / baseline
        print(f"{scope}: relook export national {seconds:6.2f} s  {counts.entities:7,} entities"
              f"   peak RSS so far {peak_mb():5.0f} MB   {ratio:4.1f} x the baseline")  # fmt: skip
        print(f"{scope}: by schema {dict(sorted(counts.by_schema.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=9000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.measure / "exports")
        return
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        start = time.perf_counter()
        generate(base / "force", args.cases, args.seed)
        run_force(base / "force", base / "out", workspace=Workspace(base / "ws"))
        with Workspace(base / "ws").store() as store, store.write() as connection:
            accounts.create_user(connection, EXPORTER, "supervisor", "bench password 12345",
                                 by=SYSTEM)  # fmt: skip
        print(f"generate and run {args.cases:,} cases: {time.perf_counter() - start:.1f} s")
        (base / "ws" / "exports").mkdir()
        subprocess.run([sys.executable, __file__, "--measure", str(base / "ws")], check=True)


if __name__ == "__main__":
    main()
