"""How far a threshold on relook's comparison vectors could go: an oracle estimate.

    .venv/bin/python bench/bench_ceiling.py [--cases 3000] [--seed 5] [--only NAME ...]

For each robustness setting (`bench_robustness.SETTINGS`) it generates the force,
ingests it and resolves it keeping every scored pair down to probability 0.001. It then
groups the pairs by their comparison levels (the gamma vector, one level per comparison)
and reads each group's true rate off the generator's truth. Linking every pair of a group
whose true rate is at least r (the best of 0.5 to 0.9), and taking connected components
(no guards), gives the pairwise F1 of an oracle. The oracle knows which level patterns
are mostly true on this very force; relook also sees how common each name is (term
frequencies), so a second oracle groups by the levels and the term-frequency adjustments
to the nearest bit. relook's own F1 (cluster threshold 0.9, with its guards) and the
model's probability at other thresholds without guards are printed beside it.

It is an estimate, not a strict bound: the oracle links whole patterns and then chains
them without guards, and relook, which has guards and finer scores, beats the levels-only
oracle on two settings. A setting whose oracle is far under a target is unlikely to reach
it by re-weighting or another threshold: it needs evidence relook does not compare.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator

import duckdb
import networkx as nx
from bench_robustness import SETTINGS, ingested_force
from resolution_reports import scores

from relook.pipeline.resolution import stage
from relook.pipeline.resolve import resolve
from relook.synth.evaluation import PairwiseScore, pairwise
from relook.synth.noise import Knobs

ORACLE_RATES = (0.5, 0.6, 0.7, 0.8, 0.9)
MODEL_THRESHOLDS = (0.5, 0.7, 0.9)
KEEP_PAIRS_FROM = 0.001


@contextlib.contextmanager
def pairs_kept_from(probability: float) -> Iterator[None]:
    """resolve keeps scored pairs down to `probability` instead of its 0.5."""
    saved = stage.PAIR_THRESHOLD
    stage.PAIR_THRESHOLD = probability
    try:
        yield
    finally:
        stage.PAIR_THRESHOLD = saved


def _label_pairs(con: duckdb.DuckDBPyConnection, *, term_frequencies: bool) -> None:
    """Each kept pair with its pattern: its levels, and with `term_frequencies` also its
    term-frequency adjustments to the nearest bit (a finer, more flattering oracle)."""
    columns = [name for (name, *_rest) in con.execute("DESCRIBE resolve_pairs").fetchall()]
    parts = [c for c in columns if c.startswith("gamma_")]
    if term_frequencies:
        parts += [f"round({c})::INTEGER" for c in columns if c.startswith("mw_tf_adj_")]
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE labelled AS
        SELECT x.record_id_l, x.record_id_r, x.match_probability AS p,
               concat_ws('|', {", ".join(parts)}) AS pattern,
               (tl.person_id = tr.person_id)::INTEGER AS same
        FROM resolve_pairs x
        JOIN truth tl ON tl.record_id = x.record_id_l
        JOIN truth tr ON tr.record_id = x.record_id_r
        """
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE pattern_rate AS"
        " SELECT pattern, avg(same) AS rate FROM labelled GROUP BY pattern"
    )


def _linked_score(con: duckdb.DuckDBPyConnection, where: str) -> PairwiseScore:
    """Pairwise score of the connected components of the labelled pairs kept by `where`."""
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(r for (r,) in con.execute("SELECT record_id FROM truth").fetchall())
    graph.add_edges_from(
        con.execute(
            "SELECT record_id_l, record_id_r FROM labelled JOIN pattern_rate USING (pattern)"
            f" WHERE {where}"
        ).fetchall()
    )
    con.execute("CREATE OR REPLACE TEMP TABLE oracle_clusters (record_id VARCHAR, cid INTEGER)")
    con.executemany(
        "INSERT INTO oracle_clusters VALUES (?, ?)",
        [(r, i) for i, part in enumerate(nx.connected_components(graph)) for r in part],
    )
    return pairwise(
        con,
        "SELECT t.record_id AS item, o.cid::VARCHAR AS predicted, t.person_id AS truth"
        " FROM truth t JOIN oracle_clusters o USING (record_id)",
    )


def run_setting(name: str, knobs: Knobs, cases: int, seed: int) -> list[str]:
    with ingested_force(knobs, cases, seed) as con:
        with pairs_kept_from(KEEP_PAIRS_FROM):
            resolve(con, seed=seed)
        p, r, f = scores(con, "persons")
        lines = [f"| {name} | relook (0.9, guards) | {p:.3f} | {r:.3f} | **{f:.3f}** |"]
        _label_pairs(con, term_frequencies=False)
        for threshold in MODEL_THRESHOLDS:
            s = _linked_score(con, f"p >= {threshold}")
            lines.append(
                f"| | model p >= {threshold}, no guards | {s.precision:.3f} | {s.recall:.3f}"
                f" | {s.f1:.3f} |"
            )
        for term_frequencies, label in ((False, "levels"), (True, "levels and tf")):
            _label_pairs(con, term_frequencies=term_frequencies)
            s, rate = max(
                ((_linked_score(con, f"rate >= {rate}"), rate) for rate in ORACLE_RATES),
                key=lambda scored: scored[0].f1,
            )
            lines.append(
                f"| | oracle on {label}, best true rate ({rate}) | {s.precision:.3f} |"
                f" {s.recall:.3f} | **{s.f1:.3f}** |"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--only", nargs="+", choices=list(SETTINGS), help="settings to run")
    args = parser.parse_args(argv)
    print(f"{args.cases:,} cases, seed {args.seed}\n")
    print("| setting | linking | P | R | F1 |")
    print("|---|---|---|---|---|")
    for name in args.only or list(SETTINGS):
        for line in run_setting(name, SETTINGS[name], args.cases, args.seed):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
