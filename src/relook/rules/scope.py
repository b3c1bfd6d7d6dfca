"""The screening rule set: models, the shipped defaults, and per-force overrides."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from relook.errors import RelookError


class Window(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: dt.date
    end: dt.date


class ExclusionRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    relationships: list[str] = Field(default_factory=list)
    settings: list[str] = Field(default_factory=list)


class PeerRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    all_suspects_under: int = 18


class Narrower(BaseModel):
    model_config = ConfigDict(extra="forbid")
    intrafamilial: ExclusionRule
    institutional: ExclusionRule
    peer_on_peer: PeerRule


class ScopeRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    window: Window
    child_age_limit: int = 18
    min_suspects: int = 2
    nfa_outcomes: list[int]
    child_offence_codes: list[str]
    adult_age_offence_codes: list[str]
    cse_flag_counts: bool = True
    narrower: Narrower

    @field_validator("child_offence_codes", "adult_age_offence_codes", mode="before")
    @classmethod
    def _codes_as_text(cls, value: Any) -> Any:
        return [str(v).strip().upper() for v in value] if isinstance(value, list) else value


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def default_scope_data() -> dict[str, Any]:
    text = resources.files("relook.rules").joinpath("scope.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def load_scope(path: Path | None = None) -> ScopeRules:
    """The default scope, with the `scope:` section of a rules file laid over it."""
    data = default_scope_data()
    if path is not None:
        try:
            override = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise RelookError(f"{path}: cannot be read as YAML ({exc})") from None
        if not isinstance(override, dict):
            raise RelookError(f"{path}: a rules file must be a mapping of sections")
        data = _merge(data, override.get("scope") or {})
    try:
        return ScopeRules.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RelookError(f"{path or 'default scope'}: scope.{where}: {first['msg']}") from None
