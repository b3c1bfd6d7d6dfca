"""The generated tables: deterministic, exactly the contract's columns, every row valid."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from synth_force import TRUTH_FILES, Force

from relook.contract.schema import TABLES, ColumnType
from relook.synth import SynthSummary, generate

ID_PATTERNS = {
    "cases": r"C\d{6}",
    "people": r"M\d{7}",
    "vehicles": r"V\d{6}",
    "locations": r"L\d{6}",
    "notes": r"N\d{7}",
    "missing_episodes": r"E\d{6}",
}


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", cases=120, seed=5)
    generate(tmp_path / "b", cases=120, seed=5)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], name


def test_different_seed_gives_different_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", cases=120, seed=5)
    generate(tmp_path / "b", cases=120, seed=6)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    for name in ("cases.csv", "people.csv", "notes.csv", "missing_episodes.csv"):
        assert first[name] != second[name], name


def test_files_written(small_run: tuple[Path, SynthSummary]) -> None:
    root, _ = small_run
    expected = {f"{name}.csv" for name in TABLES} | {f"truth/{name}.csv" for name in TRUTH_FILES}
    expected.add("truth/manifest.json")
    assert set(_files(root)) == expected


def test_columns_are_exactly_the_schema_in_order(force: Force) -> None:
    for name, table in TABLES.items():
        assert force.headers[name] == list(table.column_names), name


def _valid(kind: ColumnType, value: str) -> bool:
    try:
        if kind is ColumnType.DATE:
            return date.fromisoformat(value).isoformat() == value
        if kind is ColumnType.PARTIAL_DATE:
            if re.fullmatch(r"\d{4}", value):
                return True
            if re.fullmatch(r"\d{4}-\d{2}", value):
                return 1 <= int(value[5:]) <= 12
            return date.fromisoformat(value).isoformat() == value
        if kind is ColumnType.DATETIME:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M").strftime("%Y-%m-%dT%H:%M") == value
        if kind is ColumnType.INT:
            return str(int(value)) == value
        if kind is ColumnType.BOOL:
            return value in ("true", "false")
    except ValueError:
        return False
    return True


def test_every_row_is_valid_under_the_contract(force: Force) -> None:
    for name, table in TABLES.items():
        for number, row in enumerate(force.tables[name], start=2):
            for column in table.columns:
                value = row[column.name]
                where = f"{name} line {number} {column.name}={value!r}"
                if value == "":
                    assert not column.required, where
                    continue
                assert value == value.strip(), where
                assert _valid(column.type, value), where
                if column.allowed is not None:
                    assert value in column.allowed, where
                if column.int_range is not None:
                    low, high = column.int_range
                    assert low <= int(value) <= high, where


def test_ids_are_unique_and_well_formed(force: Force) -> None:
    for name, table in TABLES.items():
        ids = [row[table.id_column] for row in force.tables[name]]
        assert len(ids) == len(set(ids)), name
        assert all(re.fullmatch(ID_PATTERNS[name], i) for i in ids), name


def test_references_resolve(force: Force) -> None:
    case_ids = {row["case_id"] for row in force.tables["cases"]}
    case_of_mention = {row["mention_id"]: row["case_id"] for row in force.tables["people"]}
    for name, table in TABLES.items():
        if table.references_case:
            assert all(row["case_id"] in case_ids for row in force.tables[name]), name
    for name in ("vehicles", "locations"):
        for row in force.tables[name]:
            if row["mention_id"]:
                assert case_of_mention[row["mention_id"]] == row["case_id"], row


def test_outcomes_are_coherent(force: Force) -> None:
    for case in force.tables["cases"]:
        if case["outcome_code"]:
            assert case["outcome_on"] > case["reported_on"], case["case_id"]
            assert case["outcome_on"] <= "2026-11-01"
        else:
            assert not case["outcome_on"] and not case["outcome_by"], case["case_id"]
        if case["offence_from"] and case["offence_to"]:
            assert case["offence_from"] <= case["offence_to"] <= case["reported_on"]


def test_summary_and_manifest_count_the_rows(
    small_run: tuple[Path, SynthSummary], force: Force
) -> None:
    root, summary = small_run
    assert summary.rows == {name: len(force.tables[name]) for name in TABLES}
    assert list(summary.rows) == list(TABLES)
    assert summary.truth_rows == {name: len(force.truth[name]) for name in TRUTH_FILES}
    assert summary.rows["cases"] == summary.cases == 300
    assert summary.seconds > 0
    manifest = json.loads((root / "truth" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == summary.seed
    assert manifest["cases"] == 300
    assert manifest["today"] == "2026-11-01"
    assert manifest["tables"] == summary.rows
    assert manifest["truth"] == summary.truth_rows
    assert manifest["version"]


@pytest.mark.parametrize("cases", [0, 1, 12, 40])
def test_tiny_forces_are_complete(tmp_path: Path, cases: int) -> None:
    summary = generate(tmp_path / "f", cases=cases, seed=3)
    assert summary.rows["cases"] == cases
    force = Force.load(tmp_path / "f")
    assert len(force.truth["cases"]) == cases


def test_output_does_not_depend_on_the_process(tmp_path: Path) -> None:
    """Same bytes under different string-hash seeds: nothing iterates over a set."""
    script = (
        "import sys; from pathlib import Path; from relook.synth import generate; "
        "generate(Path(sys.argv[1]), cases=80, seed=9)"
    )
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / hash_seed)], check=True, env=env
        )
    assert _files(tmp_path / "1") == _files(tmp_path / "2")
