"""Browser tests: the real app under uvicorn on a free localhost port, driven in Debian's
Chromium by Playwright. Screenshots go to tests/browser/artifacts/ (not committed).

Set RELOOK_CHROMIUM to use another Chromium binary, or RELOOK_SKIP_BROWSER=1 to skip
these tests on a machine without one (they fail otherwise).
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
sys.path.insert(0, str(Path(__file__).parent))

from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, LiveSite
from playwright.sync_api import Browser, sync_playwright
from review_world import (
    World,
    add_users,
    cheap_password_hashing,
    fresh_store,
    import_world,
    world_for_session,
)

from relook.review import assignments
from relook.security.policy import Role
from relook.store.tables import run_cases
from relook.web.app import create_app
from relook.web.settings import WebSettings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return world_for_session(tmp_path_factory)


@pytest.fixture(scope="module")
def live_site(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    with cheap_password_hashing(), fresh_store("sqlite", tmp_path_factory.mktemp("live")) as store:
        import_world(store, world)
        users = add_users(
            store,
            {"reviewer": Role.REVIEWER, "supervisor": Role.SUPERVISOR,
             "supervisor2": Role.SUPERVISOR},
        )  # fmt: skip
        with store.read() as connection:
            case_id = connection.execute(
                run_cases.select()
                .with_only_columns(run_cases.c.case_id)
                .where(
                    run_cases.c.run_id == world.run_id,
                    run_cases.c.in_scope_wider.is_(True),
                    run_cases.c.network_id.is_not(None),
                )
                .order_by(run_cases.c.queue_rank)
                .limit(1)
            ).scalar_one()
        with store.write() as connection:
            assignments.assign(connection, world.run_id, [case_id], users["reviewer"].id,
                               by=users["supervisor"])  # fmt: skip
        settings = WebSettings(world.workspace, "unused", "browser-test-secret-" + "k" * 30, False)
        app = create_app(settings, store=store)
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail("the web server did not start")
            time.sleep(0.05)
        try:
            yield LiveSite(f"http://127.0.0.1:{port}", case_id, store)
        finally:
            server.should_exit = True
            thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if os.environ.get("RELOOK_SKIP_BROWSER") == "1":
        pytest.skip("RELOOK_SKIP_BROWSER=1")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install it (apt-get install chromium), set"
            " RELOOK_CHROMIUM, or set RELOOK_SKIP_BROWSER=1"
        )
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
