"""The screening rule set: models, the shipped defaults, and per-force overrides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from relook.rules.loading import load_rule_set


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
    suspects_alive: bool = True
    """Apply the rule: at least `min_suspects` distinct suspects not recorded as deceased."""
    not_previously_reviewed: bool = True
    """Apply the rule: the case is not recorded as reviewed under an earlier review."""
    narrower: Narrower

    @field_validator("child_offence_codes", "adult_age_offence_codes", mode="before")
    @classmethod
    def _codes_as_text(cls, value: Any) -> Any:
        return [str(v).strip().upper() for v in value] if isinstance(value, list) else value


def load_scope(path: Path | None = None) -> ScopeRules:
    """The default scope, with the `scope:` section of a rules file laid over it."""
    return load_rule_set(ScopeRules, "scope", path)
