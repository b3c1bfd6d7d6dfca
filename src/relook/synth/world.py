"""Everything a story needs to create people, vehicles and places, in one object."""

from __future__ import annotations

import random
from dataclasses import dataclass

from relook.synth.identifiers import PhoneBook, VrmIssuer
from relook.synth.people import PersonFactory
from relook.synth.places import PlaceRegistry


@dataclass
class World:
    rng: random.Random
    people: PersonFactory
    places: PlaceRegistry
    phones: PhoneBook
    vrms: VrmIssuer

    @classmethod
    def create(cls, rng: random.Random, n_cases: int) -> World:
        phones = PhoneBook(rng)
        vrms = VrmIssuer(rng)
        places = PlaceRegistry(rng, n_cases)
        return cls(rng, PersonFactory(rng, phones, vrms), places, phones, vrms)
