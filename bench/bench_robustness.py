"""Benchmark resolution on relook's generator with its noise turned up, one axis at a time.

    .venv/bin/python bench/bench_robustness.py [--cases 3000] [--seed 5] [--only NAME ...]

Each setting generates a force with `relook.synth.noise.turned_up(Knobs(...))`, ingests
it, and runs `resolve` and the plain Splink `resolve_baseline` on the same tables; the
table gives pairwise precision / recall / F1 against the generator's truth and the
recall over true pairs that hold a missing-episode record. The axes:

* name slips x2 and x4 (typos, initials only, forename and surname fields swapped);
* missing episodes whose date of birth is blank or the year only, 10 % to 50 %;
* a small pool of names (40 forenames, 55 surnames), so that namesakes are common;
* up to ten episodes per child who goes missing;
* addresses and postcodes with slips (20 %);
* all of these together, with the name slips and episode dates at their middle (x2,
  30 %) and at their worst (x4, 50 %).

`--guards` prints, before each setting's row, what each guard refused that was true and
false (as `bench_resolve.py --guards`).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
from resolution_reports import episode_pair_recall, guard_report, scores

from relook.engine.duckdb_engine import connect
from relook.pipeline.ingest import ingest
from relook.pipeline.resolve import resolve, resolve_baseline
from relook.synth import generate
from relook.synth.noise import Knobs, turned_up

ALL = Knobs(
    name_slips=4.0,
    episode_dob_blank=0.5,
    name_pool=(40, 55),
    episodes_per_child=10,
    address_slips=0.2,
)
# Every axis at once, the ranged ones (name slips, episode dates) at their middle: where
# between the single axes and "all together" resolution stops holding.
ALL_MIDDLE = dataclasses.replace(ALL, name_slips=2.0, episode_dob_blank=0.3)
SETTINGS: dict[str, Knobs] = {
    "default": Knobs(),
    "name slips x2": Knobs(name_slips=2.0),
    "name slips x4": Knobs(name_slips=4.0),
    "episode dob blank/partial 10%": Knobs(episode_dob_blank=0.1),
    "episode dob blank/partial 30%": Knobs(episode_dob_blank=0.3),
    "episode dob blank/partial 50%": Knobs(episode_dob_blank=0.5),
    "name pool 40 x 55": Knobs(name_pool=(40, 55)),
    "up to 10 episodes per child": Knobs(episodes_per_child=10),
    "address/postcode slips 20%": Knobs(address_slips=0.2),
    "all together, slips x2, dob 30%": ALL_MIDDLE,
    "all together": ALL,
}


@contextlib.contextmanager
def ingested_force(knobs: Knobs, cases: int, seed: int) -> Iterator[duckdb.DuckDBPyConnection]:
    """A force generated with `knobs`, ingested, with its true persons as `truth`."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "force"
        with turned_up(knobs):
            generate(data, cases, seed)
        con = connect()
        ingest(con, data)
        con.execute(
            "CREATE TABLE truth AS SELECT record_id::VARCHAR AS record_id,"
            f" person_id::VARCHAR AS person_id FROM read_csv('{data / 'truth' / 'persons.csv'}',"
            " all_varchar = true)"
        )
        try:
            yield con
        finally:
            con.close()


def run_setting(name: str, knobs: Knobs, cases: int, seed: int, *, guards: bool = False) -> str:
    with ingested_force(knobs, cases, seed) as con:
        start = time.perf_counter()
        result = resolve(con, seed=seed)
        seconds = time.perf_counter() - start
        p, r, f = scores(con, "persons")
        if guards:
            print(f"  {name}:")
            guard_report(con, result.cluster_threshold)
        episodes = episode_pair_recall(con)
        resolve_baseline(con, seed=seed)
        _, _, bf = scores(con, "persons_baseline")
        b_episodes = episode_pair_recall(con, "persons_baseline")
    return (
        f"| {name} | {p:.3f} | {r:.3f} | **{f:.3f}** | {episodes:.3f} | {bf:.3f} |"
        f" {b_episodes:.3f} | {seconds:.1f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--only", nargs="+", choices=list(SETTINGS), help="settings to run")
    parser.add_argument("--guards", action="store_true", help="what each guard refused")
    args = parser.parse_args(argv)
    print(f"{args.cases:,} cases, seed {args.seed}\n")
    print(
        "| setting | relook P | R | F1 | missing-episode pair recall | plain Splink F1 |"
        " plain Splink episode recall | resolve s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name in args.only or list(SETTINGS):
        print(
            run_setting(name, SETTINGS[name], args.cases, args.seed, guards=args.guards), flush=True
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
