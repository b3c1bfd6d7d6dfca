"""Known names and places in free text, with one multi-pattern automaton (Aho-Corasick).

Terms are matched in lower case on word boundaries; each term carries the values it
stands for (a person_id, or a place key). A longer match wins over a shorter one inside
it ("Station Hotel Annex" over "Station Hotel"). A term marked `capitalised` (a one-word
nickname such as "Sunny") counts only where it is written with a capital letter, so that
the ordinary word ("a sunny day") is not taken for the person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick


@dataclass(frozen=True)
class NameHit:
    kind: str
    term: str
    values: tuple[str, ...]
    written: str
    start: int
    end: int


class NameMatcher:
    def __init__(
        self, terms: Iterable[tuple[str, str, str]], capitalised: Iterable[str] = ()
    ) -> None:
        """`terms`: (kind, lower-case term, value) triples; a term may carry many values."""
        grouped: dict[tuple[str, str], set[str]] = {}
        for kind, term, value in terms:
            term = " ".join(term.split())
            if term:
                grouped.setdefault((term, kind), set()).add(value)
        self._capitalised = frozenset(capitalised)
        self._automaton = ahocorasick.Automaton()
        by_term: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for (term, kind), values in sorted(grouped.items()):
            by_term.setdefault(term, []).append((kind, tuple(sorted(values))))
        for term, payload in by_term.items():
            self._automaton.add_word(term, (term, tuple(payload)))
        self.size = len(by_term)
        if self.size:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[NameHit]:
        if not self.size:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):  # a rare character whose lower case is longer
            lowered = "".join(ch.lower()[:1] or ch for ch in text)
        candidates: list[NameHit] = []
        for end_index, (term, payload) in self._automaton.iter(lowered):
            start, end = end_index - len(term) + 1, end_index + 1
            if not _on_word_boundaries(lowered, start, end):
                continue
            if term in self._capitalised and not text[start].isupper():
                continue
            for kind, values in payload:
                candidates.append(NameHit(kind, term, values, text[start:end], start, end))
        return _longest(candidates)


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whole words only: not inside a longer word ("Bluebell"), nor part of a hyphenated
    one ("Ace-high", "Dean Smith-Jones"); a possessive ("Blue's") is still the name."""
    before = text[start - 2 : start] if start > 0 else " "
    after = text[end : end + 2] if end < len(text) else " "
    return not (_joined(before[-1:], before[:-1]) or _joined(after[:1], after[1:]))


def _joined(edge: str, beyond: str) -> bool:
    if edge.isalnum():
        return True
    return edge == "-" and beyond.isalpha()


def _longest(hits: list[NameHit]) -> list[NameHit]:
    """Drop a hit lying inside a longer one (of any kind)."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[NameHit] = []
    for hit in hits:
        inside = any(k.start <= hit.start and hit.end <= k.end and k.term != hit.term for k in kept)
        if not inside:
            kept.append(hit)
    return kept
