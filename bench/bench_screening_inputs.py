"""What the national criteria's inputs change in a generated force, and what they cost.

    .venv/bin/python bench/bench_screening_inputs.py [--cases 9000] [--seed 1]

Generates the same force twice in one process: once as shipped (a few suspects known to
have died, a few cases reviewed before; `relook.synth.screening_inputs`) and once with
nothing planted (the baseline). Prints each generation's time and the process's peak
memory, how many cells were planted, the cases the truth keeps in scope under each
definition with and without them, and whether every other value is the same.
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
from pathlib import Path

from relook.synth import generate
from relook.synth.screening_inputs import NONE, RATES, ScreeningInputRates

NEW = {"cases.csv": ("previously_reviewed",), "people.csv": ("deceased",)}
TRUTH_SCOPE = {"in_scope_wider", "in_scope_narrower"}


def _rows(path: Path, leave_out: frozenset[str] = frozenset()) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: v for k, v in r.items() if k not in leave_out} for r in csv.DictReader(handle)]


def _planted_columns(relative: Path) -> frozenset[str]:
    """The columns planting may change in a file: the two inputs, and the truth's scope."""
    if relative == Path("truth") / "cases.csv":
        return frozenset(TRUTH_SCOPE)
    return frozenset(NEW.get(str(relative), ()))


def _generate(out: Path, cases: int, seed: int, rates: ScreeningInputRates) -> float:
    started = time.perf_counter()
    generate(out, cases, seed, screening_inputs=rates)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=9000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        planted, blank = Path(tmp) / "planted", Path(tmp) / "blank"
        baseline = _generate(blank, args.cases, args.seed, NONE)
        seconds = _generate(planted, args.cases, args.seed, RATES)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"generate, nothing planted: {baseline:.1f} s")
        print(f"generate, as shipped:      {seconds:.1f} s  (ratio {seconds / baseline:.2f})")
        print(f"peak RSS {peak:.0f} MB")
        cases = _rows(planted / "cases.csv")
        people = _rows(planted / "people.csv")
        reviewed = sum(r["previously_reviewed"] == "true" for r in cases)
        dead = sum(r["deceased"] == "true" for r in people)
        suspects = sum(r["role"] == "suspect" for r in people)
        print(f"cases reviewed before: {reviewed:,} of {len(cases):,}")
        print(f"mentions recorded deceased: {dead:,} (suspect mentions {suspects:,})")
        for definition in sorted(TRUTH_SCOPE):
            before = sum(r[definition] == "true" for r in _rows(blank / "truth" / "cases.csv"))
            after = sum(r[definition] == "true" for r in _rows(planted / "truth" / "cases.csv"))
            print(f"truth {definition}: {before:,} without, {after:,} with the new criteria")
        relatives = sorted(p.relative_to(blank) for p in blank.rglob("*.csv"))
        same = all(
            _rows(blank / rel, _planted_columns(rel)) == _rows(planted / rel, _planted_columns(rel))
            for rel in relatives
        )
        print(f"every other value the same: {same}")


if __name__ == "__main__":
    main()
