"""relook: re-assess closed investigations of group-based child sexual exploitation."""

from relook.contract.schema import TABLES, Column, ColumnType, Table

__version__ = "0.1.0"

__all__ = ["TABLES", "Column", "ColumnType", "Table", "__version__"]
