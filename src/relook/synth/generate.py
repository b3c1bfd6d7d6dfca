"""Generate a synthetic force: the six contract input tables plus ground truth.

`generate(out_dir, cases, seed)` writes
    out_dir/{cases,people,vehicles,locations,notes,missing_episodes}.csv
    out_dir/truth/{persons,cases,planted_identifiers,planted_language}.csv
    out_dir/truth/manifest.json
The output depends only on (cases, seed): the same pair gives identical bytes, on any day
(the generator's "today" is the constant 2026-11-01, see `dates.TODAY`).

The story (see `stories.py`): about one offending network per 180 cases (`networks.py`),
each 3-12 cases over 1-6 years sharing offenders, victims, cars, phones and hotels; the
rest are background cases of ten kinds in fixed shares (`background.KINDS`).

What later stages should expect:
- hubs: children's homes (`care_setting`, and their address and postcode, which is the
  address of every child living there) and a few busy public places are shared by many
  unrelated people and cases; a network's own places, cars and phones are never shared
  outside it;
- unidentified suspects have no name (or "Unknown"), a label such as `male 2` in
  `aliases` or `forenames`, and are each a distinct person with one record;
- links outside networks come only from background suspects who offend again later (in
  any role) and from children victimised again;
- a planted name may name a network member who is never recorded on any case, so its
  person_id has no row in truth/persons.csv;
- planted offsets are Python string indices into the field's text, end exclusive;
- a few suspects are known to have died (`people.deceased`) and a few cases were reviewed
  before (`cases.previously_reviewed`), drawn on a stream of their own
  (`screening_inputs.py`), so the rest of the force is the same with or without them.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

from relook.contract.schema import TABLES
from relook.synth.dates import TODAY
from relook.synth.episodes import EpisodeWriter
from relook.synth.model import Case, Person
from relook.synth.notes import NoteWriter, WrittenText, write_summary
from relook.synth.planting import Planter
from relook.synth.records import Recorded, Row, StructuredTables, case_row
from relook.synth.screening_inputs import RATES, ScreeningInputRates, plant_screening_inputs
from relook.synth.stories import build_cases
from relook.synth.text import Placed, Planted
from relook.synth.truth import case_truth_rows
from relook.synth.world import World
from relook.synth.writer import write_csv, write_json

GENERATOR_VERSION = "1.0.0"

TRUTH_COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": ("record_id", "record_kind", "person_id"),
    "cases": (
        "case_id", "kind", "network_id", "story_network_id", "in_scope_wider",
        "in_scope_narrower", "category", "reoffended_later",
    ),
    "planted_identifiers": (
        "source_table", "source_id", "source_field", "case_id", "kind", "written", "canonical",
        "start", "end",
    ),
    "planted_language": (
        "note_id", "case_id", "phrase", "lexicon_key", "start", "end", "flag",
    ),
    "planted_corroborations": (
        "source_table", "source_id", "source_field", "case_id", "kind", "written", "canonical",
        "start", "end",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class SynthSummary:
    """What `generate` wrote: data rows per input table (`rows`, in contract load order)
    and per truth file (`truth_rows`), and how long it took."""

    out_dir: Path
    seed: int
    cases: int
    rows: dict[str, int]
    truth_rows: dict[str, int]
    seconds: float

    @property
    def elapsed_seconds(self) -> float:
        return self.seconds


def _identifier_row(
    table: str, source_id: str, source_field: str, case_id: str, placed: Placed
) -> tuple[Row, bool]:
    """The truth row, and whether it is a corroboration (a value the case recorded)."""
    item = placed.item
    assert isinstance(item, Planted)
    row = [
        table, source_id, source_field, case_id, item.kind, item.written, item.canonical,
        str(placed.start), str(placed.end),
    ]  # fmt: skip
    return row, item.corroborates


def _language_row(note_id: str, case_id: str, placed: Placed) -> Row:
    item = placed.item
    assert not isinstance(item, Planted)
    flag = "true" if item.flag else "false"
    return [note_id, case_id, item.written, item.key, str(placed.start), str(placed.end), flag]


@dataclass
class _Output:
    case_rows: list[Row]
    identifier_rows: list[tuple[Row, bool]]
    language_rows: list[Row]


def _write_cases(
    world: World, cases: list[Case], structured: StructuredTables, notes: NoteWriter
) -> tuple[_Output, dict[str, Recorded]]:
    """Structured records, summaries and notes of every case, in case order."""
    out = _Output([], [], [])
    recorded_by_case: dict[str, Recorded] = {}
    earlier: list[Person] = []  # background suspects named so far: fodder for name leads
    for case in cases:
        recorded = structured.record_case(case)
        recorded_by_case[case.case_id] = recorded
        summary: WrittenText = write_summary(notes.planter, case, recorded, earlier)
        out.case_rows.append(case_row(world.rng, case, summary.text))
        for placed in summary.placed:
            out.identifier_rows.append(
                _identifier_row("cases", case.case_id, "summary", case.case_id, placed)
            )
        notes.write_case(case, recorded, earlier)
        if case.network is None:
            earlier.extend(p for p in case.people("suspect") if p.identified)
    for note_id, case_id, placed in notes.placed:
        if isinstance(placed.item, Planted):
            out.identifier_rows.append(_identifier_row("notes", note_id, "text", case_id, placed))
        else:
            out.language_rows.append(_language_row(note_id, case_id, placed))
    return out, recorded_by_case


def generate(
    out_dir: Path, cases: int, seed: int, *, screening_inputs: ScreeningInputRates = RATES
) -> SynthSummary:
    """Write a synthetic force of `cases` investigations to `out_dir`; see module doc."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    rng = random.Random(seed)
    world = World.create(rng, cases)
    case_list, _ = build_cases(world, cases)
    plant_screening_inputs(seed, case_list, screening_inputs)
    structured = StructuredTables(rng)
    planter = Planter(world)
    notes = NoteWriter(planter)
    output, recorded_by_case = _write_cases(world, case_list, structured, notes)
    episodes = EpisodeWriter(world, planter).write(case_list, recorded_by_case, cases)
    identifier_rows = output.identifier_rows + [
        _identifier_row("missing_episodes", episode_id, field_name, "", placed)
        for episode_id, field_name, placed in episodes.placed
    ]
    tables = {
        "cases": output.case_rows,
        "people": structured.people,
        "vehicles": structured.vehicles,
        "locations": structured.locations,
        "notes": notes.rows,
        "missing_episodes": episodes.rows,
    }
    truth = {
        "persons": structured.persons_truth + episodes.persons_truth,
        "cases": case_truth_rows(case_list),
        "planted_identifiers": [r for r, c in identifier_rows if not c],
        "planted_language": output.language_rows,
        "planted_corroborations": [r for r, c in identifier_rows if c],
    }
    table_counts = {
        name: write_csv(out_dir / f"{name}.csv", TABLES[name].column_names, rows)
        for name, rows in tables.items()
    }
    truth_counts = {
        name: write_csv(out_dir / "truth" / f"{name}.csv", TRUTH_COLUMNS[name], rows)
        for name, rows in truth.items()
    }
    write_json(
        out_dir / "truth" / "manifest.json",
        {
            "generator": "relook.synth",
            "version": GENERATOR_VERSION,
            "seed": seed,
            "cases": cases,
            "today": TODAY.isoformat(),
            "tables": table_counts,
            "truth": truth_counts,
        },
    )
    return SynthSummary(
        out_dir, seed, cases, table_counts, truth_counts, time.perf_counter() - started
    )
