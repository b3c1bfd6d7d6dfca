"""Make a Splink linker on the analysis connection and give it parameters.

Parameters are trained without labels on every run, unless a saved model is given:

1. lambda (probability that two random records match) from deterministic rules that
   admit almost no false positives, divided by their assumed recall;
2. u probabilities from a random sample of record pairs (`seed` makes it repeatable);
3. m probabilities by expectation maximisation, once per training blocking rule, each
   rule leaving the comparisons it blocks on to the other (see `settings.TRAINING_RULES`).

After EM, two corrections (see `floor_m_probabilities` and `calibrate_lambda`):

4. every m probability is floored at `M_FLOOR`: EM drives a level that is rare among its
   training pairs towards 0 (it learns from this data that nobody ever moves home), and
   one such disagreement would then veto any match by 70 bits;
5. lambda is re-estimated by EM over the prediction pairs, m and u held fixed: the
   expected number of matching pairs is the sum of the match probabilities of all
   blocked pairs (non-blocked pairs match with probability ≈ 0), so
   lambda = Σ p / all possible pairs, iterated to its fixed point. The deterministic
   estimate of step 1 only starts it: its recall has to be guessed, and it depends on
   how completely a force records dates of birth.

Below `MIN_RECORDS_TO_TRAIN` records EM has too few pairs to be stable (a handful of
matches decide every m), so the prior parameters in `settings.py` are used as they are.
Tests rely on that: hand-made tables of a few dozen records run against fixed, known
parameters.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
from splink import DuckDBAPI, Linker

from relook.engine.sql import scalar
from relook.errors import RelookError
from relook.pipeline.resolution import settings
from relook.pipeline.resolution.settings import on_pair

MIN_RECORDS_TO_TRAIN = 2_000
U_MAX_PAIRS = 1e6
# EM learns m from at most about this many blocked pairs per training rule (a
# deterministic hash sample of the records, the same on both sides): the blocks of a
# training rule grow with the square of the force, and a few hundred thousand pairs
# estimate m as well as millions. A generated 9,000-case force has fewer, so is unchanged.
EM_MAX_PAIRS = 4e5
# Share of the records Splink blocks first to estimate how many pairs a rule makes.
EM_PROBE_PROPORTION = 0.1
M_FLOOR = 0.005
# How often a true match disagrees outright, at least, per comparison (the floor of its
# "different" level's m). EM learns these from pairs blocked on names or dates of birth,
# which are mostly records made close together (one household, one run of episodes), so
# it under-counts how often a person's address, phone or children's home has changed
# between two records years apart, and how often a date of birth was recorded wholly
# wrong. Without a floor one such disagreement costs 7-8 bits, enough to undo an exact
# name and date of birth. A child's home is floored as an address is (about 2 bits).
ELSE_M_FLOOR = {"address": 0.25, "phone": 0.25, "dob": 0.02, "care_setting": 0.25}
LAMBDA_ITERATIONS = 30


@contextlib.contextmanager
def quiet_splink(level: int = logging.ERROR) -> Iterator[None]:
    """Keep Splink's progress chatter out of the CLI's output for the duration."""
    logger = logging.getLogger("splink")
    previous = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)


@contextlib.contextmanager
def linker_on(
    con: duckdb.DuckDBPyConnection, table: str, model: dict[str, Any]
) -> Iterator[Linker]:
    """A linker over an existing table of `con` (no copy of the data is made).

    The intermediate tables Splink makes on the connection are dropped on the way out,
    through the `DuckDBAPI` made here: the linker's own handle on it is private.
    """
    db_api = DuckDBAPI(con)
    try:
        yield Linker(db_api.register(table), model, log_level=None)
    finally:
        drop_splink_tables(db_api)


def drop_splink_tables(db_api: DuckDBAPI) -> None:
    """Drop the intermediate tables Splink made on the connection (never the inputs)."""
    # A public method that Splink 5 leaves unannotated.
    db_api.delete_tables_created_by_splink_from_db()  # type: ignore[no-untyped-call]


def load_model(model_path: Path) -> dict[str, Any]:
    model: dict[str, Any] = json.loads(Path(model_path).read_text(encoding="utf-8"))
    return model


def save_model(model: dict[str, Any], model_path: Path) -> None:
    Path(model_path).write_text(json.dumps(model, indent=2, sort_keys=True), encoding="utf-8")


_UNDERFLOW = "below the minimum allowed value"


class TrainingFailed(RelookError):
    """Splink's EM could not be brought to the end of a training session."""


