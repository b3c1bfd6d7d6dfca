"""What the browser tests share: where Chromium is, where screenshots go, the live site."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page
from review_world import PASSWORD

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


def signed_in(browser: Browser, site: LiveSite, username: str, width: int = 1400) -> Page:
    """A new browser context signed in as `username`, on its home page."""
    page = browser.new_context(viewport={"width": width, "height": 1000}).new_page()
    page.goto(f"{site.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: not url.endswith("/login"))
    return page
