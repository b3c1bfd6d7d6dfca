"""The resolver's own explanation of two records, for the person page.

`relook.pipeline.resolve.explain_pair` scores a pair with the model the last run used. It
needs the run's tables and creates working tables of its own, so it runs on a private
in-memory DuckDB that reads the analysis database of the run the page shows (each run
keeps its own, `W/runs/<run_id>/analysis.duckdb`) through read-only views: the web app
never writes to (or locks) a run's file. The connection is reused while the same run's
database is asked about, and used by one request at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import duckdb

from relook.engine.duckdb_engine import sql_literal
from relook.pipeline.resolve import PairExplanation, explain_pair


class MatchExplainer:
    def __init__(self, analysis_db_of: Callable[[str], Path]) -> None:
        """`analysis_db_of(run_id)` is where that run's analysis database is."""
        self.analysis_db_of = analysis_db_of
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._key: tuple[Path, float] | None = None

    def available(self, run_id: str) -> bool:
        return self.analysis_db_of(run_id).exists()

    def _connection(self, run_id: str) -> duckdb.DuckDBPyConnection:
        path = self.analysis_db_of(run_id)
        key = (path, path.stat().st_mtime)
        if self._con is None or key != self._key:
            if self._con is not None:
                self._con.close()
            con = duckdb.connect(":memory:")
            con.execute("SET threads = 1")
            con.execute(f"ATTACH {sql_literal(str(path))} AS analysis (READ_ONLY)")
            tables = con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'analysis'"
            ).fetchall()
            for (table,) in tables:
                con.execute(f'CREATE VIEW main."{table}" AS SELECT * FROM analysis."{table}"')
            self._con, self._key = con, key
        return self._con

    def explain(self, run_id: str, record_a: str, record_b: str) -> PairExplanation:
        """Raises KeyError when a record is not in that run's analysis database."""
        with self._lock:
            return explain_pair(self._connection(run_id), record_a, record_b)

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
