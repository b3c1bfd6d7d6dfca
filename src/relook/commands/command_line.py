"""Who runs a command on the server, for the audit trail."""

from __future__ import annotations

import getpass

from relook.security.audit import Actor


def command_line_actor() -> Actor:
    """The operating-system user at the command line (there is no relook sign-in there)."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Actor(None, f"{who}@command-line", None)
