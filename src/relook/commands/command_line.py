"""Who runs a command on the server, for the audit trail."""

from __future__ import annotations

from relook.security.audit import Actor, operating_system_user


def command_line_actor() -> Actor:
    """The operating-system user at the command line (there is no relook sign-in there)."""
    return Actor(None, f"{operating_system_user()}@command-line", None)
