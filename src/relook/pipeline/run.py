"""A whole run: ingest → resolve → link → screen → extract → language → prioritise →
quality → publish, all or nothing.

The run happens in an in-memory analysis database. Only when every stage has succeeded
are the contract outputs and `run.json` moved into the output folder and the analysis
database saved into the workspace, so a failed run leaves no partial outputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from relook import __version__
from relook.contract.dataset import discover
from relook.contract.mapping import load_mapping
from relook.engine.duckdb_engine import connect, sql_literal
from relook.engine.sql import count, table_exists
from relook.pipeline.extract.stage import build_text_mentions
from relook.pipeline.ingest import IngestResult, ingest
from relook.pipeline.language import build_language
from relook.pipeline.leads import build_leads
from relook.pipeline.link import build_networks
from relook.pipeline.prioritise import build_priorities
from relook.pipeline.publish import QUALITY_QUERY, QUARANTINE_QUERY, write_outputs
from relook.pipeline.quality import KeyCompleteness, build_quality, key_completeness
from relook.pipeline.resolve import resolve, save_model
from relook.pipeline.screen import build_screening
from relook.rules.lexicon import load_lexicon
from relook.rules.scope import load_scope
from relook.rules.scoring import load_scoring
from relook.store.importer import import_run
from relook.workspace import Workspace

STAGES = (
    "ingest", "resolve", "link", "screen", "extract", "language", "prioritise", "quality",
    "publish",
)  # fmt: skip

OUTPUT_QUERIES = {
    "screening.csv": (
        "SELECT case_id, in_scope_wider, in_scope_narrower, category, reasons, rules_version"
        " FROM screening ORDER BY case_id"
    ),
    "persons.csv": (
        # Four decimals: beyond that the value is noise from parallel floating-point sums,
        # and the same input must give the same file.
        "SELECT record_id, person_id, round(match_probability, 4) AS match_probability,"
        " record_kind, cluster_size FROM persons ORDER BY record_id"
    ),
    "networks.csv": "SELECT network_id, case_id FROM networks ORDER BY network_id, case_id",
    "network_summary.csv": (
        "SELECT network_id, n_cases, n_suspects, n_victims, linking_identifiers,"
        " supporting_identifiers FROM network_summary ORDER BY n_cases DESC, network_id"
    ),
    "network_suspects.csv": (
        "SELECT * FROM network_suspects ORDER BY network_id, betweenness DESC, person_id"
    ),
    "repeat_victims.csv": "SELECT * FROM repeat_victims ORDER BY n_cases DESC, person_id",
    "leads.csv": (
        "SELECT lead_id, case_id, kind, detail, evidence, value, n_evidence, source_table,"
        " source_id, source_field, span_start, span_end FROM leads ORDER BY case_id, kind, value"
    ),
    "language.csv": (
        "SELECT note_id, case_id, phrase, suggested_wording, lexicon_key, source_table,"
        " span_start, span_end, lexicon_version FROM language"
        " ORDER BY case_id, source_table, note_id, span_start"
    ),
    "priorities.csv": (
        "SELECT case_id, rank, score, band, reasons, rules_version FROM priorities ORDER BY rank"
    ),
    "case_signals.csv": (
        "SELECT case_id, signal, signal_group, value, points, evidence FROM case_signals"
        " ORDER BY case_id, points DESC, signal"
    ),
    "hub_identifiers.csv": "SELECT * FROM hub_identifiers ORDER BY n_cases DESC, kind, value",
    "quality.csv": QUALITY_QUERY,
    "quarantine.csv": QUARANTINE_QUERY,
}

# Tables kept in the workspace's analysis database for explanations and review.
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
)

StageCallback = Callable[[str], None]


@dataclass
class StageTiming:
    seconds: float
    peak_rss_mb: float


@dataclass
class RunReport:
    run_id: str
    out_dir: Path
    outputs: list[Path]
    ingest: IngestResult
    counts: dict[str, int]
    key_fields: list[KeyCompleteness] = field(default_factory=list)
    timings: dict[str, StageTiming] = field(default_factory=dict)
    document: dict[str, Any] = field(default_factory=dict)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def file_checksums(paths: list[Path]) -> dict[str, str]:
    checksums = {}
    for path in sorted(paths):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        checksums[path.name] = digest.hexdigest()
    return checksums


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return count(con, f"SELECT count(*) FROM {table}")


class _Stages:
    """Times each stage and tells the caller which one is running."""

    def __init__(self, on_stage: StageCallback | None) -> None:
        self.on_stage = on_stage
        self.timings: dict[str, StageTiming] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.on_stage:
            self.on_stage(name)
        start = time.perf_counter()
        yield
        self.timings[name] = StageTiming(round(time.perf_counter() - start, 3), _peak_rss_mb())


def _save_analysis(con: duckdb.DuckDBPyConnection, workspace: Workspace) -> None:
    """Replace the workspace's analysis database in one step (write aside, then rename)."""
    workspace.ensure()
    partial = workspace.analysis_path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    con.execute(f"ATTACH {sql_literal(str(partial))} AS saved")
    try:
        for table in KEPT_TABLES:
            con.execute(f"CREATE TABLE saved.{table} AS SELECT * FROM {table}")
        for table in ("resolve_model",):
            if table_exists(con, table):
                con.execute(f"CREATE TABLE saved.{table} AS SELECT * FROM {table}")
    finally:
        con.execute("DETACH saved")
    os.replace(partial, workspace.analysis_path)


