"""`relook synth`: write a synthetic force with its ground truth."""

from __future__ import annotations

from pathlib import Path

from relook.commands.progress import console


def run(out: Path, *, cases: int, seed: int) -> None:
    from relook.synth import generate  # the generator is only needed by this command

    with console.status(f"Generating {cases:,} cases (seed {seed})"):
        summary = generate(out, cases=cases, seed=seed)
    rows = ", ".join(f"{n:,} {table}" for table, n in summary.rows.items())
    console.print(f"Wrote a synthetic force to {out} ({rows}) in {summary.seconds:.1f} s")
    console.print(f"Ground truth is in {out / 'truth'}")
