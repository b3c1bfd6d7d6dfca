"""The public API is what `relook.__all__` names: changing it must be deliberate."""

from __future__ import annotations

import relook

PUBLIC_API = {
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
}


def test_public_api_is_pinned() -> None:
    assert set(relook.__all__) == PUBLIC_API
    for name in relook.__all__:
        assert hasattr(relook, name), name


def test_contract_tables_match_the_documented_contract() -> None:
    docs = (
        __import__("pathlib").Path(__file__).parents[1] / "docs" / "data-contract.md"
    ).read_text(encoding="utf-8")
    for table in relook.TABLES.values():
        assert f"### {table.name}" in docs
        for column in table.column_names:
            assert f"| {column} |" in docs, f"{table.name}.{column} is not documented"
