"""The `relook` command line: parses, calls stages, prints. No logic of its own."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from relook import __version__
from relook.commands import demo_command, ingest_command, synth_command
from relook.errors import RelookError

app = typer.Typer(
    name="relook",
    help="Re-assess closed investigations of group-based child sexual exploitation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"relook {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks for errors.")
    ] = False,
) -> None:
    """relook: screen, link, prioritise and review closed investigations."""


@app.command()
def synth(
    out: Annotated[Path, typer.Argument(help="Folder to write the synthetic force into.")],
    cases: Annotated[int, typer.Option(min=10, help="Number of investigations.")] = 9000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same force.")] = 1,
) -> None:
    """Generate a realistic synthetic force (six contract tables plus truth/)."""
    synth_command.run(out, cases=cases, seed=seed)


@app.command()
def ingest(
    data: Annotated[Path, typer.Argument(help="Folder (or workbook) holding the force's export.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for quarantine.csv and quality.csv.")],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="Mapping file (YAML) for a force's own export.")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail if any row is rejected.")] = False,
) -> None:
    """Validate and load a force's export; report rejected rows and completeness."""
    ingest_command.run(data, out=out, mapping_path=mapping, strict=strict)


@app.command()
def demo(
    workspace: Annotated[
        Path, typer.Option("--workspace", help="Workspace folder for the demo force and results.")
    ] = Path("relook-workspace"),
    cases: Annotated[int, typer.Option(min=10, help="Number of investigations.")] = 9000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
) -> None:
    """Generate a synthetic force and run everything relook has on it."""
    demo_command.run(workspace, cases=cases, seed=seed)


def main() -> None:
    """Entry point: user errors become one line on stderr; tracebacks only with --debug."""
    debug = "--debug" in sys.argv
    try:
        app()
    except RelookError as exc:
        if debug:
            raise
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # an unexpected failure: still no traceback for the user
        if debug:
            raise
        err_console.print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {exc}"
            " (run again with --debug for details, and please report it)",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(70)
