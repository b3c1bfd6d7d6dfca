"""Add normalised columns beside the values as recorded (the originals are never replaced).

Each normaliser is a Python function of one value; it is applied once per *distinct* value
and joined back in the engine, so the cost grows with the variety of values, not with the
number of rows, and the same plan translates to Spark as a small broadcast join.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from relook.engine.duckdb_engine import arrow_view, quote_ident
from relook.engine.sql import column_values
from relook.normalise.names import fold_name, split_aliases
from relook.normalise.phones import to_e164
from relook.normalise.postcodes import is_uk_postcode, normalise_postcode_text
from relook.normalise.vrm import normalise_vrm


@dataclass(frozen=True)
class Derived:
    source: str
    target: str
    function: Callable[[str], Any]
    sql_type: str = "VARCHAR"
    arrow_type: pa.DataType = pa.string()  # noqa: RUF009 - immutable arrow type instance


def _vrm_canonical(raw: str) -> str | None:
    vrm = normalise_vrm(raw)
    return vrm.canonical if vrm else None


def _vrm_format(raw: str) -> str | None:
    vrm = normalise_vrm(raw)
    return str(vrm.format) if vrm else None


# `postcode_norm` holds every recorded postcode (UK ones canonical, others as written in
# upper case with single spaces); `postcode_uk` says which kind it is, so that a stage that
# needs a UK postcode's district or sector can tell, and the quality audit can count the
# others as recorded but not understood.
POSTCODE_COLUMNS = (
    Derived("postcode", "postcode_norm", normalise_postcode_text),
    Derived("postcode", "postcode_uk", is_uk_postcode, "BOOLEAN", pa.bool_()),
)

NAME_COLUMNS = (
    Derived("forenames", "forenames_folded", fold_name),
    Derived("surname", "surname_folded", fold_name),
    Derived("care_setting", "care_setting_folded", fold_name),
)

DERIVED: dict[str, tuple[Derived, ...]] = {
    "people": (
        *NAME_COLUMNS,
        Derived("aliases", "aliases_folded", split_aliases, "VARCHAR[]", pa.list_(pa.string())),
        *POSTCODE_COLUMNS,
        Derived("phone", "phone_e164", to_e164),
    ),
    "missing_episodes": NAME_COLUMNS,
    "vehicles": (
        Derived("vrm", "vrm_canonical", _vrm_canonical),
        Derived("vrm", "vrm_format", _vrm_format),
    ),
    "locations": (
        Derived("name", "name_folded", fold_name),
        *POSTCODE_COLUMNS,
    ),
    "cases": (),
    "notes": (),
}


def add_derived_column(con: duckdb.DuckDBPyConnection, table: str, derived: Derived) -> None:
    source, target = quote_ident(derived.source), quote_ident(derived.target)
    values = column_values(
        con, f"SELECT DISTINCT {source} FROM {table} WHERE {source} IS NOT NULL ORDER BY 1"
    )
    lookup = pa.table(
        {
            "value": pa.array(values, type=pa.string()),
            "result": pa.array([derived.function(v) for v in values], type=derived.arrow_type),
        }
    )
    con.execute(f"ALTER TABLE {table} ADD COLUMN {target} {derived.sql_type}")
    with arrow_view(con, "_lookup", lookup):
        con.execute(
            f"UPDATE {table} SET {target} = _lookup.result FROM _lookup"
            f" WHERE {table}.{source} = _lookup.value"
        )


def normalise_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    for derived in DERIVED.get(table, ()):
        add_derived_column(con, table, derived)
