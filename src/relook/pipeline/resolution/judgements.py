"""Analyst judgements: which ones hold, and as a table the clustering can join.

Judgements are stored append-only elsewhere (the operational store); here they arrive in
the order they were made. For one pair of records the latest judgement wins, so an
analyst can undo a must-link with a later cannot-link and the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import duckdb
import pyarrow as pa

from relook.engine.duckdb_engine import create_table_from_arrow
from relook.pipeline.resolution.types import Judgement

JUDGEMENTS_TABLE = "_resolve_judgements"


def effective_judgements(judgements: Iterable[Judgement]) -> list[Judgement]:
    """The latest judgement for each pair, in a stable (pair) order."""
    latest: dict[tuple[str, str], Judgement] = {}
    for judgement in judgements:
        latest[judgement.pair] = judgement
    return [latest[pair] for pair in sorted(latest)]


def register_judgements(con: duckdb.DuckDBPyConnection, judgements: Sequence[Judgement]) -> None:
    """Write the effective judgements as a temporary table (record_id_l < record_id_r)."""
    pairs = [j.pair for j in judgements]
    table = pa.table(
        {
            "record_id_l": pa.array([left for left, _ in pairs], pa.string()),
            "record_id_r": pa.array([right for _, right in pairs], pa.string()),
            "kind": pa.array([j.kind for j in judgements], pa.string()),
        }
    )
    create_table_from_arrow(con, JUDGEMENTS_TABLE, table, temp=True)
