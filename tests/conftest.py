"""Shared fixtures: small hand-made datasets and an analysis-engine connection."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from relook.engine.duckdb_engine import connect

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def minimal_dir(tmp_path: Path) -> Path:
    """A copy of the minimal valid dataset that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(threads=1)
    yield connection
    connection.close()
