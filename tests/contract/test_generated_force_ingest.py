"""A generated force ingests cleanly; with injected faults, exactly the faulty rows go."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from relook.contract.validate import BLANKED, REJECTED
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
    # The ground-truth folder is listed as not read: nothing in DATA is silently skipped.
    assert [(e.path.name, e.reason.split(",")[0]) for e in result.not_read] == [
        ("truth", "a folder")
    ]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_injected_faults_quarantine_exactly_the_faulty_rows(
    force: Path, tmp_path: Path, seed: int
) -> None:
    faults, expected = inject_faults(force, tmp_path / "faulty", per_table=6, seed=seed)
    con = duckdb.connect()
    result = ingest(con, tmp_path / "faulty")
    got = {
        (str(t), int(r))
        for t, r in con.execute(
            'SELECT DISTINCT "table", row_number FROM quarantine WHERE action = ?', [REJECTED]
        ).fetchall()
    }
    assert len(faults) == 36
    assert got == expected
    # A fault in an optional cell is reported on its row, which is kept.
    blanked = {
        (str(t), int(r), str(c))
        for t, r, c in con.execute(
            'SELECT "table", row_number, "column" FROM quarantine WHERE action = ?', [BLANKED]
        ).fetchall()
    }
    for fault in faults:
        if fault.row_kept and (fault.table, fault.row_number) not in expected:
            assert (fault.table, fault.row_number, fault.column) in blanked
    for counts in result.counts.values():
        assert counts.rows_in == counts.accepted + counts.quarantined
