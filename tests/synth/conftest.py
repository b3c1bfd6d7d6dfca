"""A small generated force shared by the synth tests (generation is deterministic)."""

from __future__ import annotations

from pathlib import Path

import pytest
from synth_force import Force

from relook.synth import SynthSummary, generate

SMALL_CASES = 300
SEEDS = (11, 29, 2026)
"""Every test on a small force runs on several seeds: the guarantees hold for any seed."""


@pytest.fixture(scope="session", params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def small_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, SynthSummary]:
    out = tmp_path_factory.mktemp("synth") / "force"
    return out, generate(out, cases=SMALL_CASES, seed=request.param)


@pytest.fixture(scope="session")
def force(small_run: tuple[Path, SynthSummary]) -> Force:
    return Force.load(small_run[0])
