"""What the browser tests share: where Chromium is, where screenshots go, the live site."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from relook.store.engine import Store

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = os.environ.get("RELOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class LiveSite:
    url: str
    case_id: str
    """In scope, in a network, assigned to `reviewer`."""
    store: Store | None = None
    """The live site's store, for checking what it recorded."""
