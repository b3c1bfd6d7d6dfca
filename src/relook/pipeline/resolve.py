"""The resolve stage: the same person across people mentions and missing episodes.

    resolve(con, judgements=..., model_path=..., seed=42) -> ResolveResult
        writes `persons(record_id, record_kind, person_id, match_probability,
        cluster_size)`, one row per mention and missing episode. `match_probability`
        is the strongest link holding the record in its person (1.0 for an analyst's
        must-link), NULL for a person of one record; `person_id` is 'P' + 12 hex
        digits of sha1 of the person's smallest record_id, stable across runs;
    resolve_baseline(con, seed) -> ResolveResult
        a plain Splink model writing `persons_baseline`, for the benchmark;
    recluster(con, cluster_threshold) -> (persons, links)
        `persons` again from the last run's scored pairs at another threshold;
    explain_pair(con, record_a, record_b) -> PairExplanation
        per-comparison levels and match weights for any two records.

How it works, and why, is in `relook.pipeline.resolution`: `records` (the table the model
compares), `settings` (comparisons, blocking rules, prior parameters), `training`
(unsupervised training or a saved model), `households` (whether twin-signature pairs
can be twins, estimated from the run's households), `clusters` (links, judgements, chain
guard, stable ids) and `explain`.
"""

from __future__ import annotations

from relook.pipeline.resolution.explain import explain_pair
from relook.pipeline.resolution.stage import (
    CLUSTER_THRESHOLD,
    recluster,
    resolve,
    resolve_baseline,
)
from relook.pipeline.resolution.training import save_model
from relook.pipeline.resolution.types import (
    ComparisonExplanation,
    Households,
    Judgement,
    JudgementKind,
    PairExplanation,
    ResolveResult,
)

__all__ = [
    "CLUSTER_THRESHOLD",
    "ComparisonExplanation",
    "Households",
    "Judgement",
    "JudgementKind",
    "PairExplanation",
    "ResolveResult",
    "explain_pair",
    "recluster",
    "resolve",
    "resolve_baseline",
    "save_model",
]
