"""SQL that stages share and that another engine would spell differently, in one place.

Written for DuckDB; each function notes the Spark SQL equivalent, so that moving the
stages to another engine means changing this module rather than every query.
"""

from __future__ import annotations

from relook.engine.duckdb_engine import sql_literal


def distinct_joined(expr: str, separator: str) -> str:
    """The distinct non-null values of `expr` in a group, sorted, joined by `separator`.

    Spark: `array_join(array_sort(collect_set(expr)), separator)`.
    """
    return f"string_agg(DISTINCT {expr}, {sql_literal(separator)} ORDER BY {expr})"
