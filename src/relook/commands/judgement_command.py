"""`relook judge` and `relook explain`: an analyst's decisions about two records."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from relook.commands.progress import console
from relook.engine.duckdb_engine import connect
from relook.errors import RelookError
from relook.pipeline.resolve import explain_pair
from relook.runs import shown_run_id
from relook.workspace import Workspace


def judge(
    workspace: Path, record_a: str, record_b: str, kind: str, *, by: str, reason: str
) -> None:
    space = Workspace(workspace)
    judgement = space.record_judgement(record_a, record_b, kind, by=by, reason=reason)
    console.print(
        f"Recorded {judgement.kind} between {record_a} and {record_b} in {space.store_description};"
        " the next run honours it."
    )


def explain(workspace: Path, record_a: str, record_b: str) -> None:
    space = Workspace(workspace)
    analysis = space.analysis_path_of(shown_run_id(space))
    if not analysis.exists():
        raise RelookError(f"{workspace}: no completed run yet (run `relook run` first)")
    con = connect(analysis)
    try:
        explanation = explain_pair(con, record_a, record_b)
    except KeyError as exc:
        raise RelookError(str(exc.args[0])) from None
    finally:
        con.close()
    table = Table(title=f"{record_a} and {record_b}")
    for heading in ("comparison", "level", "weight"):
        table.add_column(heading, justify="right" if heading == "weight" else "left")
    table.add_row("prior (before any comparison)", "", f"{explanation.prior_weight:+.2f}")
    for c in explanation.comparisons:
        table.add_row(c.comparison, c.level, f"{c.match_weight:+.2f}")
    table.add_row("[bold]total[/]", "", f"[bold]{explanation.total_weight:+.2f}[/]")
    console.print(table)
    verdict = {True: "the same person", False: "different persons", None: "not resolved yet"}
    console.print(
        f"Match probability {explanation.match_probability:.3f};"
        f" the last run made them {verdict[explanation.same_person]}."
    )
    if explanation.note:
        console.print(explanation.note)
