"""relook: re-assess closed investigations of group-based child sexual exploitation."""

from relook.contract.mapping import Mapping, load_mapping
from relook.contract.schema import TABLES, Column, ColumnType, Table
from relook.engine.duckdb_engine import connect
from relook.errors import InputFileError, MappingError, RelookError
from relook.pipeline.ingest import IngestResult, TableCounts, ingest
from relook.version import __version__

__all__ = [
    "TABLES",
    "Column",
    "ColumnType",
    "IngestResult",
    "InputFileError",
    "Mapping",
    "MappingError",
    "RelookError",
    "Table",
    "TableCounts",
    "__version__",
    "connect",
    "ingest",
    "load_mapping",
]
