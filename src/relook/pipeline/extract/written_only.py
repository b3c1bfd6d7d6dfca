"""Names and places written in free text that match no suspect and no known place.

A reviewer needs to know when a note names someone ("her friend Steven Ward had also been
taken to the address") or somewhere ("food was bought from Tasty Grill") that was never
entered as a suspect or a place. These finders are deliberately narrow, to keep precision:
- a person: two capitalised words where the first is a forename and the second a surname
  that occur somewhere in the dataset (so "Station Road" or "Victims Code" never match);
- a place: one to three capitalised words followed by a word that names a kind of place
  ("Hotel", "Grill", "Kebab House", "Car Park", …).
Values are `written:` and the folded text, so that the same name written in two notes is
one lead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from relook.normalise.names import fold_name

PLACE_WORDS = (
    "Hotel", "Inn", "Lodge", "Motel", "Grill", "Pizza", "Pizzas", "Kebab House", "Kebabs",
    "Kebab", "Cafe", "Café", "Diner", "Restaurant", "Takeaway", "Balti", "Chicken", "Fish Bar",
    "Chippy", "Car Park", "Park", "Shopping Centre", "Centre", "Market", "Bus Station",
    "Station", "Flats", "Lounge", "Shisha Lounge", "Bar", "Club", "Snooker Hall", "Garage",
    "Car Wash", "Retail Park", "Leisure Centre", "Arcade",
)  # fmt: skip
_CAP_WORD = r"[A-Z][A-Za-z'’&-]*"
_PLACE = re.compile(
    rf"\b(?:{_CAP_WORD} ){{1,3}}(?:{'|'.join(sorted(PLACE_WORDS, key=len, reverse=True))})\b"
)
_PERSON = re.compile(rf"\b({_CAP_WORD}) ({_CAP_WORD})\b")
_LEADING_ARTICLES = ("The ", "A ", "An ")


@dataclass(frozen=True)
class WrittenOnly:
    kind: str  # name or place
    value: str
    written: str
    start: int
    end: int


class WrittenOnlyFinder:
    def __init__(self, forenames: Iterable[str], surnames: Iterable[str]) -> None:
        self.forenames = frozenset(forenames)
        self.surnames = frozenset(surnames)

    def find(self, text: str) -> list[WrittenOnly]:
        found: list[WrittenOnly] = []
        for match in _PERSON.finditer(text):
            first, last = fold_name(match.group(1)), fold_name(match.group(2))
            if first in self.forenames and last in self.surnames:
                found.append(
                    WrittenOnly(
                        "name",
                        f"written:{first} {last}",
                        match.group(0),
                        match.start(),
                        match.end(),
                    )
                )
        for match in _PLACE.finditer(text):
            written, start = match.group(0), match.start()
            for article in _LEADING_ARTICLES:
                if written.startswith(article):
                    written, start = written[len(article) :], start + len(article)
            if " " in written:
                found.append(
                    WrittenOnly(
                        "place",
                        f"written:{fold_name(written)}",
                        written,
                        start,
                        start + len(written),
                    )
                )
        return found
