"""A whole run: outputs, run.json, determinism, judgements, and all-or-nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from relook.contract.outputs import RUN_OUTPUTS
from relook.errors import InputFileError
from relook.runs import run_force
from relook.workspace import Workspace

CONTRACT_OUTPUTS = {
    "screening.csv": "case_id,in_scope_wider,in_scope_narrower,category,reasons",
    "persons.csv": "record_id,person_id,match_probability",
    "networks.csv": "network_id,case_id",
    "network_summary.csv": "network_id,n_cases,n_suspects,n_victims,linking_identifiers",
    "quality.csv": "table,role,field,year,recorded,total,completeness",
    "quarantine.csv": "table,row_number,column,value,error",
}


def test_run_writes_every_contract_output_and_run_json(minimal_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = run_force(minimal_dir, out, workspace=Workspace(tmp_path / "ws"))
    names = {p.name for p in out.iterdir()}
    assert names == {*(o.name for o in RUN_OUTPUTS), "run.json"}
    for name, header in CONTRACT_OUTPUTS.items():
        first = (out / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(header), name
    document = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert document["run_id"] == report.run_id
    assert set(document["input_checksums"]) == {
        "cases.csv",
        "people.csv",
        "vehicles.csv",
        "locations.csv",
        "notes.csv",
        "missing_episodes.csv",
    }
    assert {"ingest", "resolve", "link", "screen", "quality"} <= set(document["timings"])
    assert document["rules_version"]["scope"]
    assert document["rows"]["people"] == {"in": 6, "accepted": 6, "quarantined": 0}


def test_same_input_gives_identical_outputs(minimal_dir: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    run_force(minimal_dir, first, workspace=Workspace(tmp_path / "ws1"))
    run_force(minimal_dir, second, workspace=Workspace(tmp_path / "ws2"))
    for name in (o.name for o in RUN_OUTPUTS):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_judgement_is_honoured_by_the_next_run(minimal_dir: Path, tmp_path: Path) -> None:
    space = Workspace(tmp_path / "ws")
    out = tmp_path / "out"
    run_force(minimal_dir, out, workspace=space)

    def person_of(record: str) -> str:
        with (out / "persons.csv").open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["record_id"] == record:
                    return row["person_id"]
        raise AssertionError(record)

    assert person_of("M002") == person_of("M005")
    space.record_judgement("M002", "M005", "cannot_link", by="analyst1", reason="different DOBs")
    run_force(minimal_dir, out, workspace=space)
    assert person_of("M002") != person_of("M005")
    assert len(space.judgements()) == 1


def test_failed_run_leaves_no_partial_outputs(minimal_dir: Path, tmp_path: Path) -> None:
    (minimal_dir / "notes.csv").write_text("note_id\nN1\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(InputFileError):
        run_force(minimal_dir, out, workspace=Workspace(tmp_path / "ws"))
    assert not out.exists() or not any(out.iterdir())
    assert not (tmp_path / "ws" / "analysis.duckdb").exists()


def test_saved_model_is_reused_instead_of_training(tmp_path: Path) -> None:
    from relook.synth import generate

    generate(tmp_path / "force", cases=500, seed=4)
    space = Workspace(tmp_path / "ws")
    first = run_force(tmp_path / "force", tmp_path / "a", workspace=space)
    assert first.document["resolution"]["trained"] is True
    saved = space.model_path
    assert saved == first.run_dir / "resolution-model.json" and saved.exists()
    second = run_force(tmp_path / "force", tmp_path / "b", workspace=space, model_path=saved)
    assert second.document["resolution"]["trained"] is False
    assert second.document["parameters"]["model"] == str(saved)
    assert second.run_id != first.run_id  # the model is part of what a run is made from
    assert (tmp_path / "a" / "persons.csv").read_bytes() == (
        tmp_path / "b" / "persons.csv"
    ).read_bytes()


def test_workspace_keeps_every_result_the_review_application_shows(
    minimal_dir: Path, tmp_path: Path
) -> None:
    import duckdb

    from relook.engine.sql import table_exists

    space = Workspace(tmp_path / "ws")
    run_force(minimal_dir, tmp_path / "out", workspace=space)
    con = duckdb.connect(str(space.analysis_path), read_only=True)
    for table in ("screening", "networks", "leads", "language", "priorities", "case_signals"):
        assert table_exists(con, table), table


def _documented_outputs() -> dict[str, list[str]]:
    """`file → columns` from the table in docs/outputs.md."""
    import re

    docs = Path(__file__).parents[2] / "docs" / "outputs.md"
    row = re.compile(r"^\| `([a-z_]+\.(?:csv|json))` \| [^|]+ \| `([^`]+)`")
    found = {}
    for line in docs.read_text(encoding="utf-8").splitlines():
        match = row.match(line)
        if match:
            found[match.group(1)] = [c.strip() for c in match.group(2).split(",")]
    return found


def test_docs_describe_exactly_the_declared_outputs(minimal_dir: Path, tmp_path: Path) -> None:
    documented = _documented_outputs()
    declared = {o.name: list(o.columns) for o in RUN_OUTPUTS}
    assert {k: v for k, v in documented.items() if k != "run.json"} == declared
    report = run_force(minimal_dir, tmp_path / "out", workspace=Workspace(tmp_path / "ws"))
    for name, columns in declared.items():
        header = (tmp_path / "out" / name).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == columns, name
    assert sorted(documented["run.json"]) == sorted(report.document)
