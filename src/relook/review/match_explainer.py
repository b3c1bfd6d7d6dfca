"""The resolver's own explanation of two records, for the person page.

`relook.pipeline.resolve.explain_pair` scores a pair with the model the last run used. It
needs the run's tables and creates working tables of its own, so it runs on a private
in-memory DuckDB that reads the workspace's analysis database through read-only views:
the web app never writes to (or locks) the file a new run replaces. The connection is
reused until the analysis database changes, and used by one request at a time.
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb

from relook.engine.duckdb_engine import sql_literal
from relook.pipeline.resolve import PairExplanation, explain_pair


class MatchExplainer:
    def __init__(self, analysis_db: Path) -> None:
        self.analysis_db = analysis_db
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: float | None = None

    @property
    def available(self) -> bool:
        return self.analysis_db.exists()

    def _connection(self) -> duckdb.DuckDBPyConnection:
        stamp = self.analysis_db.stat().st_mtime
        if self._con is None or stamp != self._stamp:
            if self._con is not None:
                self._con.close()
            con = duckdb.connect(":memory:")
            con.execute("SET threads = 1")
            con.execute(f"ATTACH {sql_literal(str(self.analysis_db))} AS analysis (READ_ONLY)")
            tables = con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'analysis'"
            ).fetchall()
            for (table,) in tables:
                con.execute(f'CREATE VIEW main."{table}" AS SELECT * FROM analysis."{table}"')
            self._con, self._stamp = con, stamp
        return self._con

    def explain(self, record_a: str, record_b: str) -> PairExplanation:
        """Raises KeyError when a record is not in the analysis database."""
        with self._lock:
            return explain_pair(self._connection(), record_a, record_b)

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
