"""`relook audit verify`: recompute the audit chain and report the first broken entry."""

from __future__ import annotations

from pathlib import Path

from relook.commands.progress import console
from relook.errors import RelookError
from relook.security import audit
from relook.workspace import Workspace


class AuditChainBroken(RelookError):
    """The audit chain does not verify (exit code 1)."""

    exit_code = 1


def verify(workspace: Path) -> None:
    store = Workspace(workspace).open_store()
    try:
        with store.read() as connection:
            result = audit.verify(connection)
    finally:
        store.dispose()
    if not result.ok:
        raise AuditChainBroken(
            f"audit chain broken at entry {result.first_bad_seq}: {result.problem}"
            f" ({result.checked:,} entries before it are intact)"
        )
    console.print(
        f"Audit chain intact: {result.checked:,} entries. Head: entry {result.head_seq},"
        f" hash {result.head_hash}"
    )
