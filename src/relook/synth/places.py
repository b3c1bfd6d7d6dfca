"""The geography of the fictional Northmoor force: areas, streets, addresses and named
places (hotels, takeaways, children's homes, busy public places).

Two kinds of place are shared on purpose:
- children's homes (`care_homes`): a small pool where many unrelated children live, so the
  home's name, address and postcode are "hub" values that must not link cases;
- busy public places (`public_hubs`: bus station, shopping-centre car park, a city-centre
  hotel...), recorded on many unrelated cases for the same reason.
A network's hotels and takeaways are its own: no other network or background case uses
them, so a shared one is real evidence of a link.
"""

from __future__ import annotations

import random

from relook.synth.codes import between_ints, pick
from relook.synth.identifiers import new_postcode
from relook.synth.model import Place


def _words(text: str) -> list[str]:
    """A word list written as a block of text, one name per word."""
    return text.split()


FORCE = "Northmoor Police"

AREAS: tuple[str, ...] = (
    "Northmoor Central", "Ashby Vale", "Eastfield", "Kirkgate", "Millbrook", "Southmoor",
)  # fmt: skip
_TOWNS: tuple[str, ...] = (
    "Northmoor", "Ashby", "Eastfield", "Kirkgate", "Millbrook", "Southmoor", "Thornley",
    "Hebble Bridge",
)  # fmt: skip

_STREETS = _words(
    """
Albert Victoria Station Church Mill Park High Queen King Chapel Bridge North South West East
Manor Grove Springfield Beech Oak Elm Ash Willow Cedar Holly Hawthorn Meadow Brook River Canal
Market Castle Abbey Priory Warwick Clarence Stanley Cromwell Nelson Wellington Belgrave Granby
Harehills Roundhay Fernbank Highfield Lowfield Moorside Hillside Woodside Westfield Greenhill
Ravenscliffe Thornhill Cliffe Carlton Ribble Airedale Calder Pennine
"""
)
_STREET_KINDS = ("Road", "Street", "Lane", "Avenue", "Close", "Terrace", "Grove", "Way", "Drive")

_HOTEL_WORDS = _words(
    """
Station Riverside Parkview Crown Kings Regent Victoria Northgate Canalside Majestic Royal
Imperial Grosvenor Albion Belmont Clarence Cavendish Windsor Beaumont Highfield Lakeside
Meadowbank Millbrook Ashby Kirkgate Moorland Pennine Bridge Central Westgate Eastgate Park
"""
)
_HOTEL_KINDS = ("Hotel", "Lodge", "Inn", "Guest House", "Motel")
_TAKEAWAY_WORDS = _words(
    """
Golden Lucky Express Best Tasty Sultan Dragon Happy Star Prince Mega Super Sunrise Jade
Palace Corner Village Zamzam Bengal Marco's Luigi's Chips Top Atlas
"""
)
_TAKEAWAY_KINDS = ("Pizza", "Kebab House", "Chinese", "Fish Bar", "Grill", "Chicken", "Balti")

_CARE_HOMES = (
    "Oakfield House", "Birchwood Lodge", "The Willows", "Meadowbank House", "Hollybush House",
    "Larch Court", "Elm Grove Children's Home", "Rosewood House", "Cedar View", "Ashdown Lodge",
    "Fernlea", "Beacon House",
)  # fmt: skip

_PUBLIC_HUBS: tuple[tuple[str, str], ...] = (
    ("Northmoor Bus Station", "other"),
    ("Millbrook Shopping Centre car park", "car_park"),
    ("Victoria Park", "park"),
    ("Northgate Retail Park", "car_park"),
    ("Central Travel Hotel", "hotel"),
    ("Kirkgate Market", "other"),
)


def draw_area(rng: random.Random) -> str:
    return pick(rng, AREAS)


def draw_address(rng: random.Random) -> str:
    """A residential address: house number, street, town; some are flats."""
    street = f"{pick(rng, _STREETS)} {pick(rng, _STREET_KINDS)}"
    town = pick(rng, _TOWNS)
    number = between_ints(rng, 1, 240)
    if rng.random() < 0.12:
        return f"Flat {between_ints(rng, 1, 24)}, {number} {street}, {town}"
    return f"{number} {street}, {town}"


def draw_street(rng: random.Random) -> str:
    return f"{pick(rng, _STREETS)} {pick(rng, _STREET_KINDS)}"


class PlaceRegistry:
    """Names places uniquely and hands out the shared hubs."""

    def __init__(self, rng: random.Random, n_cases: int) -> None:
        self._rng = rng
        self._used: set[str] = set()  # membership only: never iterated
        home_count = max(3, min(len(_CARE_HOMES), n_cases // 800))
        self.care_homes: list[Place] = [
            self._register(name, "children_home") for name in _CARE_HOMES[:home_count]
        ]
        self.public_hubs: list[Place] = [self._register(n, k) for n, k in _PUBLIC_HUBS]

    def _register(self, name: str, kind: str) -> Place:
        self._used.add(name)
        return Place(name, kind, draw_address(self._rng), new_postcode(self._rng))

    def new_place(self, kind: str) -> Place:
        """A place nobody else uses: a hotel, takeaway or restaurant with a fresh name."""
        for _ in range(50):
            name = self._draw_name(kind)
            if name not in self._used:
                return self._register(name, kind)
        # The name space is finite: fall back to a numbered branch, still unique.
        base = self._draw_name(kind)
        n = 2
        while f"{base} ({n})" in self._used:
            n += 1
        return self._register(f"{base} ({n})", kind)

    def _draw_name(self, kind: str) -> str:
        rng = self._rng
        if kind == "hotel":
            word, suffix = pick(rng, _HOTEL_WORDS), pick(rng, _HOTEL_KINDS)
            return f"The {word} {suffix}" if rng.random() < 0.3 else f"{word} {suffix}"
        if kind == "restaurant":
            return f"{pick(rng, _TAKEAWAY_WORDS)} {pick(rng, ('Restaurant', 'Cafe', 'Diner'))}"
        return f"{pick(rng, _TAKEAWAY_WORDS)} {pick(rng, _TAKEAWAY_KINDS)}"
