"""Victims shown as "Victim A", "Victim B", … unless a reveal was asked for, with a reason.

Labels are per case, in a stable order (by mention id), so the same victim keeps the same
label on every visit. Victims' names also appear in free text (summaries, notes, missing
episode records); `Redactor` replaces them there too.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_NAME_LENGTH = 2
"""A one-letter part is an initial and names no one; a two-letter part ("Wu", "Li") is a
name like any other."""
SHORT_NAME_LENGTH = 3
"""Parts shorter than this ("Wu", "Al") are found in text only capitalised ("Wu", "WU"),
since in lower case they are ordinary words ("an", "al")."""


def label(index: int, kind: str = "Victim") -> str:
    """0 → "Victim A", 25 → "Victim Z", 26 → "Victim AA"; `kind` for other labels
    ("Protected person A")."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return f"{kind} {letters}"


@dataclass(frozen=True)
class VictimName:
    label: str
    names: tuple[str, ...]


def victim_labels(mention_ids: Sequence[str]) -> dict[str, str]:
    return {mention: label(i) for i, mention in enumerate(sorted(mention_ids))}


def name_parts(*values: str | None) -> tuple[str, ...]:
    parts: set[str] = set()
    for value in values:
        for part in re.split(r"[\s;,]+", value or ""):
            part = part.strip(".'\"()")
            if len(part) >= MIN_NAME_LENGTH:
                parts.add(part)
    return tuple(sorted(parts, key=lambda p: (-len(p), p)))


@functools.lru_cache(maxsize=8192)
def _repeated_label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    """One of `labels`, bracketed, said again after spaces on the same line."""
    alternatives = "|".join(re.escape(label) for label in labels)
    return re.compile(rf"\[({alternatives})\](?:[ \t]+\[\1\])+")


@functools.lru_cache(maxsize=8192)
def _names_pattern(alternatives: str) -> re.Pattern[str]:
    # One pattern per case, built on every visit to it: `re`'s own cache (512 entries)
    # is too small for thousands of cases, and compiling costs more than the page.
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _alternatives(parts: Iterable[str]) -> str:
    """Longer parts in any case; short ones capitalised or in capitals only."""
    ordered = sorted(parts, key=lambda p: (-len(p), p))
    long = "|".join(re.escape(p) for p in ordered if len(p) >= SHORT_NAME_LENGTH)
    short = [p for p in ordered if len(p) < SHORT_NAME_LENGTH]
    spelled = [
        re.escape(v)
        for p in short
        for v in dict.fromkeys((p[:1].upper() + p[1:].lower(), p.upper()))
    ]
    return "|".join(([f"(?i:{long})"] if long else []) + spelled)


class Redactor:
    """Replaces each victim's name parts in text with the victim's label."""

    def __init__(self, victims: Iterable[VictimName]) -> None:
        self._labels: dict[str, str] = {}
        for victim in victims:
            for part in victim.names:
                self._labels.setdefault(part.casefold(), victim.label)
        self._pattern: re.Pattern[str] | None = (
            _names_pattern(_alternatives(self._labels)) if self._labels else None
        )
        self._repeated = _repeated_label_pattern(
            tuple(sorted(set(self._labels.values()), key=lambda label: (-len(label), label)))
        )

    def _label_of(self, found: str) -> str:
        label = self._labels.get(found.casefold())
        if label is None:
            # Case-insensitive matching is wider than casefold(): "YILMAZ" matches
            # "Yılmaz" (dotless i) but folds differently, so look the part up again.
            label = next(
                (v for k, v in self._labels.items() if re.fullmatch(re.escape(k), found, re.I)),
                "Victim",
            )
        return label

    def finds(self, text: str | None) -> bool:
        """Whether `text` holds any of the names."""
        if self._pattern is None or not text:
            return False
        return self._pattern.search(text) is not None

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        labelled = self._pattern.sub(lambda m: f"[{self._label_of(m.group(0))}]", text)
        # A forename and surname are one person: "[Victim A] [Victim A]" reads as two.
        return self._repeated.sub(r"[\1]", labelled)

    def ranges(self, text: str) -> list[tuple[int, int]]:
        """Where the names are in `text` (start, end)."""
        if self._pattern is None or not text:
            return []
        return [m.span() for m in self._pattern.finditer(text)]

    @property
    def active(self) -> bool:
        return self._pattern is not None


NO_REDACTION = Redactor(())
