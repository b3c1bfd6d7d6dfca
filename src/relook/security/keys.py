"""The server's secret key (signs the sign-in form's CSRF token).

`RELOOK_SECRET_KEY` if set; otherwise a random key kept in `W/secret.key` (mode 0600),
created on first use and shared by every worker process serving the workspace.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_KEY_ENV = "RELOOK_SECRET_KEY"


def load_secret_key(workspace_root: Path) -> str:
    configured = os.environ.get(SECRET_KEY_ENV, "").strip()
    if configured:
        return configured
    path = workspace_root / "secret.key"
    if not path.exists():
        workspace_root.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker created it first
            return path.read_text(encoding="utf-8").strip()
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(key)
        return key
    return path.read_text(encoding="utf-8").strip()
