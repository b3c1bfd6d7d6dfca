"""Lead rules: when an identifier is too common to link, lead strength, the page size."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from relook.rules.loading import load_rule_set


class CommonRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_cases: int = Field(ge=1)
    max_persons: int = Field(ge=1)
    full_name_case_share: float = Field(ge=0, le=1)
    max_network_cases: int = Field(default=200, ge=1)


class EpisodeRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    probable_link: float = Field(ge=0, le=1)


class StrengthRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kinds: dict[str, int]
    identifiers: dict[str, int]
    per_extra_evidence: int
    max_extra_evidence: int
    recorded_elsewhere: int


class ContextRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str
    points: int
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value


class PageRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shown: int = Field(ge=1)


class LeadRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    common: CommonRules
    episodes: EpisodeRules
    strength: StrengthRules
    context: list[ContextRule]
    page: PageRules


def load_lead_rules(path: Path | None = None) -> LeadRules:
    """The shipped lead rules, with the `leads:` section of a rules file laid over them."""
    return load_rule_set(LeadRules, "leads", path)
