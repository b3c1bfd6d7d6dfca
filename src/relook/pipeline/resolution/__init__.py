"""Entity resolution: people mentions and missing episodes → persons (Splink on DuckDB).

The public entry points are re-exported by `relook.pipeline.resolve`.
"""
