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
from relook.engine.sql import one_row


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
    row = one_row(
        con,
        f"""
        WITH a AS ({assignments_sql}),
        pred AS (SELECT predicted, count(*) AS n FROM a WHERE predicted IS NOT NULL GROUP BY 1),
        true_ AS (SELECT truth, count(*) AS n FROM a WHERE truth IS NOT NULL GROUP BY 1),
        both_ AS (
            SELECT predicted, truth, count(*) AS n FROM a
            WHERE predicted IS NOT NULL AND truth IS NOT NULL GROUP BY 1, 2
        )
        SELECT (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM pred) AS predicted_pairs,
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM true_) AS true_pairs,
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM both_) AS agreed_pairs
        """,
    )
    predicted, true = int(row["predicted_pairs"]), int(row["true_pairs"])
    agreed = int(row["agreed_pairs"])
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
class EnteredTwice:
    """People entered twice on one case in one role: how many such pairs the truth
    holds, the share put in one person, and the pairs of different people on one case
    in one role put in one person."""

    role: str
    true_pairs: int
    recognised: float
    wrongly_joined: int

    def __str__(self) -> str:
        return (
            f"{self.role:<8} entered twice on one case: {self.true_pairs:,} pairs,"
            f" recognised {self.recognised:.4f}; different people of one case joined"
            f" {self.wrongly_joined:,}"
        )


def entered_twice_scores(
    con: duckdb.DuckDBPyConnection, people_csv: Path, persons_csv: Path, truth_dir: Path
) -> list[EnteredTwice]:
    """For each role: the same person recorded twice on one case (which must count once,
    as "two or more suspects" decides scope), recognised or not."""
    rows = con.execute(
        f"""
        WITH p AS (
            SELECT m.mention_id, m.case_id, m.role, t.person_id AS truth, r.person_id AS found
            FROM {_csv(people_csv)} m
            JOIN {_csv(truth_dir / "persons.csv")} t ON t.record_id = m.mention_id
            LEFT JOIN {_csv(persons_csv)} r ON r.record_id = m.mention_id
        )
        SELECT a.role,
               count(*) FILTER (WHERE a.truth = b.truth),
               coalesce(avg(CAST(coalesce(a.found = b.found, FALSE) AS INTEGER))
                        FILTER (WHERE a.truth = b.truth), 1.0),
               count(*) FILTER (WHERE a.truth <> b.truth AND a.found = b.found)
        FROM p a JOIN p b
          ON a.case_id = b.case_id AND a.role = b.role AND a.mention_id < b.mention_id
        GROUP BY a.role ORDER BY a.role
        """
    ).fetchall()
    return [EnteredTwice(str(r[0]), int(r[1]), float(r[2]), int(r[3])) for r in rows]


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
    row = one_row(
        con,
        f"""SELECT count(*) AS cases,
            avg(coalesce((s.in_scope_wider = t.in_scope_wider)::INT, 0)) AS wider,
            avg(coalesce((s.in_scope_narrower = t.in_scope_narrower)::INT, 0)) AS narrower,
            avg(coalesce((s.category = t.category)::INT, 0)) AS category
        FROM {_csv(truth_dir / "cases.csv")} t
        LEFT JOIN {_csv(out_dir / "screening.csv")} s USING (case_id)""",
    )
    if not row["cases"]:
        return ScreeningAgreement(0, 0.0, 0.0, 0.0)
    return ScreeningAgreement(
        cases=int(row["cases"]),
        wider=float(row["wider"]),
        narrower=float(row["narrower"]),
        category=float(row["category"]),
    )


@dataclass(frozen=True)
class SpanScore:
    """Recall over planted spans and precision over the spans the run reported."""

    planted: int
    found: int
    reported: int
    correct: int

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.reported if self.reported else 1.0

    def __str__(self) -> str:
        return (
            f"recall {self.recall:.4f} ({self.found:,}/{self.planted:,})"
            f"  precision {self.precision:.4f} ({self.correct:,}/{self.reported:,})"
        )


