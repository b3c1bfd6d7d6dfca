"""The largest force (9,000 cases) generates well within the time budget."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from synth_force import Force, screen

from relook.synth import generate

BUDGET_SECONDS = 30.0


@pytest.mark.slow
def test_nine_thousand_cases_in_time(tmp_path: Path) -> None:
    started = time.perf_counter()
    summary = generate(tmp_path / "force", cases=9000, seed=1)
    seconds = time.perf_counter() - started
    print(f"\ngenerated 9,000 cases in {seconds:.2f} s: {summary.rows}")
    assert seconds < BUDGET_SECONDS
    assert summary.rows["cases"] == 9000

    force = Force.load(tmp_path / "force")
    networks = Counter(r["story_network_id"] for r in force.truth["cases"] if r["story_network_id"])
    assert 40 <= len(networks) <= 60
    assert all(3 <= n <= 12 for n in networks.values())
    per_year = Counter(c["reported_on"][:4] for c in force.tables["cases"])
    assert 350 <= sum(per_year.values()) / len(per_year) <= 700
    recomputed = screen(force)
    for row in force.truth["cases"]:
        wider, narrower, category = recomputed[row["case_id"]]
        assert (row["in_scope_wider"] == "true", row["category"]) == (wider, category)
        assert (row["in_scope_narrower"] == "true") == narrower
