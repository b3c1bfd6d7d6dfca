"""Benchmark a whole run on a generated force: accuracy against truth, time and memory.

    .venv/bin/python bench/bench_pipeline.py [--cases 9000] [--seed 1]

Generates a force, runs `relook run` end to end (every stage), and prints for each stage
its time and the process's peak resident memory so far. Then the accuracy of the outputs
against the generator's truth: person resolution and networks as pairwise precision /
recall / F1; screening agreement for both definitions; recall and precision of leads
(planted note-only and episode-only identifiers) and of language flags (planted phrases);
and the share of in-scope cases with a suspect who offended again later that rank in the
top quarter. Beside the person F1 it prints the baseline from the same run: a plain Splink
configuration (names, date of birth, postcode, phone; no domain features) on the same
ingested records.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from relook.engine.duckdb_engine import connect, sql_literal
from relook.pipeline.resolve import resolve_baseline
from relook.runs import run_force
from relook.synth import generate
from relook.synth.evaluation import (
    entered_twice_scores,
    language_score,
    lead_score,
    network_score,
    person_score,
    ranking_score,
    screening_agreement,
)
from relook.workspace import Workspace


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=9000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        generate(root / "force", args.cases, args.seed)
        print(f"generate {args.cases:,} cases: {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        report = run_force(root / "force", root / "out", workspace=Workspace(root / "ws"))
        wall = time.perf_counter() - started
        print(f"\n{'stage':<10} {'seconds':>8} {'peak RSS MB':>12}")
        for name, timing in report.timings.items():
            print(f"{name:<10} {timing.seconds:8.2f} {timing.peak_rss_mb:12.0f}")
        print(f"{'total':<10} {wall:8.2f} {peak_rss_mb():12.0f}   (relook run, end to end)")

        # The run keeps its analysis database in its own folder (W/runs/<run_id>/).
        con = connect(Workspace(root / "ws").analysis_path_of(report.run_id))
        started = time.perf_counter()
        resolve_baseline(con)
        baseline_seconds = time.perf_counter() - started
        baseline_csv = root / "persons_baseline.csv"
        con.execute(
            f"COPY (SELECT record_id, person_id FROM persons_baseline)"
            f" TO {sql_literal(str(baseline_csv))} (HEADER)"
        )
        con.close()

        truth = root / "force" / "truth"
        scorer = connect()
        print("\naccuracy against the generator's truth")
        print(f"persons  relook   {person_score(scorer, root / 'out' / 'persons.csv', truth)}")
        print(
            f"persons  baseline {person_score(scorer, baseline_csv, truth)}"
            f"  [{baseline_seconds:.1f} s]"
        )
        for entered in entered_twice_scores(
            scorer, root / "force" / "people.csv", root / "out" / "persons.csv", truth
        ):
            print(f"persons  {entered}")
        print(f"networks          {network_score(scorer, root / 'out', truth)}")
        print(f"screening         {screening_agreement(scorer, root / 'out', truth)}")
        print(f"leads             {lead_score(scorer, root / 'out', truth)}")
        print(f"language          {language_score(scorer, root / 'out', truth)}")
        print(f"ranking           {ranking_score(scorer, root / 'out', truth)}")


if __name__ == "__main__":
    main()
