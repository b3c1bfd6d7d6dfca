"""The priority scoring rule set: signals with weights and caps, and band thresholds."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from relook.rules.loading import load_rule_set

SIGNAL_NAMES = (
    "suspect_later_cases", "suspect_in_other_in_scope", "in_network", "victim_still_child",
    "missing_after_closure", "victim_later_victim", "text_identifiers", "corroboration",
    "corroboration_leads", "shared_vehicle_or_phone", "episode_names_network",
    "victim_blaming_language", "victim_not_support_under_16", "closed_quickly",
)  # fmt: skip


class Signal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    group: Literal["extant_risk", "safeguarding", "lines_of_enquiry", "process"]
    weight: float = Field(ge=0)
    cap: int = Field(ge=1)


class Bands(BaseModel):
    model_config = ConfigDict(extra="forbid")
    urgent: float
    high: float
    standard: float

    @model_validator(mode="after")
    def _descending(self) -> Bands:
        if not self.urgent >= self.high >= self.standard:
            raise ValueError("band thresholds must satisfy urgent >= high >= standard")
        return self


class ScoringRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    signals: dict[str, Signal]
    closed_quickly_days: int = 7
    max_network_cases: int = Field(default=200, ge=1)
    bands: Bands

    @model_validator(mode="after")
    def _known_signals(self) -> ScoringRules:
        unknown = sorted(set(self.signals) - set(SIGNAL_NAMES))
        if unknown:
            raise ValueError(f"unknown signal {unknown[0]!r} (known: {', '.join(SIGNAL_NAMES)})")
        return self


def load_scoring(path: Path | None = None) -> ScoringRules:
    return load_rule_set(ScoringRules, "scoring", path)
