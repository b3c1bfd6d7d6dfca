"""Reports shared by the resolution benchmarks: pairwise scores, guards, calibration.

Every function reads a table `truth(record_id, person_id)` on the connection.
"""

from __future__ import annotations

import duckdb

from relook.pipeline.resolution import households
from relook.pipeline.resolution.clusters import IDENTITY_GATE, NAME_CONFLICT
from relook.pipeline.resolution.settings import BLOCKING_RULES, on_pair
from relook.pipeline.resolve import recluster
from relook.synth.evaluation import pairwise


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
    [row] = con.execute(
        f"""
        WITH t AS (SELECT tl.record_id AS a, tr.record_id AS b FROM truth tl
                   JOIN truth tr ON tl.person_id = tr.person_id AND tl.record_id < tr.record_id)
        SELECT count(*), count(*) FILTER (WHERE NOT coalesce({rules}, FALSE))
        FROM t JOIN resolve_records l ON l.record_id = t.a
               JOIN resolve_records r ON r.record_id = t.b
        """
    ).fetchall()
    print(f"    true pairs {row[0]:,}; blocking never compares {row[1]:,} of them")
    pair_truth = (
        "JOIN truth tl ON tl.record_id = x.record_id_l"
        " JOIN truth tr ON tr.record_id = x.record_id_r"
    )
    same = "tl.person_id = tr.person_id"
    found = households.stored(con)
    print(
        f"    households: twin-signature pairs {found.twin_signature_pairs:,},"
        f" sibling pairs {found.sibling_pairs:,}, twin share {found.twin_share:.3f};"
        f" generation-signature pairs {found.generation_signature_pairs:,},"
        f" parent-child pairs {found.parent_child_pairs:,},"
        f" generation share {found.generation_share:.3f}"
    )
    gate_refused = (
        f"FROM resolve_pairs x {pair_truth} JOIN resolve_records l"
        " ON l.record_id = x.record_id_l JOIN resolve_records r"
        f" ON r.record_id = x.record_id_r WHERE x.match_probability >= {threshold}"
        f" AND NOT coalesce({IDENTITY_GATE}, FALSE)"
    )
    for label, sql in (
        ("identity gate, forenames unrelated", gate_refused),
        (
            "  of which let through as not twins",
            f"{gate_refused} AND"
            f" {households.let_through(threshold, found.twin_share, 'x.match_probability')}",
        ),
        (
            "identity gate, generation signature held back",
            f"FROM resolve_pairs x {pair_truth} JOIN resolve_records l"
            " ON l.record_id = x.record_id_l JOIN resolve_records r"
            f" ON r.record_id = x.record_id_r WHERE x.match_probability >= {threshold}"
            f" AND coalesce({IDENTITY_GATE}, FALSE) AND"
            f" {households.held_back(threshold, found.generation_share, 'x.match_probability')}",
        ),
        ("chain guard cut", f"FROM resolve_cuts x {pair_truth}"),
        (
            "  of which names conflict",
            f"FROM resolve_cuts x {pair_truth} JOIN resolve_records l"
            " ON l.record_id = x.kept_apart_l JOIN resolve_records r"
            f" ON r.record_id = x.kept_apart_r WHERE {on_pair(NAME_CONFLICT)}",
        ),
    ):
        [row] = con.execute(
            f"SELECT count(*) FILTER (WHERE {same}), count(*) FILTER (WHERE NOT {same}) {sql}"
        ).fetchall()
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


THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99)


def threshold_sweep(
    con: duckdb.DuckDBPyConnection,
    thresholds: tuple[float, ...],
    *,
    quiet: bool = False,
) -> dict[float, tuple[float, float, float]]:
    """Pairwise scores of the last `resolve` at each cluster threshold.

    The scored pairs are linked again (`recluster`): nothing is re-trained or re-scored,
    only the links, the gate and the chain guard see another threshold. `persons` is left
    at the last threshold.
    """
    results: dict[float, tuple[float, float, float]] = {}
    for threshold in thresholds:
        recluster(con, threshold)
        results[threshold] = scores(con, "persons")
        p, r, f = results[threshold]
        if not quiet:
            print(f"    threshold {threshold:<5} P {p:.4f}  R {r:.4f}  F1 {f:.4f}")
    return results


def episode_pair_recall(con: duckdb.DuckDBPyConnection, table: str = "persons") -> float:
    """Recall over the true pairs that hold at least one missing-episode record."""
    [row] = con.execute(
        f"""
        WITH t AS (SELECT tl.record_id AS a, tr.record_id AS b FROM truth tl
                   JOIN truth tr ON tl.person_id = tr.person_id AND tl.record_id < tr.record_id),
        k AS (SELECT record_id, record_kind FROM resolve_records)
        SELECT count(*), count(*) FILTER (WHERE pa.person_id = pb.person_id)
        FROM t JOIN k ka ON ka.record_id = t.a JOIN k kb ON kb.record_id = t.b
        LEFT JOIN {table} pa ON pa.record_id = t.a LEFT JOIN {table} pb ON pb.record_id = t.b
        WHERE 'missing_episode' IN (ka.record_kind, kb.record_kind)
        """
    ).fetchall()
    return row[1] / row[0] if row[0] else 1.0