def _span_score(con: duckdb.DuckDBPyConnection, planted_sql: str, reported_sql: str) -> SpanScore:
    """Both queries yield (source, field, start, end); spans match when they overlap."""
    overlap = "r.source = p.source AND r.field = p.field AND r.s < p.e AND p.s < r.e"
    row = one_row(
        con,
        f"""WITH p AS ({planted_sql}), r AS (SELECT DISTINCT * FROM ({reported_sql}))
        SELECT (SELECT count(*) FROM p) AS planted,
               (SELECT count(*) FROM p WHERE EXISTS (SELECT 1 FROM r WHERE {overlap})) AS found,
               (SELECT count(*) FROM r) AS reported,
               (SELECT count(*) FROM r WHERE EXISTS (SELECT 1 FROM p WHERE {overlap}))
                   AS correct""",
    )
    return SpanScore(
        planted=int(row["planted"]),
        found=int(row["found"]),
        reported=int(row["reported"]),
        correct=int(row["correct"]),
    )


def lead_score(con: duckdb.DuckDBPyConnection, out_dir: Path, truth_dir: Path) -> SpanScore:
    """Planted note-only and episode-only identifiers against `text_identifier` leads.

    Each evidence item of a lead names its source and span (`notes N1 text[32:40]` in
    `evidence_ids`, or in `evidence` from a relook before issue 11); a planted identifier
    is found when a lead's evidence overlaps its span.
    """
    planted = (
        "SELECT source_table || ' ' || source_id AS source, source_field AS field,"
        ' "start"::INT AS s, "end"::INT AS e'
        f" FROM {_csv(truth_dir / 'planted_identifiers.csv')}"
    )
    reported = (
        f"SELECT source, field, s, e FROM ({_lead_spans_sql(out_dir)})"
        " WHERE kind = 'text_identifier' AND s IS NOT NULL"
    )
    return _span_score(con, planted, reported)


def language_score(con: duckdb.DuckDBPyConnection, out_dir: Path, truth_dir: Path) -> SpanScore:
    """Planted victim-blaming phrases (flag = true) against `language.csv`."""
    planted = (
        'SELECT note_id AS source, \'text\' AS field, "start"::INT AS s, "end"::INT AS e'
        f" FROM {_csv(truth_dir / 'planted_language.csv')} WHERE flag = 'true'"
    )
    reported = (
        "SELECT note_id AS source, 'text' AS field, span_start::INT AS s, span_end::INT AS e"
        f" FROM {_csv(out_dir / 'language.csv')} WHERE source_table = 'notes'"
    )
    return _span_score(con, planted, reported)


@dataclass(frozen=True)
class RankingScore:
    reoffending_cases: int
    in_top_quarter: int

    @property
    def share(self) -> float:
        return self.in_top_quarter / self.reoffending_cases if self.reoffending_cases else 1.0

    def __str__(self) -> str:
        return (
            f"{self.share:.4f} of in-scope cases whose suspect offended again later rank in"
            f" the top quarter ({self.in_top_quarter:,}/{self.reoffending_cases:,})"
        )


def ranking_score(con: duckdb.DuckDBPyConnection, out_dir: Path, truth_dir: Path) -> RankingScore:
    row = one_row(
        con,
        f"""WITH p AS (SELECT case_id, rank::INT AS rank FROM {_csv(out_dir / "priorities.csv")})
        SELECT count(*) AS reoffending_cases,
               count(*) FILTER (WHERE p.rank <= (SELECT count(*) FROM p) / 4.0)
                   AS in_top_quarter
        FROM p JOIN {_csv(truth_dir / "cases.csv")} t USING (case_id)
        WHERE t.reoffended_later = 'true'""",
    )
    return RankingScore(
        reoffending_cases=int(row["reoffending_cases"]),
        in_top_quarter=int(row["in_top_quarter"]),
    )


