"""Store tests run on SQLite and on PostgreSQL (see review_world.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from review_world import BACKENDS, World, cheap_password_hashing, fresh_store, world_for_session

from relook.store.engine import Store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with fresh_store(request.param, tmp_path) as fresh:
        yield fresh


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return world_for_session(tmp_path_factory)


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    with cheap_password_hashing():
        yield
