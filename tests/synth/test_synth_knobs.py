"""Noise knobs for the robustness benchmark: defaults change nothing; each one bites."""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

from relook.synth import generate, names, noise
from relook.synth.noise import Knobs, turned_up


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_default_knobs_write_the_same_force(tmp_path: Path) -> None:
    generate(tmp_path / "plain", cases=120, seed=4)
    with turned_up(Knobs()):
        generate(tmp_path / "knobs", cases=120, seed=4)
    assert _files(tmp_path / "plain") == _files(tmp_path / "knobs")


def test_knobs_are_restored_afterwards() -> None:
    before = (noise.KNOBS, noise.NAME_NOISE, names.POOL_LIMIT)
    with turned_up(Knobs(name_slips=4.0, name_pool=(4, 5))):
        assert names.POOL_LIMIT == (4, 5)
        assert noise.NAME_NOISE.surname_typo == before[1].surname_typo * 4
    assert before == (noise.KNOBS, noise.NAME_NOISE, names.POOL_LIMIT)


def test_a_small_name_pool_makes_namesakes_common(tmp_path: Path) -> None:
    with turned_up(Knobs(name_pool=(4, 5))):
        generate(tmp_path / "f", cases=120, seed=4)
    surnames = Counter(r["surname"].lower() for r in _rows(tmp_path / "f", "people"))
    named = sum(n for s, n in surnames.items() if s)
    assert sum(n for _, n in surnames.most_common(12)) > 0.8 * named


def test_episode_dates_of_birth_are_blanked_or_cut_to_the_year(tmp_path: Path) -> None:
    with turned_up(Knobs(episode_dob_blank=1.0)):
        generate(tmp_path / "f", cases=200, seed=4)
    dobs = [r["date_of_birth"] for r in _rows(tmp_path / "f", "missing_episodes")]
    assert dobs and all(len(d) in (0, 4) for d in dobs)


def test_address_and_postcode_slips() -> None:
    rng = random.Random(1)
    with turned_up(Knobs(address_slips=1.0)):
        slipped = {noise.written_address(rng, "12 Mill Lane, Bradford") for _ in range(30)}
        postcodes = {noise.written_postcode(rng, "BD7 1AA") for _ in range(30)}
    assert len(slipped - {"12 Mill Lane, Bradford"}) > 3
    assert postcodes - {"BD7 1AA"}
    assert noise.written_address(rng, "12 Mill Lane") == "12 Mill Lane"  # knob off again
