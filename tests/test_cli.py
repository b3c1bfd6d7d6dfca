"""The command line: output files, exit codes, and no tracebacks for user errors."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relook import __version__
from relook.cli import app
from relook.review.runs import latest_run
from relook.store.engine import DATABASE_URL_ENV
from relook.workspace import Workspace

runner = CliRunner()


def _relook(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from relook.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"relook {__version__}"


def test_ingest_writes_quarantine_and_quality(minimal_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["ingest", str(minimal_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["quality.csv", "quarantine.csv"]
    with (out / "quarantine.csv").open() as handle:
        assert next(csv.reader(handle)) == [
            "table",
            "row_number",
            "column",
            "value",
            "error",
            "file",
            "action",
        ]
    with (out / "quality.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    ethnicity = [
        r for r in rows if r["table"] == "people" and r["field"] == "ethnicity" and r["role"] == ""
    ]
    assert sum(int(r["recorded"]) for r in ethnicity) == 1
    assert sum(int(r["total"]) for r in ethnicity) == 6
    assert "Rows per table" in result.stdout
    assert "suspects' ethnicity" in result.stdout


def test_strict_fails_on_any_rejected_row(minimal_dir: Path, tmp_path: Path) -> None:
    notes = minimal_dir / "notes.csv"
    notes.write_text(notes.read_text() + "N003,C404,,,orphan note\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _relook("ingest", str(minimal_dir), "--out", str(out), "--strict")
    assert result.returncode == 1
    assert "--strict: 1 row(s) rejected" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["quarantine.csv"]


def test_unreadable_file_is_one_line_exit_2_and_nothing_written(
    minimal_dir: Path, tmp_path: Path
) -> None:
    (minimal_dir / "people.csv").write_bytes(b"mention_id,case_id,role\nM1,C001,\xff\n")
    out = tmp_path / "out"
    result = _relook("ingest", str(minimal_dir), "--out", str(out))
    assert result.returncode == 2
    assert "people.csv: is not UTF-8 text" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists() or not any(out.iterdir())


def test_debug_shows_the_traceback(minimal_dir: Path, tmp_path: Path) -> None:
    (minimal_dir / "cases.csv").unlink()
    result = _relook("--debug", "ingest", str(minimal_dir), "--out", str(tmp_path / "o"))
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_demo_runs_everything_and_says_how_to_open_the_review_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    workspace = tmp_path / "ws"
    result = runner.invoke(app, ["demo", "--workspace", str(workspace), "--cases", "150"])
    assert result.exit_code == 0, result.output
    assert (workspace / "results" / "screening.csv").exists()
    assert (workspace / "force" / "truth").is_dir()
    assert f"relook serve --workspace {workspace}" in result.output
    assert f"relook users add admin1 --role admin --workspace {workspace}" in result.output
    with Workspace(workspace).store() as store, store.read() as connection:
        run = latest_run(connection)
    assert run is not None and run.n_cases == 150