def train(
    con: duckdb.DuckDBPyConnection,
    table: str,
    model: dict[str, Any],
    *,
    prior: dict[str, Any] | None = None,
    deterministic_rules: Sequence[str],
    recall: float,
    training_rules: Sequence[str],
    seed: int,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """`model` trained on the records of `table` (no labels): lambda, u, and m by one EM
    session per training rule. Returns the trained model, and the training rules whose
    session Splink refused and that were trained again first.

    Splink refuses to finish an EM session in which an m or u falls below 1e-300 (EM
    drove a level to nothing within the block; seen on 50,000 generated cases, where the
    session on name keys, started from the first session's estimates, drove "postcode one
    character apart" to nothing). Training then starts again on a fresh linker made from
    `prior` (by default `model`), with the refused session first, so that it starts from
    the prior; a session refused again is `TrainingFailed`. A fresh linker, because a
    refused session leaves Splink's model without the comparisons it had taken out.
    """
    order = list(training_rules)
    restarted: list[str] = []
    start = model
    while True:
        with linker_on(con, table, start) as linker:
            _estimate_lambda_and_u(linker, deterministic_rules, recall, seed)
            refused = next((rule for rule in order if not _em_session(linker, rule)), None)
            if refused is None:
                return model_dict(linker), tuple(restarted)
        if refused in restarted:
            raise TrainingFailed(
                f"resolution could not be trained on these records: in the training session"
                f" blocked on {refused}, Splink's EM drove a probability below what it can"
                " hold (1e-300), from the estimates so far and again from the prior. Run"
                " again with another --seed, or with a model saved from an earlier run."
            )
        restarted.append(refused)
        order = [refused, *(rule for rule in order if rule != refused)]
        start = prior if prior is not None else model


def _estimate_lambda_and_u(
    linker: Linker, deterministic_rules: Sequence[str], recall: float, seed: int
) -> None:
    training = linker.training
    with contextlib.suppress(ValueError):
        # Raised when the deterministic rules find more pairs than the recall allows,
        # which only happens on odd data; the prior lambda is kept then.
        training.estimate_probability_two_random_records_match(
            list(deterministic_rules), recall=recall
        )
    training.estimate_u_using_random_sampling(
        max_pairs=U_MAX_PAIRS, seed=seed, min_count_per_level=None, num_chunks=1
    )


def _em_session(linker: Linker, rule: str) -> bool:
    """One EM session blocked on `rule`; False when Splink refuses to finish it (an m or
    u below 1e-300). The linker's model is not usable after a refusal."""
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule,
            estimate_without_term_frequencies=True,
            max_pairs=EM_MAX_PAIRS,
            record_sample_proportion=EM_PROBE_PROPORTION,
        )
    except ValueError as error:
        if _UNDERFLOW not in str(error):
            raise
        return False
    return True


def floor_m_probabilities(model: dict[str, Any], floor: float = M_FLOOR) -> dict[str, Any]:
    """Raise every trained m probability to at least `floor` (a "different" level to at
    least its `ELSE_M_FLOOR`), then renormalise."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        else_floor = ELSE_M_FLOOR.get(comparison["output_column_name"], floor)
        values = [
            max(float(lv.get("m_probability") or 0.0), else_floor if lv is levels[-1] else floor)
            for lv in levels
        ]
        total = sum(values)
        for level, value in zip(levels, values, strict=True):
            level["m_probability"] = value / total
    return model


def count_case_u(
    con: duckdb.DuckDBPyConnection, table: str, model: dict[str, Any]
) -> dict[str, Any]:
    """Set the u probability of "same case, same role, names alike" to the share of the
    pairs of `table` (both on a case) that reach it (see `settings.case_comparison`).

    Counted, not sampled: the level is too rare for a random sample to see, and the pairs
    of one case in one role are few (82,290 at 50,000 cases). The true pairs among them
    are counted as if they were not: that makes u larger and the level's weight smaller
    than it should be, never larger.
    """
    level_sql = on_pair(settings.SAME_CASE_SAME_ROLE)
    [(same, on_a_case)] = con.execute(
        f"""SELECT (SELECT count(*) FROM {table} l JOIN {table} r
                    ON l.case_id = r.case_id AND l.role = r.role AND l.record_id < r.record_id
                    WHERE {level_sql})::DOUBLE,
                   (SELECT count(*) FROM {table} WHERE case_id IS NOT NULL)::DOUBLE"""
    ).fetchall()
    pairs = on_a_case * (on_a_case - 1) / 2
    if same <= 0 or pairs <= 0:
        return model
    u_same = min(same / pairs, 0.5)
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] != "case":
            continue
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        levels[0]["u_probability"] = u_same
        levels[-1]["u_probability"] = 1 - u_same
    return model


def _weight(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def calibrate_lambda(
    con: duckdb.DuckDBPyConnection, pairs: str, n_records: int, lam: float
) -> float:
    """Lambda at the fixed point of lambda = Σ p(lambda) / (n(n-1)/2) over `pairs`.

    `pairs` holds every blocked pair with its match_weight, scored with `lam`.
    """
    total_pairs = n_records * (n_records - 1) / 2
    if total_pairs <= 0:
        return lam
    base = _weight(lam)
    current = lam
    for _ in range(LAMBDA_ITERATIONS):
        shift = _weight(current) - base
        expected = scalar(
            con,
            f"SELECT sum(1 / (1 + pow(2.0, -(match_weight + {shift})))) FROM {pairs}",
        )
        updated = min(max(float(expected or 0.0) / total_pairs, 1e-9), 0.5)
        if abs(updated - current) <= 1e-3 * current:
            return updated
        current = updated
    return current


def model_dict(linker: Linker) -> dict[str, Any]:
    """The linker's settings and parameters, as saved to JSON."""
    model: dict[str, Any] = linker.misc.save_model_to_json()
    model.pop("linker_uid", None)
    return model
