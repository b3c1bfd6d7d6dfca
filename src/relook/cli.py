"""The `relook` command line: parses, calls stages, prints. No logic of its own."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from relook.commands import (
    audit_command,
    demo_command,
    ingest_command,
    judgement_command,
    national_export_command,
    referrals_command,
    report_command,
    run_command,
    serve_command,
    synth_command,
    users_command,
)
from relook.errors import RelookError
from relook.pipeline.resolve import JudgementKind
from relook.version import __version__
from relook.web.concurrency import DEFAULT_PAGE_THREADS

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


@app.command("run")
def run_(
    data: Annotated[Path, typer.Argument(help="Folder (or workbook) holding the force's export.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the contract outputs.")],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="Mapping file (YAML) for a force's own export.")
    ] = None,
    rules: Annotated[
        Path | None, typer.Option("--rules", help="Rules file (YAML) overriding the defaults.")
    ] = None,
    workspace: Annotated[
        Path, typer.Option("--workspace", help="Workspace folder (judgements, analysis database).")
    ] = Path("relook-workspace"),
    seed: Annotated[int, typer.Option(help="Seed for the sampling in resolution training.")] = 42,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model", help="Resolution model saved by an earlier run, instead of training."
        ),
    ] = None,
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="'Today' for ages (YYYY-MM-DD; default today): repeat a run exactly.",
        ),
    ] = None,
) -> None:
    """Ingest, resolve, link, screen, find leads and prioritise; write outputs and run.json."""
    run_command.run(
        data,
        out=out,
        workspace=workspace,
        mapping_path=mapping,
        rules_path=rules,
        seed=seed,
        model_path=model,
        as_of=as_of.date() if as_of else None,
    )


@app.command()
def judge(
    record_a: Annotated[str, typer.Argument(help="A mention_id or episode_id.")],
    record_b: Annotated[str, typer.Argument(help="Another mention_id or episode_id.")],
    kind: Annotated[str, typer.Option("--kind", help=f"{' or '.join(JudgementKind)}.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: kept with the decision.")],
    by: Annotated[str, typer.Option("--by", help="Who made the decision.")],
    workspace: Annotated[Path, typer.Option("--workspace")] = Path("relook-workspace"),
) -> None:
    """Record an analyst's must-link / cannot-link decision; the next run honours it."""
    judgement_command.judge(workspace, record_a, record_b, kind, by=by, reason=reason)


@app.command()
def explain(
    record_a: Annotated[str, typer.Argument(help="A mention_id or episode_id.")],
    record_b: Annotated[str, typer.Argument(help="Another mention_id or episode_id.")],
    workspace: Annotated[Path, typer.Option("--workspace")] = Path("relook-workspace"),
) -> None:
    """Show why two records are (or are not) the same person: the weight of each comparison."""
    judgement_command.explain(workspace, record_a, record_b)


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


@app.command()
def serve(
    workspace: Annotated[Path, typer.Option("--workspace", help="Workspace folder.")] = Path(
        "relook-workspace"
    ),
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes: one per CPU core the server may use.")
    ] = 1,
    threads: Annotated[
        int, typer.Option(min=1, max=64, help="Pages each worker works on at once.")
    ] = DEFAULT_PAGE_THREADS,
    secure_cookies: Annotated[
        bool | None,
        typer.Option(
            "--secure-cookies/--no-secure-cookies",
            help="Mark cookies Secure (HTTPS only). Default: on unless listening on localhost.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run the reviewer web application on a workspace."""
    serve_command.run(
        workspace,
        host=host,
        port=port,
        workers=workers,
        threads=threads,
        secure_cookies=secure_cookies,
    )


users_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Username (lower-case letters, digits, . _ -).")],
    role: Annotated[
        str, typer.Option("--role", help="reviewer, supervisor, analyst, auditor or admin.")
    ],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    generate: Annotated[
        bool, typer.Option("--generate", help="Generate a password and show it once.")
    ] = False,
    workspace: Annotated[Path, typer.Option("--workspace")] = Path("relook-workspace"),
) -> None:
    """Add an account (the password is prompted for unless --generate or --password-stdin)."""
    users_command.add(workspace, name, role, password_stdin=password_stdin, generate=generate)


@users_app.command("list")
def users_list(
    workspace: Annotated[Path, typer.Option("--workspace")] = Path("relook-workspace"),
) -> None:
    """List accounts with their role and status."""
    users_command.list_users(workspace)


@users_app.command("unlock")
def users_unlock(
    name: Annotated[str, typer.Argument(help="Username.")],
    workspace: Annotated[Path, typer.Option("--workspace")] = Path("relook-workspace"),
) -> None:
    """Unlock an account locked after repeated failed sign-ins."""
    users_command.unlock(workspace, name)


@users_app.command("passwd")
def users_passwd(
    name: Annotated[str, typer.Argument(help="Username.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    generate: Annotated[
        bool,
        typer.Option(
            "--generate",
            help="Generate a password and show it once; the user must replace it at their"
            " next sign-in.",
        ),
    ] = False,
    workspace: Annotated[Path, typer.Option("--workspace")] = Path("relook-workspace"),
) -> None:
    """Set an account's password (prompted for unless --generate or --password-stdin)."""
    users_command.passwd(workspace, name, password_stdin=password_stdin, generate=generate)


@users_app.command("reactivate")
def users_reactivate(
    name: Annotated[str, typer.Argument(help="Username.")],
    workspace: Annotated[Path, typer.Option("--workspace")] = Path("relook-workspace"),
) -> None:
    """Switch a deactivated account on again."""
    users_command.reactivate(workspace, name)


audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(
    workspace: Annotated[Path, typer.Option("--workspace")] = Path("relook-workspace"),
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head",
            metavar="SEQ:HASH",
            help="A head printed by an earlier verify: check that entry is still there.",
        ),
    ] = None,
) -> None:
    """Recompute the audit chain and check its seal; report the first missing or altered
    entry (exit 1)."""
    audit_command.verify(workspace, expect_head=expect_head)


