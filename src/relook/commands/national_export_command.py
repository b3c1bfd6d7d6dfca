"""`relook export national`: the current run as FollowTheMoney entities, for a national
coordinator to load with other forces' exports (docs/national-export.md).

An export is a disclosure: it needs an account that may make it (`--by`), a reason, and
it is recorded in the audit trail with both. The file is streamed into a hidden file
beside `--out` and put in place by one rename after the audit entry is committed, so
there is never an export without its entry, nor a half-written file.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from relook import atomic
from relook.commands.command_line import command_line_actor
from relook.commands.progress import console, stage_progress
from relook.errors import RelookError
from relook.review.national_export import ExportCounts, ExportOptions, write_national_export
from relook.review.national_scope import count_records, recorded_force
from relook.review.runs import latest_run
from relook.security import audit
from relook.security.accounts import User, find_user
from relook.security.audit import AuditAction
from relook.security.justification import checked_reason
from relook.security.policy import Permission, allows
from relook.workspace import Workspace

SUFFIXES = (".json", ".jsonl")
"""FtM's line-based entity files: `.ftm.json` by custom, `.jsonl` for other tools."""


def run(
    workspace: Path,
    *,
    out: Path,
    reason: str,
    by: str,
    reveal_victims: bool = False,
    all_cases: bool = False,
    force: str | None = None,
) -> ExportCounts:
    if out.suffix.lower() not in SUFFIXES:
        raise RelookError(f"{out}: the export is FtM JSON lines; name it *.ftm.json or *.jsonl")
    if not workspace.is_dir():
        raise RelookError(f"{workspace}: no such workspace")
    reason = checked_reason(reason)
    with Workspace(workspace).store() as store:
        with store.read() as connection:
            user = _exporter(connection, by, reveal=reveal_victims)
            run_info = latest_run(connection)
            if run_info is None:
                raise RelookError(f"{workspace}: no completed run yet (run `relook run` first)")
            force_name = (force or "").strip() or recorded_force(connection, run_info.run_id)
            if not force_name:
                raise RelookError("the run's cases name no force: give it with --force NAME")
            total = count_records(connection, run_info.run_id, all_cases=all_cases)
        options = ExportOptions(force=force_name, all_cases=all_cases, reveal=reveal_victims)
        with (
            atomic.staged_file(out) as handle,
            stage_progress(total, "Exporting the run in FollowTheMoney") as progress,
        ):
            task = progress.task_ids[0]
            with store.snapshot() as connection:
                counts = write_national_export(
                    connection,
                    handle,
                    run_id=run_info.run_id,
                    options=options,
                    progress=lambda n: progress.advance(task, n),
                )
            with store.write() as connection:
                audit.append(
                    connection,
                    user.actor,
                    AuditAction.EXPORT,
                    object_type="national_export",
                    object_id=out.name,
                    reason=reason,
                    detail={
                        "run_id": run_info.run_id,
                        "force": force_name,
                        "all_cases": all_cases,
                        "reveal_victims": reveal_victims,
                        "from": command_line_actor().name,
                        **counts.as_detail(),
                    },
                )
    _report(out, force_name, run_info.run_id, counts, reveal=reveal_victims)
    return counts


def _exporter(connection: Connection, by: str, *, reveal: bool) -> User:
    """The account the export is made as: active, and allowed to make it."""
    user = find_user(connection, by)
    if user is None or not user.active:
        raise RelookError(f"--by {by}: no active account of that name (see `relook users list`)")
    if not allows(user.role, Permission.EXPORT_NATIONAL):
        raise RelookError(
            f"--by {user.username}: a {user.role.value} may not make the national export"
            " (a supervisor may)"
        )
    if reveal and not allows(user.role, Permission.REVEAL_VICTIM):
        raise RelookError(f"--by {user.username}: a {user.role.value} may not reveal victims")
    return user


def _report(out: Path, force: str, run_id: str, counts: ExportCounts, *, reveal: bool) -> None:
    kinds = ", ".join(f"{n} {schema}" for schema, n in sorted(counts.by_schema.items()))
    console.print(f"Wrote {counts.entities} entities to {out} ({force}, run {run_id}): {kinds}.")
    if reveal:
        console.print("Victims and other protected persons are [bold]named[/] (--reveal-victims).")
    else:
        console.print(
            f"{counts.pseudonymised} persons pseudonymised; {counts.places_withheld} addresses"
            " or postcodes of protected persons withheld."
        )
    if counts.phones_refused:
        console.print(
            f"{counts.phones_refused} phone numbers left out: FollowTheMoney accepts only"
            " numbers valid in their country's plan (not drama or unallocated ranges)."
        )
    console.print("Recorded in the audit trail as a disclosure, with the reason.")
