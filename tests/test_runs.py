"""A run's identity, and all or nothing: what a failure, a kill -9 or a second run leaves.

The kill tests run `relook.runs.run_force` in a child process that kills itself with
SIGKILL as a chosen step starts, then look at the workspace as the review application
and a person opening the output folder would.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from relook.contract.outputs import RUN_DOCUMENT, RUN_OUTPUTS
from relook.review.runs import latest_run, list_runs
from relook.runs import STEPS, RunReport, run_force
from relook.workspace import ANALYSIS_FILE, MODEL_FILE, RUN_OUTPUTS_DIR, Workspace, WorkspaceBusy

AS_OF = dt.date(2026, 6, 1)
OUTPUT_NAMES = {*(o.name for o in RUN_OUTPUTS), RUN_DOCUMENT}


@pytest.fixture(autouse=True)
def _sqlite_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RELOOK_DATABASE_URL", raising=False)


def _narrow_window_rules(tmp_path: Path) -> Path:
    """Rules that move only the scope window, keeping every version label."""
    path = tmp_path / "rules.yaml"
    path.write_text(
        yaml.safe_dump({"scope": {"window": {"start": "2010-01-01", "end": "2010-01-02"}}}),
        encoding="utf-8",
    )
    return path


def _shown(space: Workspace) -> str | None:
    with space.store() as store, store.read() as connection:
        run = latest_run(connection)
    return run.run_id if run else None


def _stored_runs(space: Workspace) -> list[str]:
    with space.store() as store, store.read() as connection:
        return sorted(r.run_id for r in list_runs(connection))


def _assert_whole(space: Workspace, run_id: str) -> None:
    folder = space.run_dir(run_id)
    assert (folder / ANALYSIS_FILE).is_file() and (folder / MODEL_FILE).is_file()
    outputs = folder / RUN_OUTPUTS_DIR
    assert {p.name for p in outputs.iterdir()} == OUTPUT_NAMES
    assert json.loads((outputs / RUN_DOCUMENT).read_text(encoding="utf-8"))["run_id"] == run_id


def _out_dir_run(out: Path, space: Workspace) -> str:
    """The run the output folder describes; it must be whole and equal to the kept run."""
    assert {p.name for p in out.iterdir()} == OUTPUT_NAMES
    run_id = str(json.loads((out / RUN_DOCUMENT).read_text(encoding="utf-8"))["run_id"])
    kept = space.run_dir(run_id) / RUN_OUTPUTS_DIR
    for name in OUTPUT_NAMES:
        assert (out / name).read_bytes() == (kept / name).read_bytes(), name
    return run_id


def test_runs_that_differ_only_in_rule_content_get_different_ids_and_both_are_kept(
    minimal_dir: Path, tmp_path: Path
) -> None:
    space = Workspace(tmp_path / "ws")
    wide = run_force(minimal_dir, tmp_path / "a", workspace=space, as_of=AS_OF)
    rules = _narrow_window_rules(tmp_path)
    narrow = run_force(minimal_dir, tmp_path / "b", workspace=space, rules_path=rules, as_of=AS_OF)
    assert wide.document["rules_version"] == narrow.document["rules_version"]
    assert wide.document["rules_digest"] != narrow.document["rules_digest"]
    assert wide.run_id != narrow.run_id
    assert wide.counts["in_scope_wider"] > 0 and narrow.counts["in_scope_wider"] == 0
    assert _stored_runs(space) == sorted([wide.run_id, narrow.run_id])
    assert _shown(space) == narrow.run_id == space.current_run_id()
    for report in (wide, narrow):
        _assert_whole(space, report.run_id)


def test_everything_a_result_depends_on_is_in_the_id(minimal_dir: Path, tmp_path: Path) -> None:
    space = Workspace(tmp_path / "ws")
    first = run_force(minimal_dir, tmp_path / "a", workspace=space, as_of=AS_OF)
    identity = first.document["identity"]
    assert set(identity) == {
        "input_checksums", "rules_digest", "mapping_digest", "model_digest",
        "judgements_digest", "relook_version", "seed", "as_of",
    }  # fmt: skip
    other_day = run_force(minimal_dir, tmp_path / "b", workspace=space, as_of=AS_OF.replace(day=2))
    other_seed = run_force(minimal_dir, tmp_path / "c", workspace=space, as_of=AS_OF, seed=7)
    space.record_judgement("M002", "M005", "cannot_link", by="analyst", reason="different DOB")
    judged = run_force(minimal_dir, tmp_path / "d", workspace=space, as_of=AS_OF)
    with (minimal_dir / "notes.csv").open("a", encoding="utf-8") as notes:
        notes.write("N999,C001,2015-01-01,analyst,one more note\n")
    more_input = run_force(minimal_dir, tmp_path / "e", workspace=space, as_of=AS_OF)
    ids = [r.run_id for r in (first, other_day, other_seed, judged, more_input)]
    assert len(set(ids)) == len(ids)


def test_the_same_run_repeated_keeps_its_id_and_becomes_current_again(
    minimal_dir: Path, tmp_path: Path
) -> None:
    space = Workspace(tmp_path / "ws")
    first = run_force(minimal_dir, tmp_path / "a", workspace=space, as_of=AS_OF)
    other = run_force(
        minimal_dir, tmp_path / "b", workspace=space, as_of=AS_OF,
        rules_path=_narrow_window_rules(tmp_path),
    )  # fmt: skip
    again = run_force(minimal_dir, tmp_path / "c", workspace=space, as_of=AS_OF)
    assert again.run_id == first.run_id
    assert _shown(space) == first.run_id == space.current_run_id()
    assert _stored_runs(space) == sorted([first.run_id, other.run_id])
    _assert_whole(space, first.run_id)
    for output in RUN_OUTPUTS:
        a, c = (tmp_path / d / output.name for d in ("a", "c"))
        assert a.read_bytes() == c.read_bytes(), output.name


def test_a_second_run_is_refused_while_one_holds_the_workspace(
    minimal_dir: Path, tmp_path: Path
) -> None:
    space = Workspace(tmp_path / "ws")
    with space.run_lock("relook run elsewhere"), pytest.raises(WorkspaceBusy) as refused:
        run_force(minimal_dir, tmp_path / "out", workspace=space, as_of=AS_OF)
    assert "another run is using this workspace" in str(refused.value)
    assert f"process {os.getpid()}" in str(refused.value)
    assert not (tmp_path / "out").exists()
    run_force(minimal_dir, tmp_path / "out", workspace=space, as_of=AS_OF)  # released


def test_an_output_folder_holding_other_files_is_refused_before_any_work(
    minimal_dir: Path, tmp_path: Path
) -> None:
    from relook.errors import RelookError

    out = tmp_path / "out"
    out.mkdir()
    (out / "my notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(RelookError, match="holds files relook did not write"):
        run_force(minimal_dir, out, workspace=Workspace(tmp_path / "ws"), as_of=AS_OF)
    assert [p.name for p in out.iterdir()] == ["my notes.txt"]
    assert not (tmp_path / "ws" / "runs").exists()


def _first_and_second(tmp_path: Path, minimal_dir: Path) -> tuple[Workspace, RunReport, Path]:
    """A workspace with one complete run; the rules file for a different second run."""
    space = Workspace(tmp_path / "ws")
    first = run_force(minimal_dir, tmp_path / "out", workspace=space, as_of=AS_OF)
    return space, first, _narrow_window_rules(tmp_path)


def _assert_one_whole_run_shown(space: Workspace, out: Path, first: str) -> str:
    shown = _shown(space)
    assert shown is not None
    _assert_whole(space, shown)
    current = space.current_run_id()
    assert current is not None
    _assert_whole(space, current)
    _out_dir_run(out, space)
    if shown == first:
        assert current == first
    return shown


@pytest.mark.parametrize("step", ["outputs", "analysis", "model", "place", "import", "switch"])
def test_a_failure_at_any_step_leaves_the_previous_run_whole_and_shown(
    minimal_dir: Path, tmp_path: Path, step: str
) -> None:
    space, first, rules = _first_and_second(tmp_path, minimal_dir)

    def disk_full(name: str) -> None:
        if name == step:
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        run_force(
            minimal_dir, tmp_path / "out", workspace=space, rules_path=rules, as_of=AS_OF,
            on_step=disk_full,
        )  # fmt: skip
    shown = _assert_one_whole_run_shown(space, tmp_path / "out", first.run_id)
    assert shown == (first.run_id if STEPS.index(step) <= STEPS.index("import") else shown)
    assert not list(space.runs_dir.glob(".partial-*"))
    assert _out_dir_run(tmp_path / "out", space) == first.run_id
    run_force(minimal_dir, tmp_path / "out", workspace=space, as_of=AS_OF)  # lock released


_KILLER = textwrap.dedent(
    """
    import datetime as dt, os, signal, sys
    from pathlib import Path
    from relook.runs import run_force
    from relook.workspace import Workspace

    data, out, workspace, rules, step = sys.argv[1:6]

    def kill(name):
        if name == step:
            os.kill(os.getpid(), signal.SIGKILL)

    run_force(Path(data), Path(out), workspace=Workspace(Path(workspace)),
              rules_path=Path(rules), as_of=dt.date(2026, 6, 1), on_step=kill)
    """
)


@pytest.mark.parametrize(
    "step", ["ingest", "quality", "outputs", "model", "record", "place", "import", "switch",
             "deliver"],
)  # fmt: skip
def test_a_kill_at_any_step_leaves_one_whole_run_shown(
    minimal_dir: Path, tmp_path: Path, step: str
) -> None:
    space, first, rules = _first_and_second(tmp_path, minimal_dir)
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "RELOOK_DATABASE_URL"}
    child = subprocess.run(
        [sys.executable, "-c", _KILLER, str(minimal_dir), str(out), str(space.root), str(rules),
         step],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr
    shown = _assert_one_whole_run_shown(space, out, first.run_id)
    committed = STEPS.index(step) > STEPS.index("import")
    assert (shown != first.run_id) == committed
    if not committed:
        assert _out_dir_run(out, space) == first.run_id
        assert space.current_run_id() == first.run_id
    # The next run clears what the killed one left and completes.
    after = run_force(minimal_dir, out, workspace=space, rules_path=rules, as_of=AS_OF)
    assert not list(space.runs_dir.glob(".partial-*"))
    assert not list(tmp_path.glob(".out.*"))
    assert _shown(space) == after.run_id == space.current_run_id() == _out_dir_run(out, space)
