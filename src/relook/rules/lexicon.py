"""The language lexicon: victim-blaming phrases and the wording to suggest instead."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from relook.rules.loading import load_rule_set


class LexiconPhrase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str
    patterns: list[str] = Field(min_length=1)
    suggested: str


class Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    phrases: list[LexiconPhrase]
    negation_cues: list[str]
    negation_window: int = 4
    avoidance_cues: list[str]
    instruction_cues: list[str]


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The shipped lexicon, with the `lexicon:` section of a rules file laid over it."""
    return load_rule_set(Lexicon, "lexicon", path)
