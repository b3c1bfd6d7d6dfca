"""Web tests: the app in-process (httpx ASGITransport), on SQLite and on PostgreSQL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "store"))

from review_world import (
    BACKENDS,
    World,
    add_users,
    cheap_password_hashing,
    fresh_store,
    import_world,
    world_for_session,
)
from web_site import USERS, Site


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return world_for_session(tmp_path_factory)


@pytest.fixture(scope="session")
def portal() -> Iterator[BlockingPortal]:
    with start_blocking_portal() as running:
        yield running


@pytest.fixture(params=BACKENDS)
def site(
    request: pytest.FixtureRequest, world: World, tmp_path: Path, portal: BlockingPortal
) -> Iterator[Site]:
    with fresh_store(request.param, tmp_path) as store:
        import_world(store, world)
        users = add_users(store, USERS)
        built = Site(store, world, users, portal, world.workspace)
        yield built
        for client in built.clients:
            client.close()


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    with cheap_password_hashing():
        yield
