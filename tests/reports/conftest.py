"""Report tests: the session's small force (tests/store/review_world.py) in a fresh store
with one account per role."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from relook.security.policy import Role

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "store"))

from report_world import ReportWorld
from review_world import (
    BACKENDS,
    World,
    add_users,
    cheap_password_hashing,
    fresh_store,
    import_world,
    world_for_session,
)

USERS = {**{role.value: role for role in Role}, "supervisor2": Role.SUPERVISOR}


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return world_for_session(tmp_path_factory)


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    with cheap_password_hashing():
        yield


@pytest.fixture
def reports(world: World, tmp_path: Path) -> Iterator[ReportWorld]:
    """On SQLite: what is checked here is above the store."""
    with fresh_store("sqlite", tmp_path) as store:
        import_world(store, world)
        yield ReportWorld(store, world.run_id, add_users(store, USERS))


@pytest.fixture(params=BACKENDS)
def reports_on_each_backend(
    request: pytest.FixtureRequest, world: World, tmp_path: Path
) -> Iterator[ReportWorld]:
    with fresh_store(request.param, tmp_path) as store:
        import_world(store, world)
        yield ReportWorld(store, world.run_id, add_users(store, USERS))


@pytest.fixture
def world_workspace(world: World, tmp_path: Path) -> Path:
    """A copy of the world's workspace (its own store) for the commands to change."""
    copy = tmp_path / "workspace"
    shutil.copytree(world.workspace, copy)
    return copy
