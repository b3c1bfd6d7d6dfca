"""Value types of the entity-resolution stage: judgements in, results and explanations out."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class JudgementKind(StrEnum):
    """What an analyst decided about two records: every place that names a kind (the
    store, the CLI, the web form, the clustering SQL) takes it from here."""

    MUST_LINK = "must_link"
    CANNOT_LINK = "cannot_link"


@dataclass(frozen=True)
class Judgement:
    """An analyst's decision about two records (mention_id or episode_id).

    Judgements are append-only: the caller passes them in the order they were made and,
    for the same pair, the later one wins.
    """

    record_a: str
    record_b: str
    kind: JudgementKind

    def __post_init__(self) -> None:
        # Untyped callers (a legacy file, a test) may pass the plain value: hold the member,
        # so that every judgement compares and prints the same way.
        try:
            kind = JudgementKind(self.kind)
        except ValueError:
            raise ValueError(f"unknown judgement kind {self.kind!r}") from None
        object.__setattr__(self, "kind", kind)  # frozen dataclass
        if self.record_a == self.record_b:
            raise ValueError("a judgement needs two different records")

    @property
    def pair(self) -> tuple[str, str]:
        """The pair in canonical order, so that (a, b) and (b, a) are one pair."""
        a, b = sorted((self.record_a, self.record_b))
        return a, b


@dataclass(frozen=True)
class Households:
    """What the run's households say about twins and about parents and children of one
    name (`households.py`). Pairs with the same surname at one address or postcode: with
    unrelated forenames and the same date of birth (the twin signature), 1-25 years apart
    (siblings), 14-50 years apart (parent and child); with related forenames 14 or more
    years apart (the generation signature). The shares of signature pairs that may be two
    people (1.0: the identity gate holds such pairs apart); whether the run had the
    records to estimate them at all."""

    twin_signature_pairs: int
    sibling_pairs: int
    twin_share: float
    estimated: bool = True
    generation_signature_pairs: int = 0
    parent_child_pairs: int = 0
    generation_share: float = 1.0
    # False for a run stored before the generation count existed
    generation_estimated: bool = True


@dataclass(frozen=True)
class ResolveResult:
    """What a resolve run did, for run.json and the progress display."""

    table: str
    n_records: int
    n_persons: int
    n_unidentified: int
    n_pairs_scored: int
    n_links: int
    trained: bool
    cluster_threshold: float
    n_components_split: int = 0
    n_edges_cut: int = 0
    ignored_judgements: tuple[Judgement, ...] = ()
    model: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    n_compared: int = 0
    """Pairs the blocking rules made and the model scored (counted when it trains)."""
    em_sessions_restarted: tuple[str, ...] = ()
    """Training rules whose EM session Splink refused to finish (a probability fell
    below 1e-300) and that trained again from the prior (`training.train`)."""
    households: Households = Households(0, 0, 1.0, estimated=False)
    """The households estimates the identity gate used (`households.py`)."""


@dataclass(frozen=True)
class ComparisonExplanation:
    """One comparison's contribution to a pair's score, as a reviewer sees it."""

    comparison: str
    level: str
    match_weight: float
    """log2 Bayes factor of the level, term-frequency adjustment included."""
    tf_adjustment: float
    """The part of `match_weight` due to how common the value is (0 when not used)."""
    value_a: str | None
    value_b: str | None


@dataclass(frozen=True)
class PairExplanation:
    """Why the model thinks two records are (or are not) the same person.

    `prior_weight + sum(c.match_weight for c in comparisons) == total_weight`.
    """

    record_a: str
    record_b: str
    prior_weight: float
    comparisons: tuple[ComparisonExplanation, ...]
    total_weight: float
    match_probability: float
    same_person: bool | None
    """Whether the last resolve run put both in one person (None if it has not run)."""
    note: str = ""
