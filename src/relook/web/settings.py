"""How the web application is configured."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from relook.security.keys import load_audit_key, load_secret_key
from relook.store.engine import store_url_for
from relook.web.concurrency import DEFAULT_PAGE_THREADS

SECURE_COOKIES_ENV = "RELOOK_SECURE_COOKIES"
PAGE_THREADS_ENV = "RELOOK_PAGE_THREADS"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

log = logging.getLogger("relook.web")


@dataclass(frozen=True)
class WebSettings:
    workspace: Path
    store_url: str
    secret_key: str
    secure_cookies: bool
    """Mark cookies `Secure` (sent over HTTPS only). Off only for plain-http localhost."""
    page_threads: int = DEFAULT_PAGE_THREADS
    """Page requests each worker process handles at once (`relook.web.concurrency`)."""
    audit_key: bytes | None = field(default=None, repr=False)
    """Seals the audit trail (`relook.security.keys`); needed to open the store."""

    @classmethod
    def for_workspace(
        cls, workspace: Path, *, host: str = "127.0.0.1", secure_cookies: bool | None = None
    ) -> WebSettings:
        """Defaults: the workspace's store, its secret key, and Secure cookies unless the
        server listens on the loopback interface only (plain http on this machine)."""
        if secure_cookies is None:
            configured = os.environ.get(SECURE_COOKIES_ENV, "").strip().lower()
            if configured in ("1", "true", "yes", "on"):
                secure_cookies = True
            elif configured in ("0", "false", "no", "off"):
                secure_cookies = False
            else:
                secure_cookies = host not in LOOPBACK_HOSTS
        threads = os.environ.get(PAGE_THREADS_ENV, "").strip()
        if threads and not (threads.isdigit() and int(threads) > 0):
            log.warning(
                "%s=%r is not a whole number above 0: using %d page threads",
                PAGE_THREADS_ENV, threads, DEFAULT_PAGE_THREADS,
            )  # fmt: skip
        return cls(
            workspace=workspace,
            store_url=store_url_for(workspace),
            secret_key=load_secret_key(workspace),
            audit_key=load_audit_key(workspace),
            secure_cookies=secure_cookies,
            page_threads=int(threads)
            if threads.isdigit() and int(threads) > 0
            else DEFAULT_PAGE_THREADS,
        )
