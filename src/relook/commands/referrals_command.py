"""`relook export referrals`: the referral pack for the national panel, into a folder."""

from __future__ import annotations

from pathlib import Path

from relook.commands.progress import console, stage_progress
from relook.reports.document import handling_marking
from relook.reports.referral_pack import count_referrals, write_pack_for
from relook.workspace import Workspace


def export(workspace: Path, *, out: Path, user: str, reason: str, marking: str | None) -> None:
    with Workspace(workspace).store() as store:
        total = count_referrals(store)
        with stage_progress(total, "Writing the referral pack") as progress:
            task = progress.task_ids[0]
            result = write_pack_for(
                store, user, out, reason=reason, marking=handling_marking(marking),
                step=lambda _case_id: progress.advance(task),
            )  # fmt: skip
    cases = len(result.referrals)
    console.print(
        f"Wrote the referral pack to {out}: {cases} case{'s' if cases != 1 else ''}"
        f" signed off for the national panel, {result.files} files (manifest sha256"
        f" {result.manifest_sha256[:16]}…); recorded in the audit trail as one disclosure.",
        highlight=False,
        soft_wrap=True,
    )
