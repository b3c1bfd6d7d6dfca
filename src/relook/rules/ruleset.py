"""The rules of one run: scope, lexicon, scoring and leads, with their versions and one digest.

A version label is what a person changed on purpose; the digest is what the rules say.
Both are recorded with every run, and the digest goes into the run's id, so moving the
scope window without touching `version:` still makes a different run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from relook.digests import content_digest
from relook.rules.leads import LeadRules, load_lead_rules
from relook.rules.lexicon import Lexicon, load_lexicon
from relook.rules.scope import ScopeRules, load_scope
from relook.rules.scoring import ScoringRules, load_scoring


@dataclass(frozen=True)
class RuleSet:
    scope: ScopeRules
    lexicon: Lexicon
    scoring: ScoringRules
    leads: LeadRules

    @property
    def versions(self) -> dict[str, str]:
        return {
            "scope": self.scope.version,
            "lexicon": self.lexicon.version,
            "scoring": self.scoring.version,
            "leads": self.leads.version,
        }

    @cached_property
    def digest(self) -> str:
        """sha256 of the loaded rules as canonical JSON (defaults and overrides merged)."""
        return content_digest(
            {
                "scope": self.scope.model_dump(mode="json"),
                "lexicon": self.lexicon.model_dump(mode="json"),
                "scoring": self.scoring.model_dump(mode="json"),
                "leads": self.leads.model_dump(mode="json"),
            }
        )


def load_rules(path: Path | None = None) -> RuleSet:
    """The shipped rules, with a force's rules file (if any) laid over each section."""
    return RuleSet(load_scope(path), load_lexicon(path), load_scoring(path), load_lead_rules(path))
