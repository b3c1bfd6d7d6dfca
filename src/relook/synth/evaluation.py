"""Measure a run's outputs against a synthetic force's ground truth.

Used by the benchmarks (which print the figures) and by the end-to-end tests (which
check them against thresholds). Everything is computed in DuckDB from the CSV files, so
the measures are exactly what a reader of the outputs would get.

Pairwise precision and recall of a clustering: over all pairs of items placed together
by the prediction, the share the truth also puts together (precision); over all pairs the
truth puts together, the share the prediction also does (recall).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from relook.engine.duckdb_engine import sql_literal


@dataclass(frozen=True)
class PairwiseScore:
    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int

    @property
    def f1(self) -> float:
        if self.precision + self.recall == 0:
            return 0.0
        return 2 * self.precision * self.recall / (self.precision + self.recall)

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.4f}  recall {self.recall:.4f}  F1 {self.f1:.4f}"
            f"  (true pairs {self.true_pairs:,}, predicted pairs {self.predicted_pairs:,})"
        )


def _csv(path: Path) -> str:
    return f"read_csv({sql_literal(str(path))}, header = true, all_varchar = true)"


def pairwise(con: duckdb.DuckDBPyConnection, assignments_sql: str) -> PairwiseScore:
    """`assignments_sql` yields (item, predicted, truth) with NULL meaning "alone"."""
    row = con.execute(
        f"""
        WITH a AS ({assignments_sql}),
        pred AS (SELECT predicted, count(*) AS n FROM a WHERE predicted IS NOT NULL GROUP BY 1),
        true_ AS (SELECT truth, count(*) AS n FROM a WHERE truth IS NOT NULL GROUP BY 1),
        both_ AS (
            SELECT predicted, truth, count(*) AS n FROM a
            WHERE predicted IS NOT NULL AND truth IS NOT NULL GROUP BY 1, 2
        )
        SELECT (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM pred),
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM true_),
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM both_)
        """
    ).fetchone()
    predicted, true, agreed = (int(v) for v in row) if row else (0, 0, 0)
    return PairwiseScore(
        precision=agreed / predicted if predicted else 1.0,
        recall=agreed / true if true else 1.0,
        true_pairs=true,
        predicted_pairs=predicted,
    )


def person_score(
    con: duckdb.DuckDBPyConnection, persons_csv: Path, truth_dir: Path, column: str = "person_id"
) -> PairwiseScore:
    return pairwise(
        con,
        f"SELECT t.record_id AS item, p.{column} AS predicted, t.person_id AS truth"
        f" FROM {_csv(truth_dir / 'persons.csv')} t"
        f" LEFT JOIN {_csv(persons_csv)} p USING (record_id)",
    )


def network_score(con: duckdb.DuckDBPyConnection, out_dir: Path, truth_dir: Path) -> PairwiseScore:
    return pairwise(
        con,
        "SELECT t.case_id AS item, n.network_id AS predicted, nullif(t.network_id, '') AS truth"
        f" FROM {_csv(truth_dir / 'cases.csv')} t"
        f" LEFT JOIN {_csv(out_dir / 'networks.csv')} n USING (case_id)",
    )


@dataclass(frozen=True)
class ScreeningAgreement:
    cases: int
    wider: float
    narrower: float
    category: float

    def __str__(self) -> str:
        return (
            f"wider {self.wider:.4f}  narrower {self.narrower:.4f}  category {self.category:.4f}"
            f"  over {self.cases:,} cases"
        )


def screening_agreement(
    con: duckdb.DuckDBPyConnection, out_dir: Path, truth_dir: Path
) -> ScreeningAgreement:
    row = con.execute(
        f"""SELECT count(*),
            avg(coalesce((s.in_scope_wider = t.in_scope_wider)::INT, 0)),
            avg(coalesce((s.in_scope_narrower = t.in_scope_narrower)::INT, 0)),
            avg(coalesce((s.category = t.category)::INT, 0))
        FROM {_csv(truth_dir / "cases.csv")} t
        LEFT JOIN {_csv(out_dir / "screening.csv")} s USING (case_id)"""
    ).fetchone()
    if not row or not row[0]:
        return ScreeningAgreement(0, 0.0, 0.0, 0.0)
    return ScreeningAgreement(int(row[0]), float(row[1]), float(row[2]), float(row[3]))
