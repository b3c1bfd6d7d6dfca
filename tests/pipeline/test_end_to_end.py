"""An end-to-end run on a small generated force, checked against its ground truth.

Thresholds are below the 9,000-case targets (bench/bench_pipeline.py measures those):
a small force has fewer records per person for resolution to work with.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from relook.runs import run_force
from relook.synth import generate
from relook.synth.evaluation import (
    entered_twice_scores,
    network_score,
    person_score,
    screening_agreement,
)
from relook.workspace import Workspace


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("e2e")
    generate(root / "force", cases=600, seed=5)
    run_force(root / "force", root / "out", workspace=Workspace(root / "ws"))
    return root


def test_person_resolution_against_truth(small_run: Path) -> None:
    score = person_score(
        duckdb.connect(), small_run / "out" / "persons.csv", small_run / "force" / "truth"
    )
    print(f"persons: {score}")
    assert score.f1 >= 0.90
    assert score.precision >= 0.95


def test_a_person_entered_twice_on_one_case_counts_once(small_run: Path) -> None:
    """The generator enters some suspects and victims twice on one case (truth knows)."""
    scores = entered_twice_scores(
        duckdb.connect(),
        small_run / "force" / "people.csv",
        small_run / "out" / "persons.csv",
        small_run / "force" / "truth",
    )
    print(*scores, sep="\n")
    planted = [s for s in scores if s.true_pairs]
    assert {s.role for s in planted} >= {"suspect"}
    for score in planted:
        assert score.recognised >= 0.9
    assert sum(s.wrongly_joined for s in scores) <= 2


def test_networks_against_truth(small_run: Path) -> None:
    score = network_score(duckdb.connect(), small_run / "out", small_run / "force" / "truth")
    print(f"networks: {score}")
    assert score.f1 >= 0.90


def test_screening_against_truth(small_run: Path) -> None:
    agreement = screening_agreement(
        duckdb.connect(), small_run / "out", small_run / "force" / "truth"
    )
    print(f"screening: {agreement}")
    assert agreement.cases == 600
    assert agreement.wider >= 0.99 and agreement.narrower >= 0.99
