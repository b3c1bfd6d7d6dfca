"""Readable explanations of a case's screening and priority reasons.

Both arrive as `;`-separated items: screening as `rule=verdict(value)` (e.g.
`group=pass(3 suspects)`), priority as `signal=value (+points: evidence)`. Known rules
and signals get a sentence; anything unknown is still shown, humanised, so a new rule
never disappears.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCREENING_RULES = {
    "window": "No-further-action decision within the review window",
    "child_victim": "A victim under 18 at the time of the offence",
    "sexual_offence": "A sexual offence against a child (or the CSE marker)",
    "group": "Two or more distinct suspects",
    "nfa": "A no-further-action outcome by police or CPS",
    "suspects_alive": "Two or more suspects believed alive",
    "not_previously_reviewed": "Not reviewed before under an earlier review",
    "narrower": "Not intra-familial, institutional or peer-on-peer (narrower definition)",
}

PRIORITY_SIGNALS = {
    # Extant risk
    "suspect_later_cases": "A suspect appears in later cases",
    "suspect_in_other_in_scope": "A suspect appears in other in-scope cases",
    "in_network": "The case is part of a cross-case network",
    # Safeguarding
    "victim_still_child": "A victim is still under 18 today",
    "missing_after_closure": "A victim went missing after the case was closed",
    "victim_later_victim": "A victim is a victim again in later cases",
    # Lines of enquiry
    "text_identifiers": "Identifiers in the notes that the case never recorded",
    "corroboration": "The same suspect named by victims of different cases",
    "corroboration_leads": "A suspect's recorded phone, vehicle or name written again in the"
    " case's records or the victim's missing episodes, never connected",
    "shared_vehicle_or_phone": "A vehicle or phone shared with other cases",
    "episode_names_network": "Missing-episode records mention people or vehicles of a network",
    # Process concerns
    "victim_blaming_language": "Victim-blaming language in the records",
    "victim_not_support_under_16": "Outcome 14/16 (victim does not support) for a victim under 16",
    "closed_quickly": "The investigation was closed within days of the report",
}

_ITEM = re.compile(r"^(?P<key>[^=]+)=(?P<verdict>[a-z_]+)(?:\((?P<value>.*)\))?$")
_SIGNAL_VALUE = re.compile(r"^(?P<value>[^ (]*)\s*\(\+(?P<points>[\d.]+):\s*(?P<evidence>.*)\)$")


@dataclass(frozen=True)
class Reason:
    key: str
    label: str
    verdict: str | None
    """`pass` / `fail` for screening rules; None for priority signals."""
    value: str
    points: float | None = None
    """For a priority signal: what it added to the score."""
    evidence: str = ""


def humanise(key: str) -> str:
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _items(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(";") if item.strip()]


def screening_reasons(text: str | None) -> list[Reason]:
    reasons = []
    for item in _items(text):
        match = _ITEM.match(item)
        if match:
            key = match["key"]
            reasons.append(
                Reason(key, SCREENING_RULES.get(key, humanise(key)), match["verdict"],
                       match["value"] or "")
            )  # fmt: skip
        else:
            reasons.append(Reason(item, humanise(item), None, ""))
    return reasons


def priority_reasons(text: str | None) -> list[Reason]:
    reasons = []
    for item in _items(text):
        key, _, value = item.partition("=")
        key, value = key.strip(), value.strip()
        label = PRIORITY_SIGNALS.get(key, humanise(key))
        match = _SIGNAL_VALUE.match(value)
        if match:
            reasons.append(
                Reason(key, label, None, match["value"], float(match["points"]), match["evidence"])
            )
        else:
            reasons.append(Reason(key, label, None, value))
    return reasons
