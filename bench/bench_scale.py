"""How resolve grows with the size of a force: seconds, peak memory, growth exponent.

    .venv/bin/python bench/bench_scale.py [--sizes 3000 9000] [--seed 7]

Each size runs in a process of its own (so that peak memory is that size's): generate
the force, ingest it, resolve it, and print the seconds of each step and of resolve's
own parts, with the process's peak resident memory (ru_maxrss: DuckDB's memory is not
Python's). Between consecutive sizes it prints the growth exponent of resolve's time,
log(t2 / t1) / log(n2 / n1) over records (1.0 is linear).

The issue's sizes (50,000 and 150,000 cases) take many minutes and gigabytes; pass them
with --sizes on a machine that has them free. `--forces DIR` keeps each generated force
in DIR/force-<cases>-<seed> and reuses it on the next run (generation is not what is
measured; its seconds are printed only when it ran). Resolve's own parts include the
number of blocked comparisons, the figure that decides how it grows.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_size(cases: int, seed: int, forces: Path | None) -> dict[str, float]:
    from relook.engine.duckdb_engine import connect
    from relook.pipeline.ingest import ingest
    from relook.pipeline.resolve import resolve
    from relook.synth import generate

    with tempfile.TemporaryDirectory() as tmp:
        data = (forces or Path(tmp)) / f"force-{cases}-{seed}"
        start = time.perf_counter()
        if not (data / "truth").is_dir():
            generate(data, cases, seed)
        generated = time.perf_counter() - start
        con = connect()
        start = time.perf_counter()
        ingest(con, data)
        ingested = time.perf_counter() - start
        start = time.perf_counter()
        result = resolve(con, seed=seed)
        resolved = time.perf_counter() - start
        con.close()
    return {
        "cases": cases,
        "records": result.n_records,
        "generate_s": generated,
        "ingest_s": ingested,
        "resolve_s": resolved,
        "compared": result.n_compared,
        **{f"resolve_{k}_s": v for k, v in result.timings.items()},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 9000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--forces", type=Path, help="keep and reuse generated forces here")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(args.one, args.seed, args.forces)))
        return 0
    kept = ["--forces", str(args.forces)] if args.forces else []
    rows = []
    for size in args.sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed), *kept],
            check=False,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"{size:,} cases failed:\n{done.stderr[-2000:]}")
        out = done.stdout
        row = json.loads(out.strip().splitlines()[-1])
        rows.append(row)
        parts = "  ".join(
            f"{k[8:-2]} {v:.1f}"
            for k, v in row.items()
            if k.startswith("resolve_") and k != "resolve_s"
        )
        print(
            f"{size:>7,} cases {row['records']:>9,} records  generate {row['generate_s']:6.1f}s"
            f"  ingest {row['ingest_s']:5.1f}s  resolve {row['resolve_s']:6.1f}s ({parts})"
            f"  compared {row['compared']:,}  peak {row['peak_rss_mb']:,.0f} MB",
            flush=True,
        )
    for a, b in itertools.pairwise(rows):
        growth = math.log(b["records"] / a["records"])
        exponent = math.log(b["resolve_s"] / a["resolve_s"]) / growth
        compared = math.log(max(b["compared"], 1) / max(a["compared"], 1)) / growth
        print(
            f"resolve growth {a['cases']:,} -> {b['cases']:,} cases: n^{exponent:.2f}"
            f" (comparisons n^{compared:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
