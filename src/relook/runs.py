"""A run of relook on a force's export, for one workspace: all or nothing.

    run_force(data, out_dir, workspace=W, ...) -> RunReport

What a run is called. The run id is a digest of everything that can change a result:
the input files' checksums, the loaded rules (their content, not only their version
labels), the mapping's content, the checksum of a reused resolution model, the analysts'
judgements, relook's version, the seed and the `as_of` date. The same id means the same
results; the store refuses a run id whose results differ from those it holds.

How it is kept. With the workspace's run lock held (a second run is refused):
1. the pipeline runs on an in-memory analysis database (`relook.pipeline.run`);
2. the outputs, run.json, the analysis database and the model are written into a hidden
   folder `W/runs/.partial-…`, which is then renamed to `W/runs/<run_id>/` whole;
3. the run is imported into the store in one transaction: its commit is the moment the
   review shows the new run;
4. `W/current` is switched to the run id (one rename);
5. the outputs are put at `--out DIR` (the folder replaced in one step).

A failure, or a kill at any moment, leaves the previous run whole and shown: before 3
nothing the review reads has changed (a hidden folder is removed by the next run); after
3 the new run is complete in its folder and in the store. A kill between 3 and 5 leaves
`W/current` or `--out` one run behind the store until the next run sets them again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from relook import atomic
from relook.contract.dataset import discover
from relook.contract.mapping import Mapping, load_mapping
from relook.contract.outputs import RUN_DOCUMENT, RUN_OUTPUTS, check_output_folder
from relook.digests import content_digest, file_checksums, file_digest
from relook.engine.duckdb_engine import connect, sql_literal
from relook.pipeline.ingest import IngestResult
from relook.pipeline.publish import write_document, write_tables
from relook.pipeline.quality import KeyCompleteness
from relook.pipeline.resolve import Judgement, save_model
from relook.pipeline.run import STAGES, PipelineInput, PipelineResult, run_pipeline
from relook.pipeline.timing import StageTimer, StageTiming, StepCallback
from relook.review.run_import import import_run
from relook.review.runs import latest_run
from relook.rules.ruleset import RuleSet, load_rules
from relook.version import __version__
from relook.workspace import ANALYSIS_FILE, MODEL_FILE, RUN_OUTPUTS_DIR, Workspace

# Tables kept in each run's analysis database for explanations and review.
KEPT_TABLES = (
    "cases",
    "people",
    "vehicles",
    "locations",
    "notes",
    "missing_episodes",
    "persons",
    "screening",
    "networks",
    "network_summary",
    "network_suspects",
    "repeat_victims",
    "leads",
    "language",
    "priorities",
    "case_signals",
    "quality",
    "resolve_model",
    "resolve_households",
)

PUBLISH_STEPS = ("outputs", "analysis", "model", "record", "place", "import", "switch", "deliver")
"""The steps after the stages, each announced to `on_step` before it starts."""

STEPS = (*(stage.name for stage in STAGES), *PUBLISH_STEPS)


@dataclass(frozen=True)
class RunIdentity:
    """Everything that can change a run's results, and the id made from it."""

    input_checksums: dict[str, str]
    rules_digest: str
    mapping_digest: str
    model_digest: str | None
    judgements_digest: str
    relook_version: str
    seed: int
    as_of: str

    @property
    def run_id(self) -> str:
        return content_digest(dataclasses.asdict(self))[:16]


def identify(
    data: Path,
    mapping: Mapping,
    rules: RuleSet,
    judgements: Sequence[Judgement],
    *,
    model_path: Path | None,
    seed: int,
    as_of: dt.date,
) -> RunIdentity:
    discovered = discover(data, mapping)
    inputs = [source.path for sources in discovered.sources.values() for source in sources]
    return RunIdentity(
        input_checksums=file_checksums(inputs),
        rules_digest=rules.digest,
        mapping_digest=content_digest(mapping.model_dump(mode="json")),
        model_digest=file_digest(model_path) if model_path else None,
        judgements_digest=content_digest([dataclasses.asdict(j) for j in judgements]),
        relook_version=__version__,
        seed=seed,
        as_of=as_of.isoformat(),
    )


@dataclass
class RunReport:
    run_id: str
    out_dir: Path
    run_dir: Path
    outputs: list[Path]
    ingest: IngestResult
    counts: dict[str, int]
    key_fields: list[KeyCompleteness] = field(default_factory=list)
    timings: dict[str, StageTiming] = field(default_factory=dict)
    document: dict[str, Any] = field(default_factory=dict)


