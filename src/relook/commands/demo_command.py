"""`relook demo`: generate a force and run everything relook has on it."""

from __future__ import annotations

from pathlib import Path

from relook.commands import ingest_command, synth_command
from relook.commands.progress import console


def run(workspace: Path, *, cases: int, seed: int) -> None:
    force = workspace / "force"
    results = workspace / "results"
    synth_command.run(force, cases=cases, seed=seed)
    ingest_command.run(force, out=results, mapping_path=None, strict=False)
    console.print()
    console.print(f"[bold]Demo force:[/] {force}   (ground truth in {force / 'truth'})")
    console.print(f"[bold]Results:[/]    {results}")
