"""The server's keys, kept outside the store.

- The **secret key** signs the sign-in form's CSRF token: `RELOOK_SECRET_KEY`, or a
  random key kept in `W/secret.key`.
- The **audit key** seals the head of the audit trail (`relook.security.audit`):
  `RELOOK_AUDIT_KEY`, or a random key kept in `W/audit.key`. It lives outside the
  database on purpose: someone who can write to the database but does not hold the key
  cannot cut, alter or rewrite the trail without `relook audit verify` saying so. Keep a
  copy with the force's other secrets: a new key cannot tell a lost key from tampering,
  so the trail records a broken seal the first time it is written under the new key.

Each file is created on first use with mode 0600 and shared by every worker process
serving the workspace.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_KEY_ENV = "RELOOK_SECRET_KEY"
AUDIT_KEY_ENV = "RELOOK_AUDIT_KEY"
SECRET_KEY_FILE = "secret.key"
AUDIT_KEY_FILE = "audit.key"


def load_secret_key(workspace_root: Path) -> str:
    return _load_or_create(workspace_root / SECRET_KEY_FILE, SECRET_KEY_ENV)


def load_audit_key(workspace_root: Path) -> bytes:
    return _load_or_create(workspace_root / AUDIT_KEY_FILE, AUDIT_KEY_ENV).encode("utf-8")


def _load_or_create(path: Path, env: str) -> str:
    configured = os.environ.get(env, "").strip()
    if configured:
        return configured
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole to a private file, then linked into place: a worker that loses the
    # race to create the key reads the winner's complete key, never a half-written one.
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text(encoding="utf-8").strip()
