"""A whole run: outputs, run.json, determinism, judgements, and all-or-nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from relook.errors import InputFileError
from relook.pipeline.run import OUTPUT_QUERIES, run_pipeline
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
    report = run_pipeline(minimal_dir, out, workspace=Workspace(tmp_path / "ws"))
    names = {p.name for p in out.iterdir()}
    assert names == {*OUTPUT_QUERIES, "run.json"}
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
    run_pipeline(minimal_dir, first, workspace=Workspace(tmp_path / "ws1"))
    run_pipeline(minimal_dir, second, workspace=Workspace(tmp_path / "ws2"))
    for name in OUTPUT_QUERIES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_judgement_is_honoured_by_the_next_run(minimal_dir: Path, tmp_path: Path) -> None:
    space = Workspace(tmp_path / "ws")
    out = tmp_path / "out"
    run_pipeline(minimal_dir, out, workspace=space)

    def person_of(record: str) -> str:
        with (out / "persons.csv").open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["record_id"] == record:
                    return row["person_id"]
        raise AssertionError(record)

    assert person_of("M002") == person_of("M005")
    space.record_judgement("M002", "M005", "cannot_link", by="analyst1", reason="different DOBs")
    run_pipeline(minimal_dir, out, workspace=space)
    assert person_of("M002") != person_of("M005")
    assert len(space.judgements()) == 1


def test_failed_run_leaves_no_partial_outputs(minimal_dir: Path, tmp_path: Path) -> None:
    (minimal_dir / "notes.csv").write_text("note_id\nN1\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(InputFileError):
        run_pipeline(minimal_dir, out, workspace=Workspace(tmp_path / "ws"))
    assert not out.exists() or not any(out.iterdir())
    assert not (tmp_path / "ws" / "analysis.duckdb").exists()


def test_saved_model_is_reused_instead_of_training(tmp_path: Path) -> None:
    from relook.synth import generate

    generate(tmp_path / "force", cases=500, seed=4)
    space = Workspace(tmp_path / "ws")
    first = run_pipeline(tmp_path / "force", tmp_path / "a", workspace=space)
    assert first.document["resolution"]["trained"] is True
    assert space.model_path.exists()
    second = run_pipeline(
        tmp_path / "force", tmp_path / "b", workspace=space, model_path=space.model_path
    )
    assert second.document["resolution"]["trained"] is False
    assert second.document["parameters"]["model"] == str(space.model_path)
    assert (tmp_path / "a" / "persons.csv").read_bytes() == (
        tmp_path / "b" / "persons.csv"
    ).read_bytes()


def test_workspace_keeps_every_result_the_review_application_shows(
    minimal_dir: Path, tmp_path: Path
) -> None:
    import duckdb

    from relook.engine.sql import table_exists

    space = Workspace(tmp_path / "ws")
    run_pipeline(minimal_dir, tmp_path / "out", workspace=space)
    con = duckdb.connect(str(space.analysis_path), read_only=True)
    for table in ("screening", "networks", "leads", "language", "priorities", "case_signals"):
        assert table_exists(con, table), table
