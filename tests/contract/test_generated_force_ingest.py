"""A generated force ingests cleanly; with injected faults, exactly the faulty rows go."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from relook.pipeline.ingest import ingest
from relook.synth import generate
from relook.synth.fault_injection import inject_faults


@pytest.fixture(scope="module")
def force(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("force") / "force"
    generate(folder, cases=400, seed=3)
    return folder


def test_clean_generated_force_quarantines_nothing(force: Path) -> None:
    result = ingest(duckdb.connect(), force)
    assert result.quarantined == 0
    assert result.counts["cases"].accepted == 400
    assert [p.name for p in result.unrecognised] == []


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_injected_faults_quarantine_exactly_the_faulty_rows(
    force: Path, tmp_path: Path, seed: int
) -> None:
    faults, expected = inject_faults(force, tmp_path / "faulty", per_table=6, seed=seed)
    con = duckdb.connect()
    result = ingest(con, tmp_path / "faulty")
    got = {
        (str(t), int(r))
        for t, r in con.execute('SELECT DISTINCT "table", row_number FROM quarantine').fetchall()
    }
    assert len(faults) == 36
    assert got == expected
    for counts in result.counts.values():
        assert counts.rows_in == counts.accepted + counts.quarantined