def run_force(
    data: Path,
    out_dir: Path,
    *,
    workspace: Workspace,
    mapping_path: Path | None = None,
    rules_path: Path | None = None,
    seed: int = 42,
    as_of: dt.date | None = None,
    model_path: Path | None = None,
    on_step: StepCallback | None = None,
) -> RunReport:
    """Run every stage on the export at `data` and keep the run; see the module docstring.

    `as_of` is "today" for ages (default: today); `model_path` a resolution model saved by
    an earlier run (`W/runs/<id>/resolution-model.json`) to use instead of training;
    `on_step` hears the name of each step in `STEPS` as it starts."""
    started = dt.datetime.now(dt.UTC)
    as_of = as_of or started.date()
    check_output_folder(out_dir)
    with workspace.run_lock(f"relook run {data}"):
        workspace.remove_unfinished_runs()
        mapping = load_mapping(mapping_path)
        rules = load_rules(rules_path)
        judgements = workspace.judgements()
        identity = identify(
            data, mapping, rules, judgements, model_path=model_path, seed=seed, as_of=as_of
        )
        inputs = PipelineInput(data, mapping, rules, judgements, as_of, seed, model_path)
        timer = StageTimer(on_step)
        parameters = {
            "data": str(data),
            "mapping": str(mapping_path) if mapping_path else None,
            "rules": str(rules_path) if rules_path else None,
            "seed": seed,
            "as_of": as_of.isoformat(),
            "model": str(model_path) if model_path else None,
            "judgements": len(judgements),
        }
        folder = workspace.new_run_folder()
        try:
            result, document = _compute_and_write(
                folder, inputs, identity, parameters, started, timer
            )
            run_dir = _keep(folder, identity.run_id, document, workspace, timer)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        with timer.step("switch"):
            workspace.set_current(identity.run_id)
        with timer.step("deliver"):
            delivered = deliver_outputs(run_dir / RUN_OUTPUTS_DIR, out_dir)
    return RunReport(
        identity.run_id,
        out_dir,
        run_dir,
        delivered,
        result.ingest,
        result.counts,
        result.key_fields,
        timer.timings,
        document,
    )


def _compute_and_write(
    folder: Path,
    inputs: PipelineInput,
    identity: RunIdentity,
    parameters: dict[str, Any],
    started: dt.datetime,
    timer: StageTimer,
) -> tuple[PipelineResult, dict[str, Any]]:
    """Run the pipeline and write everything the run keeps into `folder`."""
    con = connect()
    try:
        result = run_pipeline(con, inputs, on_stage=timer.on_step)
        timer.timings.update(result.timings)
        outputs = folder / RUN_OUTPUTS_DIR
        with timer.step("outputs"):
            write_tables(con, outputs, RUN_OUTPUTS)
        with timer.step("analysis"):
            _save_analysis(con, folder / ANALYSIS_FILE)
    finally:
        con.close()
    with timer.step("model"):
        save_model(result.resolved.model, folder / MODEL_FILE)
    with timer.step("record"):
        document = _document(identity, inputs, parameters, started, result, timer)
        write_document(outputs, RUN_DOCUMENT, document)
    return result, document


def _save_analysis(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    con.execute(f"ATTACH {sql_literal(str(target))} AS saved")
    try:
        for table in KEPT_TABLES:
            con.execute(f"CREATE TABLE saved.{table} AS SELECT * FROM {table}")
    finally:
        con.execute("DETACH saved")


def _keep(
    folder: Path, run_id: str, document: dict[str, Any], workspace: Workspace, timer: StageTimer
) -> Path:
    """Put the finished folder at `W/runs/<run_id>` and import the run into the store.

    A new id: the folder is renamed into place first, so the store never holds a run
    whose folder is missing. An id the workspace has kept before (a repeat of the same
    inputs, rules and judgements): the store checks the results are the same before the
    kept folder is exchanged for the new one, so a refused repeat changes nothing."""
    run_dir = workspace.run_dir(run_id)
    repeat = run_dir.exists()
    with timer.step("place"):
        if not repeat:
            folder.rename(run_dir)
    source = folder if repeat else run_dir
    with timer.step("import"), workspace.store() as store:
        import_run(store, source / ANALYSIS_FILE, run_id, document)
    if repeat:
        atomic.replace_dir(folder, run_dir)
    return run_dir


def deliver_outputs(source: Path, out_dir: Path) -> list[Path]:
    """Replace `out_dir` with a copy of a run's outputs, in one step."""
    atomic.remove_leftovers(out_dir)
    with atomic.staged_dir(out_dir) as staged:
        for path in sorted(source.iterdir()):
            shutil.copy2(path, staged / path.name)
    return sorted(out_dir.iterdir())


def _document(
    identity: RunIdentity,
    inputs: PipelineInput,
    parameters: dict[str, Any],
    started: dt.datetime,
    result: PipelineResult,
    timer: StageTimer,
) -> dict[str, Any]:
    resolved = result.resolved
    return {
        "run_id": identity.run_id,
        "relook_version": identity.relook_version,
        "started_at": started.isoformat(timespec="seconds"),
        "parameters": parameters,
        "rules_version": inputs.rules.versions,
        "rules_digest": identity.rules_digest,
        "identity": dataclasses.asdict(identity),
        "key_fields": {
            k.label: {"recorded": k.recorded, "total": k.total} for k in result.key_fields
        },
        "input_checksums": identity.input_checksums,
        "rows": {
            t: {"in": c.rows_in, "accepted": c.accepted, "quarantined": c.quarantined}
            for t, c in result.ingest.counts.items()
        },
        "counts": result.counts,
        "resolution": {
            "trained": resolved.trained,
            "cluster_threshold": resolved.cluster_threshold,
            "pairs_scored": resolved.n_pairs_scored,
            "links": resolved.n_links,
            "unidentified": resolved.n_unidentified,
            "ignored_judgements": len(resolved.ignored_judgements),
            "em_sessions_restarted": list(resolved.em_sessions_restarted),
            "households": dataclasses.asdict(resolved.households),
        },
        "timings": {
            name: {"seconds": t.seconds, "peak_rss_mb": round(t.peak_rss_mb, 1)}
            for name, t in timer.timings.items()
        },
    }


def shown_run_id(workspace: Workspace) -> str | None:
    """The run the review shows: the store's newest (W/current may trail it by one after
    a kill between the import and the switch)."""
    with workspace.store() as store, store.read() as connection:
        run = latest_run(connection)
    return run.run_id if run else workspace.current_run_id()