# --- leads as a reviewer meets them: one row per lead ---------------------------------

COMMON_ALIAS_PEOPLE = 5
"""A planted name written as an alias that more true people bear names nobody in
particular: a lead to it counts as false, and finding it is not expected."""
HUB_PLACE_CASES = 20
"""Likewise a planted place that the force's records name at more cases than this: a bus
station, a market, a travel hotel (the generator's public hubs)."""

# The kinds whose evidence is spans of free text (the others come from structured records,
# or are the summary of what was too common to link).
_SPAN_KINDS = ("text_identifier", "identifier_elsewhere", "episode_names_network", "corroboration")
_IDS = r"^(\S+ \S+) (\w+)\[(\d+):(\d+)\]"


@dataclass(frozen=True)
class LeadMeasures:
    """Leads per lead (not per span): recall over planted identifiers that name somebody
    or something in particular, precision over the leads whose evidence is free text."""

    planted: int
    found: int
    leads: int
    true_leads: int
    corroborations_planted: int
    corroborations_found: int
    per_case_mean: float
    per_case_max: int
    common_summaries: int

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.true_leads / self.leads if self.leads else 1.0

    @property
    def corroboration_recall(self) -> float:
        planted = self.corroborations_planted
        return self.corroborations_found / planted if planted else 1.0

    def __str__(self) -> str:
        return (
            f"recall {self.recall:.4f} ({self.found:,}/{self.planted:,})"
            f"  precision {self.precision:.4f} ({self.true_leads:,}/{self.leads:,})"
            f"  corroboration recall {self.corroboration_recall:.4f}"
            f" ({self.corroborations_found:,}/{self.corroborations_planted:,})"
            f"  per in-scope case {self.per_case_mean:.2f} (max {self.per_case_max:,} on any case)"
            f"  common summaries {self.common_summaries:,}"
        )


def _lead_spans_sql(out_dir: Path) -> str:
    """(lead_id, case_id, kind, source, field, s, e) for every evidence span of a lead; reads
    `evidence_ids` or, from an older relook, `evidence` (`notes N1 text[3:9] "…"`)."""
    leads = _csv(out_dir / "leads.csv")
    header = duckdb.connect().execute(f"SELECT * FROM {leads} LIMIT 0").description or []
    column = "evidence_ids" if any(d[0] == "evidence_ids" for d in header) else "evidence"
    return (
        f"SELECT l.lead_id, l.case_id, l.kind,"
        f" regexp_extract(u.item, '{_IDS}', 1) AS source,"
        f" regexp_extract(u.item, '{_IDS}', 2) AS field,"
        f" try_cast(regexp_extract(u.item, '{_IDS}', 3) AS INT) AS s,"
        f" try_cast(regexp_extract(u.item, '{_IDS}', 4) AS INT) AS e"
        f" FROM {leads} l, unnest(string_split(l.{column}, ' | ')) AS u(item)"
    )


def _planted_sql(truth_dir: Path, force_dir: Path, name: str) -> str:
    """Planted spans with `common`: a one-word name borne, as an alias, by more than
    COMMON_ALIAS_PEOPLE true people (truth persons of the force's recorded aliases), or a
    place recorded at more than HUB_PLACE_CASES cases."""
    return f"""
    WITH aliases AS (
        SELECT lower(trim(a.alias)) AS alias, count(DISTINCT t.person_id) AS people
        FROM {_csv(force_dir / "people.csv")} p
        JOIN {_csv(truth_dir / "persons.csv")} t ON t.record_id = p.mention_id,
            unnest(string_split(p.aliases, ';')) AS a(alias)
        WHERE p.aliases IS NOT NULL GROUP BY 1
    )
    , places AS (
        SELECT lower(trim(name)) AS place, count(DISTINCT case_id) AS n_cases
        FROM {_csv(force_dir / "locations.csv")} WHERE name IS NOT NULL GROUP BY 1
    )
    SELECT source_table || ' ' || source_id AS source, source_field AS field,
        "start"::INT AS s, "end"::INT AS e, case_id, kind,
        coalesce(kind = 'name' AND NOT contains(trim(written), ' ')
                 AND (SELECT people FROM aliases WHERE alias = lower(trim(written)))
                     > {COMMON_ALIAS_PEOPLE}, FALSE)
        OR coalesce(kind = 'place' AND (SELECT n_cases FROM places
                                        WHERE place = lower(trim(written))) > {HUB_PLACE_CASES},
                    FALSE) AS common
    FROM {_csv(truth_dir / name)}"""