def run_pipeline(
    data: Path,
    out_dir: Path,
    *,
    workspace: Workspace,
    mapping_path: Path | None = None,
    rules_path: Path | None = None,
    seed: int = 42,
    as_of: dt.date | None = None,
    model_path: Path | None = None,
    on_stage: StageCallback | None = None,
) -> RunReport:
    """Run every stage on the export at `data`.

    `as_of` is "today" for ages (default: today); `model_path` a resolution model saved by
    an earlier run (`W/resolution-model.json`) to use instead of training on this data.
    """
    started = dt.datetime.now(dt.UTC)
    as_of = as_of or started.date()
    mapping = load_mapping(mapping_path)
    scope = load_scope(rules_path)
    lexicon = load_lexicon(rules_path)
    scoring = load_scoring(rules_path)
    judgements = workspace.judgements()
    discovered = discover(data, mapping)
    inputs = [s.path for sources in discovered.sources.values() for s in sources]
    checksums = file_checksums(sorted(set(inputs)))
    versions = {"scope": scope.version, "lexicon": lexicon.version, "scoring": scoring.version}
    run_id = hashlib.sha256(
        repr((sorted(checksums.items()), versions, seed, len(judgements), as_of)).encode()
    ).hexdigest()[:16]

    stages = _Stages(on_stage)
    con = connect()
    with stages.stage("ingest"):
        ingested = ingest(con, data, mapping)
    with stages.stage("resolve"):
        resolved = resolve(con, judgements=judgements, model_path=model_path, seed=seed)
    with stages.stage("link"):
        linked = build_networks(con)
    with stages.stage("screen"):
        build_screening(con, scope)
    with stages.stage("extract"):
        build_text_mentions(con)
        n_leads = build_leads(con)
    with stages.stage("language"):
        n_flags = build_language(con, lexicon)
    with stages.stage("prioritise"):
        build_priorities(con, scoring, as_of)
    with stages.stage("quality"):
        build_quality(con)
        key_fields = key_completeness(con)
    counts = {
        "cases": _count(con, "cases"),
        "persons": resolved.n_persons,
        "records_resolved": resolved.n_records,
        "networks": linked.networks,
        "cases_in_networks": linked.cases_in_networks,
        "hub_identifiers": linked.hub_identifiers,
        "in_scope_wider": _count(con, "screening WHERE in_scope_wider"),
        "in_scope_narrower": _count(con, "screening WHERE in_scope_narrower"),
        "leads": n_leads,
        "language_flags": n_flags,
        "urgent": _count(con, "priorities WHERE band = 'urgent'"),
        "high": _count(con, "priorities WHERE band = 'high'"),
        "quarantined_rows": ingested.quarantined,
    }
    with stages.stage("publish"):
        document = {
            "run_id": run_id,
            "relook_version": __version__,
            "started_at": started.isoformat(timespec="seconds"),
            "parameters": {
                "data": str(data),
                "mapping": str(mapping_path) if mapping_path else None,
                "rules": str(rules_path) if rules_path else None,
                "seed": seed,
                "as_of": as_of.isoformat(),
                "model": str(model_path) if model_path else None,
                "judgements": len(judgements),
            },
            "rules_version": versions,
            "key_fields": {k.label: {"recorded": k.recorded, "total": k.total} for k in key_fields},
            "input_checksums": checksums,
            "rows": {
                t: {"in": c.rows_in, "accepted": c.accepted, "quarantined": c.quarantined}
                for t, c in ingested.counts.items()
            },
            "counts": counts,
            "resolution": {
                "trained": resolved.trained,
                "cluster_threshold": resolved.cluster_threshold,
                "pairs_scored": resolved.n_pairs_scored,
                "links": resolved.n_links,
                "unidentified": resolved.n_unidentified,
                "ignored_judgements": len(resolved.ignored_judgements),
            },
            "timings": {
                name: {"seconds": t.seconds, "peak_rss_mb": round(t.peak_rss_mb, 1)}
                for name, t in stages.timings.items()
            },
        }
        outputs = write_outputs(con, out_dir, OUTPUT_QUERIES, {"run.json": document})
        _save_analysis(con, workspace)
        save_model(resolved.model, workspace.model_path)
        store = workspace.open_store()
        try:
            import_run(store, workspace.analysis_path, run_id, document)
        finally:
            store.dispose()
        workspace.runs_dir.mkdir(parents=True, exist_ok=True)
        (workspace.runs_dir / f"{run_id}.json").write_text(
            (out_dir / "run.json").read_text(encoding="utf-8"), encoding="utf-8"
        )
    con.close()
    return RunReport(
        run_id, out_dir, outputs, ingested, counts, key_fields, stages.timings, document
    )
