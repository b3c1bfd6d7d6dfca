"""Explain a pair: the per-comparison match weights a reviewer sees.

Scores the two records with the model the last resolve run used (table `resolve_model`;
the prior model when resolve has not run), through Splink's `score_pair`, so the weights
are exactly those the run used. Term frequencies are computed from the same records.
"""

from __future__ import annotations

import json
import math
from typing import Any

import duckdb

from relook.engine.sql import count, named_rows, scalar, table_exists
from relook.pipeline.resolution import households, settings, training
from relook.pipeline.resolution.clusters import IDENTITY_GATE
from relook.pipeline.resolution.records import RECORDS_TABLE, build_records
from relook.pipeline.resolution.stage import CLUSTER_THRESHOLD, MODEL_TABLE, PERSONS_TABLE
from relook.pipeline.resolution.types import ComparisonExplanation, PairExplanation

_INPUT = "_resolve_explain_input"

# The record column a reviewer reads for each comparison.
_DISPLAY_COLUMN = {
    "forename": "forenames",
    "surname": "surname",
    "dob": "dob_raw",
    "address": "address_shown",
    "phone": "phone",
    "nominal_id": "nominal_id",
    "episode_time": "event_date",
    "care_setting": "care_setting",
    "case": "case_id",
}


def _stored_model(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    if table_exists(con, MODEL_TABLE):
        model_json = scalar(con, f"SELECT model_json FROM {MODEL_TABLE}")
        if model_json:
            stored: dict[str, Any] = json.loads(model_json)
            return stored
    return settings.without_term_frequencies(settings.settings())


def _record(con: duckdb.DuckDBPyConnection, record_id: str) -> dict[str, Any]:
    rows = named_rows(con, f"SELECT * FROM {RECORDS_TABLE} WHERE record_id = ?", [record_id])
    if not rows:
        raise KeyError(f"no record {record_id!r} (a mention_id or episode_id)")
    return rows[0]


def _level_labels(comparison: dict[str, Any]) -> dict[int, str]:
    """Splink's comparison vector value → level label (null is -1, else is 0)."""
    levels = comparison["comparison_levels"]
    non_null = [lv for lv in levels if not lv.get("is_null_level")]
    labels = {len(non_null) - 1 - i: str(lv.get("label_for_charts", "")) for i, lv in
              enumerate(non_null)}  # fmt: skip
    labels[-1] = next(
        (str(lv.get("label_for_charts", "")) for lv in levels if lv.get("is_null_level")),
        "not recorded",
    )
    return labels


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _same_person(con: duckdb.DuckDBPyConnection, record_a: str, record_b: str) -> bool | None:
    if not table_exists(con, PERSONS_TABLE):
        return None
    found = count(
        con,
        f"SELECT count(*) FROM {PERSONS_TABLE} WHERE record_id IN (?, ?)",
        [record_a, record_b],
    )
    if found < 2:
        return None
    persons = count(
        con,
        f"SELECT count(DISTINCT person_id) FROM {PERSONS_TABLE} WHERE record_id IN (?, ?)",
        [record_a, record_b],
    )
    return persons == 1


def _score(
    con: duckdb.DuckDBPyConnection, model: dict[str, Any], a: dict[str, Any], b: dict[str, Any]
) -> dict[str, Any]:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {_INPUT} AS SELECT * FROM {RECORDS_TABLE} WHERE identifiable"
    )
    try:
        with training.linker_on(con, _INPUT, model) as linker, training.quiet_splink():
            scored = linker.inference.score_pair(a, b)
            result: dict[str, Any] = scored.as_record_list()[0]
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_INPUT}")
    return result


def _passes_identity_gate(con: duckdb.DuckDBPyConnection, scored: dict[str, Any]) -> bool:
    """`clusters.IDENTITY_GATE` itself, on a scored pair's comparison levels."""
    gammas = {k: int(v) for k, v in scored.items() if k.startswith("gamma_")}
    levels = ", ".join(f"?::INTEGER AS {name}" for name in gammas)
    return bool(
        scalar(con, f"SELECT {IDENTITY_GATE} FROM (SELECT {levels})", list(gammas.values()))
    )


def explain_pair(con: duckdb.DuckDBPyConnection, record_a: str, record_b: str) -> PairExplanation:
    """Per-comparison level and weight for two records, and the total they add up to."""
    if not table_exists(con, RECORDS_TABLE):
        build_records(con)
    a, b = _record(con, record_a), _record(con, record_b)
    model = _stored_model(con)
    scored = _score(con, model, a, b)
    comparisons = []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        gamma = int(scored[f"gamma_{name}"])
        tf_adjustment = float(scored.get(f"mw_tf_adj_{name}") or 0.0)
        column = _DISPLAY_COLUMN.get(name, name)
        comparisons.append(
            ComparisonExplanation(
                comparison=name,
                level=_level_labels(comparison)[gamma],
                match_weight=float(scored[f"mw_{name}"]) + tf_adjustment,
                tf_adjustment=tf_adjustment,
                value_a=_text(a.get(column)),
                value_b=_text(b.get(column)),
            )
        )
    lam = float(model["probability_two_random_records_match"])
    same_person = _same_person(con, record_a, record_b)
    unidentified = [r["record_id"] for r in (a, b) if not r["identifiable"]]
    note = (
        f"Unidentified (no name, no date of birth), never merged: {', '.join(unidentified)}."
        if unidentified
        else ""
    )
    signature = None if note else households.signature_of(con, RECORDS_TABLE, record_a, record_b)
    # A twin-signature pair that passes the gate otherwise (a shared nominal) needs no note.
    if signature is not None and (
        signature is households.GENERATION or not _passes_identity_gate(con, scored)
    ):
        found = households.stored(con)
        probability = float(scored["match_probability"])
        note = households.describe(found, CLUSTER_THRESHOLD, probability, signature)
        if same_person and not households.links(found, CLUSTER_THRESHOLD, probability, signature):
            note += (
                " The model's score of this pair could not join them; other records or an"
                " analyst's must-link did."
            )
    return PairExplanation(
        record_a=record_a,
        record_b=record_b,
        prior_weight=math.log2(lam / (1 - lam)),
        comparisons=tuple(comparisons),
        total_weight=float(scored["match_weight"]),
        match_probability=float(scored["match_probability"]),
        same_person=same_person,
        note=note,
    )
