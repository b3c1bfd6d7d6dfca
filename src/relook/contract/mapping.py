"""Mapping files: turn a force's own export into the data contract.

A mapping file is YAML, validated here. For each contract table it may say which files
hold it, rename columns, join several columns into one, fill a blank column from another
or from a constant, translate values and declare date formats.
See docs/mapping.md for the user-facing description and an example.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from relook.contract.schema import TABLES, ColumnType
from relook.errors import MappingError

ISO_DATE_FORMAT = "%Y-%m-%d"

_FRIENDLY_TOKENS = (
    ("yyyy", "%Y"),
    ("yy", "%y"),
    ("dd", "%d"),
    ("mm", "%m"),
    ("HH", "%H"),
    ("MM", "%M"),
    ("SS", "%S"),
)


def to_strptime(fmt: str) -> str:
    """Accept `dd/mm/yyyy HH:MM` style formats as well as strptime (`%d/%m/%Y`).

    Lower-case `mm` is the month and upper-case `MM` the minute, so that the common
    British export format `dd/mm/yyyy HH:MM` reads naturally.
    """
    if "%" in fmt:
        return fmt
    pattern = re.compile("|".join(token for token, _ in _FRIENDLY_TOKENS))
    table = dict(_FRIENDLY_TOKENS)
    converted = pattern.sub(lambda m: table[m.group(0)], fmt)
    if "%" not in converted:
        raise ValueError(f"date format {fmt!r} has no date parts (use e.g. dd/mm/yyyy)")
    return converted


class Combine(BaseModel):
    """Several of the export's columns joined into one contract column."""

    model_config = ConfigDict(extra="forbid")

    columns: list[str] = Field(min_length=1, description="their column names, in order")
    separator: str = " "


class TableMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    files: list[str] = Field(default_factory=list, description="glob patterns inside DATA")
    sheet: str | None = None
    columns: dict[str, str] = Field(default_factory=dict, description="their name -> contract")
    combine: dict[str, Combine] = Field(
        default_factory=dict, description="contract column -> their columns joined"
    )
    fallbacks: dict[str, str] = Field(
        default_factory=dict, description="contract column -> the column used where it is blank"
    )
    constants: dict[str, str] = Field(default_factory=dict)
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    date_formats: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("combine", mode="before")
    @classmethod
    def _list_is_space_joined(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: {"columns": v} if isinstance(v, list) else v for k, v in value.items()}
        return value

    @field_validator("files", mode="before")
    @classmethod
    def _one_or_many_files(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("date_formats", mode="before")
    @classmethod
    def _one_or_many_formats(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("constants", mode="before")
    @classmethod
    def _constants_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: _scalar_text(v) for k, v in value.items()}
        return value

    @field_validator("values", mode="before")
    @classmethod
    def _values_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                col: {_scalar_text(k): _scalar_text(v) for k, v in (table or {}).items()}
                for col, table in value.items()
            }
        return value


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    force: str | None = None
    date_formats: list[str] = Field(default_factory=list, description="defaults for all dates")
    tables: dict[str, TableMapping] = Field(default_factory=dict)

    @field_validator("date_formats", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def for_table(self, name: str) -> TableMapping:
        return self.tables.get(name, TableMapping())

    def formats_for(self, table: str, column: str) -> list[str]:
        """strptime formats to try for a date column: its own, then the defaults, then ISO."""
        own = self.for_table(table).date_formats.get(column, [])
        formats = [to_strptime(f) for f in [*own, *self.date_formats]]
        return [*formats, ISO_DATE_FORMAT] if ISO_DATE_FORMAT not in formats else formats


def _check_against_schema(mapping: Mapping) -> list[str]:
    problems: list[str] = []
    for table_name, table_map in mapping.tables.items():
        if table_name not in TABLES:
            problems.append(f"tables.{table_name}: not a contract table ({', '.join(TABLES)})")
            continue
        schema = TABLES[table_name]
        targets = [
            *table_map.columns.values(),
            *table_map.combine,
            *table_map.fallbacks,
            *table_map.constants,
            *table_map.values,
        ]
        for column in targets:
            if column.lower() not in schema.column_names:
                problems.append(f"tables.{table_name}: {column!r} is not a column of {table_name}")
        for column, formats in table_map.date_formats.items():
            col = column.lower()
            if col not in schema.column_names:
                problems.append(f"tables.{table_name}.date_formats: unknown column {column!r}")
            elif schema.column(col).type not in (
                ColumnType.DATE,
                ColumnType.DATETIME,
                ColumnType.PARTIAL_DATE,
            ):
                problems.append(f"tables.{table_name}.date_formats: {column!r} is not a date")
            for fmt in formats:
                try:
                    to_strptime(fmt)
                except ValueError as exc:
                    problems.append(f"tables.{table_name}.date_formats.{column}: {exc}")
    for fmt in mapping.date_formats:
        try:
            to_strptime(fmt)
        except ValueError as exc:
            problems.append(f"date_formats: {exc}")
    return problems


def _lower_keys(mapping: Mapping) -> Mapping:
    """Column names are case-insensitive everywhere, so compare them in lower case."""
    for table_map in mapping.tables.values():
        table_map.columns = {
            k.strip().lower(): v.strip().lower() for k, v in table_map.columns.items()
        }
        table_map.constants = {k.strip().lower(): v for k, v in table_map.constants.items()}
        table_map.combine = {
            k.strip().lower(): Combine(
                columns=[c.strip().lower() for c in v.columns], separator=v.separator
            )
            for k, v in table_map.combine.items()
        }
        table_map.fallbacks = {
            k.strip().lower(): v.strip().lower() for k, v in table_map.fallbacks.items()
        }
        table_map.values = {k.strip().lower(): v for k, v in table_map.values.items()}
        table_map.date_formats = {k.strip().lower(): v for k, v in table_map.date_formats.items()}
    return mapping


def load_mapping(path: Path | None) -> Mapping:
    """Read and validate a mapping file; no file means the export already is the contract."""
    if path is None:
        return Mapping()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise MappingError(f"{path}: is not UTF-8 text; save the mapping file as UTF-8") from None
    except yaml.YAMLError as exc:
        raise MappingError(f"{path}: is not valid YAML ({exc})") from None
    try:
        mapping = Mapping.model_validate(raw or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise MappingError(f"{path}: {where}: {first['msg']}") from None
    problems = _check_against_schema(_lower_keys(mapping))
    if problems:
        raise MappingError(f"{path}: {problems[0]}")
    return mapping
