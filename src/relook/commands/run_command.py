"""`relook run`: the whole pipeline on a force's export, with a progress display per step."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.table import Table

from relook.commands.progress import console, stage_progress
from relook.commands.quality_view import print_key_fields
from relook.runs import STEPS, RunReport, run_force
from relook.workspace import Workspace


def run(
    data: Path,
    *,
    out: Path,
    workspace: Path,
    mapping_path: Path | None,
    rules_path: Path | None,
    seed: int,
    model_path: Path | None = None,
    as_of: dt.date | None = None,
) -> RunReport:
    with stage_progress(len(STEPS), "run") as progress:
        task = progress.task_ids[0]
        started: list[str] = []

        def on_step(name: str) -> None:
            if started:
                progress.update(task, advance=1)
            started.append(name)
            progress.update(task, description=f"{name}")

        report = run_force(
            data,
            out,
            workspace=Workspace(workspace),
            mapping_path=mapping_path,
            rules_path=rules_path,
            seed=seed,
            as_of=as_of,
            model_path=model_path,
            on_step=on_step,
        )
    print_report(report)
    return report


def print_report(report: RunReport) -> None:
    print_key_fields(console, report.key_fields)
    timing = Table(title=f"Run {report.run_id}")
    for heading in ("step", "seconds", "peak memory (MB)"):
        timing.add_column(heading, justify="left" if heading == "step" else "right")
    for name, t in report.timings.items():
        timing.add_row(name, f"{t.seconds:.1f}", f"{t.peak_rss_mb:,.0f}")
    console.print(timing)
    counts = Table(title="Results")
    counts.add_column("measure")
    counts.add_column("count", justify="right")
    for name, value in report.counts.items():
        counts.add_row(name.replace("_", " "), f"{value:,}")
    console.print(counts)
    console.print(f"Outputs in {report.out_dir}: {', '.join(p.name for p in report.outputs)}")
    console.print(f"The run is kept in {report.run_dir}")
