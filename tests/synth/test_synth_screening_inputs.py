"""The national criteria's inputs (deceased suspects, cases reviewed before) are planted
on a stream of their own: the rest of the force is byte for byte what it was."""

from __future__ import annotations

import csv
from pathlib import Path

from relook.synth import generate
from relook.synth.screening_inputs import NONE

NEW_COLUMNS = {"cases": "previously_reviewed", "people": "deceased"}
SCREENING_TRUTH = ("in_scope_wider", "in_scope_narrower")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _without(rows: list[dict[str, str]], columns: set[str]) -> list[dict[str, str]]:
    return [{k: v for k, v in row.items() if k not in columns} for row in rows]


def test_planting_changes_only_the_new_columns_and_the_screening_truth(tmp_path: Path) -> None:
    planted, blank = tmp_path / "planted", tmp_path / "blank"
    generate(planted, cases=400, seed=7)
    generate(blank, cases=400, seed=7, screening_inputs=NONE)
    files = sorted(p.relative_to(planted) for p in planted.rglob("*.csv"))
    assert files == sorted(p.relative_to(blank) for p in blank.rglob("*.csv"))
    for name in files:
        table = name.stem if name.parent == Path(".") else f"truth/{name.stem}"
        ignored = {NEW_COLUMNS[table]} if table in NEW_COLUMNS else set()
        ignored |= set(SCREENING_TRUTH) if table == "truth/cases" else set()
        assert _without(_rows(planted / name), ignored) == _without(_rows(blank / name), ignored)
    assert {r["deceased"] for r in _rows(blank / "people.csv")} == {""}
    people = _rows(planted / "people.csv")
    cases = _rows(planted / "cases.csv")
    assert {r["deceased"] for r in people} == {"", "true", "false"}
    assert {r["previously_reviewed"] for r in cases} == {"", "true", "false"}
    # Only suspects are planted as deceased, and on every mention of the person ...
    person_of = {r["record_id"]: r["person_id"] for r in _rows(planted / "truth" / "persons.csv")}
    dead = {person_of[r["mention_id"]] for r in people if r["deceased"] == "true"}
    suspects = {person_of[r["mention_id"]] for r in people if r["role"] == "suspect"}
    assert dead <= suspects
    assert all(r["deceased"] == "true" for r in people if person_of[r["mention_id"]] in dead)
    # ... and a small share: the national criteria exclude few cases.
    reviewed = sum(r["previously_reviewed"] == "true" for r in cases)
    assert 0 < reviewed < 0.1 * len(cases)


def test_planted_facts_take_cases_out_of_the_truth(tmp_path: Path) -> None:
    generate(tmp_path / "planted", cases=400, seed=7)
    generate(tmp_path / "blank", cases=400, seed=7, screening_inputs=NONE)
    planted = {r["case_id"]: r for r in _rows(tmp_path / "planted" / "truth" / "cases.csv")}
    blank = {r["case_id"]: r for r in _rows(tmp_path / "blank" / "truth" / "cases.csv")}
    reviewed = {
        r["case_id"]
        for r in _rows(tmp_path / "planted" / "cases.csv")
        if r["previously_reviewed"] == "true"
    }
    dropped = {c for c in blank if blank[c]["in_scope_wider"] == "true"} - {
        c for c in planted if planted[c]["in_scope_wider"] == "true"
    }
    assert dropped  # some in-scope cases are out because of the new criteria
    assert all(planted[c]["in_scope_wider"] == "false" for c in reviewed)
    # Nothing comes in: the new rules only ever exclude.
    assert all(blank[c]["in_scope_wider"] == "true" for c in planted
               if planted[c]["in_scope_wider"] == "true")  # fmt: skip
