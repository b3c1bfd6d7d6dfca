"""`relook demo`: generate a force and run everything relook has on it."""

from __future__ import annotations

from pathlib import Path

from relook.commands import run_command, synth_command
from relook.commands.progress import console


def run(workspace: Path, *, cases: int, seed: int) -> None:
    force = workspace / "force"
    results = workspace / "results"
    synth_command.run(force, cases=cases, seed=seed)
    run_command.run(
        force, out=results, workspace=workspace, mapping_path=None, rules_path=None, seed=42
    )
    console.print()
    console.print(f"[bold]Demo force:[/] {force}   (ground truth in {force / 'truth'})")
    console.print(f"[bold]Results:[/]    {results}   (run.json says what ran and how long)")
    console.print(
        f"[bold]Workspace:[/]  {workspace}   (review store, judgements, analysis database, keys)"
    )
    console.print(
        "[bold]Review app:[/] the run is in the review store. Create the first account and"
        " start the app (http://127.0.0.1:8000/):"
    )
    console.print(
        f"  relook users add admin1 --role admin --workspace {workspace}\n"
        f"  relook users add sup1 --role supervisor --workspace {workspace}\n"
        f"  relook serve --workspace {workspace}",
        highlight=False,
        soft_wrap=True,
    )
