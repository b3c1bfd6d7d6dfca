"""The pipeline: ingest → resolve → link → screen → extract → language → prioritise →
quality, on one analysis-engine connection.

    run_pipeline(con, inputs, on_stage=...) -> PipelineResult

It reads the export, applies the rules and the analysts' judgements, and leaves every
result as a table on `con`; it writes no file and knows no workspace or store. Writing
the outputs, keeping the run and importing it for review is `relook.runs`' work.

The stages are data (`STAGES`): the progress display, the timings in run.json and the
order of work all come from that one list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from relook.contract.mapping import Mapping
from relook.engine.sql import count
from relook.pipeline.extract.stage import build_text_mentions
from relook.pipeline.ingest import IngestResult, ingest
from relook.pipeline.language import build_language
from relook.pipeline.leads import build_leads
from relook.pipeline.link import LinkResult, build_networks
from relook.pipeline.prioritise import build_priorities
from relook.pipeline.quality import KeyCompleteness, build_quality, key_completeness
from relook.pipeline.resolve import Judgement, ResolveResult, resolve
from relook.pipeline.screen import build_screening
from relook.pipeline.timing import StageTimer, StageTiming, StepCallback
from relook.rules.ruleset import RuleSet


@dataclass(frozen=True)
class PipelineInput:
    data: Path
    """The force's export: a folder or a workbook."""
    mapping: Mapping
    rules: RuleSet
    judgements: Sequence[Judgement]
    """Analysts' decisions in the order made (for the same pair the later one wins)."""
    as_of: dt.date
    """"Today" for ages."""
    seed: int = 42
    model_path: Path | None = None
    """A resolution model saved by an earlier run, used instead of training."""


@dataclass
class _Outcome:
    """What the stages hand on, filled in as they run."""

    ingested: IngestResult | None = None
    resolved: ResolveResult | None = None
    linked: LinkResult | None = None
    n_leads: int = 0
    n_flags: int = 0
    key_fields: list[KeyCompleteness] = field(default_factory=list)


Step = Callable[[duckdb.DuckDBPyConnection, PipelineInput, _Outcome], None]


@dataclass(frozen=True)
class Stage:
    name: str
    run: Step


def _ingest(con: duckdb.DuckDBPyConnection, inputs: PipelineInput, out: _Outcome) -> None:
    out.ingested = ingest(con, inputs.data, inputs.mapping)


def _resolve(con: duckdb.DuckDBPyConnection, inputs: PipelineInput, out: _Outcome) -> None:
    out.resolved = resolve(
        con, judgements=inputs.judgements, model_path=inputs.model_path, seed=inputs.seed
    )


def _link(con: duckdb.DuckDBPyConnection, _inputs: PipelineInput, out: _Outcome) -> None:
    out.linked = build_networks(con)


def _screen(con: duckdb.DuckDBPyConnection, inputs: PipelineInput, _out: _Outcome) -> None:
    build_screening(con, inputs.rules.scope)


def _extract(con: duckdb.DuckDBPyConnection, inputs: PipelineInput, out: _Outcome) -> None:
    build_text_mentions(con)
    out.n_leads = build_leads(con, inputs.rules.leads)


def _language(con: duckdb.DuckDBPyConnection, inputs: PipelineInput, out: _Outcome) -> None:
    out.n_flags = build_language(con, inputs.rules.lexicon)


def _prioritise(con: duckdb.DuckDBPyConnection, inputs: PipelineInput, _out: _Outcome) -> None:
    build_priorities(con, inputs.rules.scoring, inputs.as_of)


def _quality(con: duckdb.DuckDBPyConnection, _inputs: PipelineInput, out: _Outcome) -> None:
    build_quality(con)
    out.key_fields = key_completeness(con)


STAGES: tuple[Stage, ...] = (
    Stage("ingest", _ingest),
    Stage("resolve", _resolve),
    Stage("link", _link),
    Stage("screen", _screen),
    Stage("extract", _extract),
    Stage("language", _language),
    Stage("prioritise", _prioritise),
    Stage("quality", _quality),
)


@dataclass(frozen=True)
class PipelineResult:
    ingest: IngestResult
    resolved: ResolveResult
    counts: dict[str, int]
    key_fields: list[KeyCompleteness]
    timings: dict[str, StageTiming]


def run_pipeline(
    con: duckdb.DuckDBPyConnection, inputs: PipelineInput, on_stage: StepCallback | None = None
) -> PipelineResult:
    """Run every stage in order on `con`; `on_stage` hears each stage's name as it starts."""
    timer = StageTimer(on_stage)
    outcome = _Outcome()
    for stage in STAGES:
        with timer.step(stage.name):
            stage.run(con, inputs, outcome)
    ingested, resolved, linked = outcome.ingested, outcome.resolved, outcome.linked
    if ingested is None or resolved is None or linked is None:
        raise RuntimeError("a stage did not report its result")  # a defect in STAGES
    counts = {
        "cases": _count(con, "cases"),
        "persons": resolved.n_persons,
        "records_resolved": resolved.n_records,
        "networks": linked.networks,
        "cases_in_networks": linked.cases_in_networks,
        "hub_identifiers": linked.hub_identifiers,
        "in_scope_wider": _count(con, "screening WHERE in_scope_wider"),
        "in_scope_narrower": _count(con, "screening WHERE in_scope_narrower"),
        "leads": outcome.n_leads,
        "language_flags": outcome.n_flags,
        "urgent": _count(con, "priorities WHERE band = 'urgent'"),
        "high": _count(con, "priorities WHERE band = 'high'"),
        "quarantined_rows": ingested.quarantined,
    }
    return PipelineResult(ingested, resolved, counts, outcome.key_fields, timer.timings)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return count(con, f"SELECT count(*) FROM {table}")