def lead_measures(
    con: duckdb.DuckDBPyConnection, out_dir: Path, truth_dir: Path, force_dir: Path
) -> LeadMeasures:
    overlap = "r.source = p.source AND r.field = p.field AND r.s < p.e AND p.s < r.e"
    corroborations = truth_dir / "planted_corroborations.csv"
    corroboration_sql = (
        _planted_sql(truth_dir, force_dir, corroborations.name)
        if corroborations.exists()
        else "SELECT NULL AS source, NULL AS field, 0 AS s, 0 AS e, NULL AS case_id,"
        " NULL AS kind, FALSE AS common WHERE FALSE"
    )
    kinds = ", ".join(f"'{k}'" for k in _SPAN_KINDS)
    row = one_row(
        con,
        f"""WITH p AS ({_planted_sql(truth_dir, force_dir, "planted_identifiers.csv")}),
        c AS ({corroboration_sql}),
        r AS ({_lead_spans_sql(out_dir)}),
        per_case AS (
            SELECT s.case_id, count(l.lead_id) AS n
            FROM {_csv(out_dir / "screening.csv")} s
            LEFT JOIN {_csv(out_dir / "leads.csv")} l USING (case_id)
            WHERE s.in_scope_wider = 'true' GROUP BY s.case_id
        ),
        span_leads AS (SELECT DISTINCT lead_id FROM r WHERE kind IN ({kinds})),
        true_leads AS (
            SELECT DISTINCT r.lead_id FROM r JOIN p ON {overlap}
            WHERE r.kind IN ({kinds}) AND NOT p.common
            UNION SELECT DISTINCT r.lead_id FROM r JOIN c p ON {overlap}
            WHERE r.kind = 'corroboration'
        )
        SELECT
            (SELECT count(*) FROM p WHERE NOT common) AS planted,
            (SELECT count(*) FROM p WHERE NOT common AND EXISTS (
                SELECT 1 FROM r WHERE r.kind IN ('text_identifier', 'corroboration')
                AND {overlap})) AS found,
            (SELECT count(*) FROM span_leads) AS leads,
            (SELECT count(*) FROM true_leads) AS true_leads,
            (SELECT count(*) FROM c) AS corroborations_planted,
            (SELECT count(*) FROM c p WHERE EXISTS (
                SELECT 1 FROM r WHERE r.kind = 'corroboration' AND {overlap}))
                AS corroborations_found,
            (SELECT avg(n) FROM per_case) AS per_case_mean,
            (SELECT max(n) FROM (SELECT count(*) AS n FROM {_csv(out_dir / "leads.csv")}
                                 GROUP BY case_id)) AS per_case_max,
            (SELECT count(*) FROM r WHERE kind = 'common_identifier') AS common_summaries""",
    )
    return LeadMeasures(
        planted=int(row["planted"]),
        found=int(row["found"]),
        leads=int(row["leads"]),
        true_leads=int(row["true_leads"]),
        corroborations_planted=int(row["corroborations_planted"]),
        corroborations_found=int(row["corroborations_found"]),
        per_case_mean=float(row["per_case_mean"] or 0.0),
        per_case_max=int(row["per_case_max"] or 0),
        common_summaries=int(row["common_summaries"]),
    )
