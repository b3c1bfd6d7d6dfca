"""Where a protected person lives, found again in any spelling: addresses and postcodes.

A victim's parent reports the abuse from the victim's own home, the surname misspelt; a
note says "seen at 90 ash rd". Names alone miss both, so need to know also hides every
address and postcode a protected person has on record, wherever the page shows it, and
protects anyone recorded at one of them (`relook.review.visibility`).

An address is matched by its identifying part: the house number with the street
("90 Ash Road" in "Flat 2, 90 Ash Road, Leeds"), or, without a number, its first part
("Rose Cottage"); never by the town alone. Case, spacing, punctuation and the usual
abbreviations of street kinds ("Rd", "St", "Ave") do not matter. A postcode is matched
with any spacing and case ("LS1 4AB", "ls14ab").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

ADDRESS_WITHHELD = "[address withheld]"
POSTCODE_WITHHELD = "[postcode withheld]"

STREET_KINDS: dict[str, tuple[str, ...]] = {
    "road": ("road", "rd"),
    "street": ("street", "st"),
    "avenue": ("avenue", "ave", "av"),
    "lane": ("lane", "ln"),
    "close": ("close", "cl"),
    "drive": ("drive", "dr"),
    "crescent": ("crescent", "cres", "cresc"),
    "court": ("court", "ct"),
    "place": ("place", "pl"),
    "grove": ("grove", "gr", "gro"),
    "terrace": ("terrace", "terr", "ter"),
    "gardens": ("gardens", "gdns"),
    "square": ("square", "sq"),
    "park": ("park", "pk"),
    "way": ("way",),
    "walk": ("walk",),
    "row": ("row",),
    "mews": ("mews",),
    "hill": ("hill",),
}
_KIND_OF = {spelling: kind for kind, spellings in STREET_KINDS.items() for spelling in spellings}
_UNIT_WORDS = frozenset({"flat", "apartment", "apt", "unit", "room", "no"})
_TOKEN = re.compile(r"[^\W_]+")
_BETWEEN = r"[\W_]*"
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")


def _canonical(token: str) -> str:
    lowered = token.casefold()
    return _KIND_OF.get(lowered, lowered)


def postcode_key(postcode: str | None) -> str | None:
    """The postcode's letters and digits in capitals, if it reads as a UK postcode."""
    key = re.sub(r"[\W_]", "", postcode or "").upper()
    return key if _POSTCODE.match(key) else None


def address_key(address: str | None) -> tuple[str, ...] | None:
    """The identifying part of an address as canonical tokens, or None when it has none
    (a town alone, a bare flat number)."""
    segments = [_TOKEN.findall(part) for part in (address or "").split(",")]
    tokens = [(t, n) for n, segment in enumerate(segments) for t in segment]
    for i, (token, _segment) in enumerate(tokens[:-1]):
        street, segment = tokens[i + 1]
        if not any(c.isdigit() for c in token) or not street.isalpha():
            continue
        if street.casefold() in _UNIT_WORDS:
            continue
        # The street runs to its kind ("Road") or, without one, to the end of its part.
        end = next(
            (j for j in range(i + 2, len(tokens)) if tokens[j][0].casefold() in _KIND_OF),
            max(j for j, (_t, n) in enumerate(tokens) if n == segment),
        )
        return tuple(_canonical(t) for t, _n in tokens[i : end + 1])
    first = next((s for s in segments if s), [])
    words = [t for t in first if t.isalpha()]
    if len(words) >= 2 and first[0].casefold() not in _UNIT_WORDS:
        return tuple(_canonical(t) for t in first)
    return None


def _token_pattern(token: str) -> str:
    spellings = STREET_KINDS.get(token, (token,))
    return "(?:" + "|".join(re.escape(s) for s in spellings) + ")"


@functools.lru_cache(maxsize=4096)
def _pattern(addresses: tuple[tuple[str, ...], ...], postcodes: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = [_BETWEEN.join(_token_pattern(t) for t in key) for key in addresses]
    alternatives += [r"[\s.-]*".join(re.escape(c) for c in key) for key in postcodes]
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(alternatives)})(?![^\W_])", re.IGNORECASE)


class PlaceRedactor:
    """Finds and withholds the given addresses and postcodes, in any spelling."""

    def __init__(self, addresses: Iterable[str | None], postcodes: Iterable[str | None]) -> None:
        self.address_keys = frozenset(k for k in map(address_key, addresses) if k)
        self.postcode_keys = frozenset(k for k in map(postcode_key, postcodes) if k)
        self._pattern = (
            _pattern(tuple(sorted(self.address_keys, key=lambda k: (-len(k), k))),
                     tuple(sorted(self.postcode_keys)))
            if self.address_keys or self.postcode_keys
            else None
        )  # fmt: skip

    def holds_address(self, address: str | None) -> bool:
        """Whether `address` is (or contains) one of the addresses."""
        return bool(address) and (address_key(address) in self.address_keys or self.finds(address))

    def holds_postcode(self, postcode: str | None) -> bool:
        return postcode_key(postcode) in self.postcode_keys

    def finds(self, text: str | None) -> bool:
        return bool(self._pattern and text and self._pattern.search(text))

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(self._withheld, text)

    def ranges(self, text: str) -> list[tuple[int, int]]:
        """Where the places are in `text` (start, end)."""
        if self._pattern is None or not text:
            return []
        return [m.span() for m in self._pattern.finditer(text)]

    @staticmethod
    def _withheld(match: re.Match[str]) -> str:
        return POSTCODE_WITHHELD if postcode_key(match.group(0)) else ADDRESS_WITHHELD


NO_PLACES = PlaceRedactor((), ())