report_app = typer.Typer(help="Case reports (PDF or HTML).", no_args_is_help=True)
app.add_typer(report_app, name="report")

MARKING_HELP = (
    "Handling marking on every page (default: $RELOOK_HANDLING_MARKING or OFFICIAL-SENSITIVE)."
)


@report_app.command("case")
def report_case(
    case_id: Annotated[str, typer.Argument(help="The case's id.")],
    out: Annotated[Path, typer.Option("--out", help="File to write: FILE.pdf or FILE.html.")],
    user: Annotated[
        str, typer.Option("--user", help="Your relook account: its role and cases apply.")
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why the report is produced: kept in the audit trail.")
    ],
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Show victims' identities (the reason covers it).")
    ] = False,
    marking: Annotated[str | None, typer.Option("--marking", help=MARKING_HELP)] = None,
    workspace: Annotated[Path, typer.Option("--workspace")] = Path("relook-workspace"),
) -> None:
    """Write one case's report (pseudonymised unless --reveal); audited as a disclosure."""
    report_command.case(
        workspace, case_id, out=out, user=user, reason=reason, reveal=reveal, marking=marking
    )


export_app = typer.Typer(
    help="Disclosures to other bodies (each audited with its reason).", no_args_is_help=True
)
app.add_typer(export_app, name="export")


@export_app.command("referrals")
def export_referrals(
    out: Annotated[Path, typer.Option("--out", help="Folder for the pack (replaced whole).")],
    user: Annotated[str, typer.Option("--user", help="Your relook account (a supervisor).")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why the pack is produced: kept in the audit trail.")
    ],
    marking: Annotated[str | None, typer.Option("--marking", help=MARKING_HELP)] = None,
    workspace: Annotated[Path, typer.Option("--workspace")] = Path("relook-workspace"),
) -> None:
    """Write the referral pack: every case signed off for the national panel (report PDF,
    data JSON, manifest with checksums); audited as one disclosure."""
    referrals_command.export(workspace, out=out, user=user, reason=reason, marking=marking)


@export_app.command("national")
def export_national(
    out: Annotated[
        Path, typer.Option("--out", help="The file to write: FtM JSON lines (.ftm.json, .jsonl).")
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why the export is made: kept in the audit trail.")
    ],
    by: Annotated[
        str,
        typer.Option("--user", "--by", help="Your relook account (a supervisor): it is audited."),
    ],
    reveal_victims: Annotated[
        bool,
        typer.Option(
            "--reveal-victims",
            help="Name victims and the other persons otherwise pseudonymised (needs a role"
            " that may reveal victims).",
        ),
    ] = False,
    all_cases: Annotated[
        bool,
        typer.Option("--all-cases", help="Every case of the run, not only those in scope."),
    ] = False,
    force: Annotated[
        str | None,
        typer.Option(
            "--force",
            help="The force's name, which namespaces every id (default: as its cases name it).",
        ),
    ] = None,
    workspace: Annotated[Path, typer.Option("--workspace")] = Path("relook-workspace"),
) -> None:
    """Write the current run as FollowTheMoney entities (persons, vehicles, phones,
    addresses and the cases that join them) for a national coordinator."""
    national_export_command.run(
        workspace,
        out=out,
        reason=reason,
        by=by,
        reveal_victims=reveal_victims,
        all_cases=all_cases,
        force=force,
    )


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
