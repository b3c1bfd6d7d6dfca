"""`relook audit verify`: recompute the audit chain, check its seal, and report the first
broken entry."""

from __future__ import annotations

import re
from pathlib import Path

from relook.commands.progress import console
from relook.errors import RelookError
from relook.security import audit
from relook.workspace import Workspace

_HEAD = re.compile(r"^\s*(\d+)\s*:\s*([0-9a-f]{64})\s*$")


class AuditChainBroken(RelookError):
    """The audit chain does not verify (exit code 1)."""

    exit_code = 1


class BadHead(RelookError):
    """`--expect-head` is not `SEQ:HASH` (exit code 2)."""

    exit_code = 2


def parse_head(text: str) -> tuple[int, str]:
    match = _HEAD.match(text.lower())
    if match is None:
        raise BadHead(
            f"--expect-head {text!r}: expected SEQ:HASH, a sequence number and a 64-digit"
            " hash as `relook audit verify` prints them"
        )
    return int(match.group(1)), match.group(2)


def verify(workspace: Path, *, expect_head: str | None = None) -> None:
    expect = parse_head(expect_head) if expect_head is not None else None
    with Workspace(workspace).store() as store, store.snapshot() as connection:
        result = audit.verify(connection, store.audit_key, expect=expect)
    if result.records_problem is not None and result.first_bad_seq is None:
        raise AuditChainBroken(
            f"assessments and sign-offs do not match the audit trail: {result.records_problem}"
            f" (the chain of {result.checked:,} entries is intact)"
        )
    if not result.ok:
        raise AuditChainBroken(
            f"audit trail broken at entry {result.first_bad_seq}: {result.problem}"
            f" ({result.checked:,} entries before it are intact)"
        )
    checks = "chain and seal intact" if result.sealed else "chain intact"
    if expect is not None:
        checks += f", entry {expect[0]} as noted"
    records = f"{result.records_checked:,} assessments and sign-offs as recorded"
    if result.records_unvouched:
        records += f" ({result.records_unvouched:,} from before relook recorded their digests)"
    console.print(
        f"Audit trail: {checks}, {result.checked:,} entr{'y' if result.checked == 1 else 'ies'};"
        f" {records}. Head: {result.head_seq}:{result.head_hash}",
        soft_wrap=True,
        highlight=False,
    )
