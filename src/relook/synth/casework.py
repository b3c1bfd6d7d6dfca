"""Small steps shared by every story: putting people, vehicles and places on a case."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import TypeVar

from relook.synth.codes import pick
from relook.synth.model import Case, Involvement, Person, Place, PlaceUse, Vehicle, VehicleUse

T = TypeVar("T")

VEHICLE_CONTEXTS = (
    "seen collecting the victim",
    "used to transport the victim",
    "seen outside the address",
    "registered keeper is a suspect",
    "stopped with the victim as a passenger",
    "seen in the car park",
    "identified from CCTV",
)

ENTERED_TWICE_RATE = 0.04
"""Share of cases where one person was entered as two mention rows."""


def choose(rng: random.Random, table: Mapping[T, int]) -> T:
    """One key of a {value: weight} table."""
    remaining = rng.random() * sum(table.values())
    last = None
    for value, weight in table.items():
        remaining -= weight
        last = value
        if remaining < 0:
            return value
    assert last is not None
    return last


def sample_weighted(
    rng: random.Random, items: Sequence[T], weights: Sequence[float], k: int
) -> list[T]:
    """k distinct items, each draw in proportion to the weights left."""
    pool = list(zip(items, weights, strict=True))
    chosen: list[T] = []
    while pool and len(chosen) < k:
        index = rng.choices(range(len(pool)), weights=[w for _, w in pool], k=1)[0]
        chosen.append(pool.pop(index)[0])
    return chosen


def add_person(case: Case, person: Person, role: str, relationship: str | None = None) -> None:
    case.involvements.append(Involvement(person, role, relationship))


def add_unidentified(case: Case, person: Person, relationship: str | None = None) -> None:
    """An unidentified suspect, labelled as officers do: "male 2" = the second suspect."""
    noun = {"M": "male", "F": "female"}.get(person.sex, "person")
    number = sum(1 for inv in case.involvements if inv.role == "suspect") + 1
    case.involvements.append(Involvement(person, "suspect", relationship, label=f"{noun} {number}"))


def is_on(case: Case, person: Person) -> bool:
    return any(inv.person is person for inv in case.involvements)


def maybe_enter_twice(rng: random.Random, case: Case) -> None:
    """Sometimes one identified suspect or victim is entered twice on the same case."""
    if rng.random() >= ENTERED_TWICE_RATE:
        return
    role = "suspect" if rng.random() < 0.7 else "victim"
    candidates = [i for i in case.involvements if i.role == role and i.person.identified]
    if candidates:
        pick(rng, candidates).entered_twice = True


def use_vehicle(
    rng: random.Random, case: Case, vehicle: Vehicle, owner: Person | None, partial: bool = False
) -> None:
    linked = owner if owner is not None and rng.random() < 0.7 else None
    case.vehicles.append(VehicleUse(vehicle, linked, pick(rng, VEHICLE_CONTEXTS), partial))


def use_place(case: Case, place: Place, linked_to: Person | None = None) -> None:
    if all(use.place != place for use in case.places):
        case.places.append(PlaceUse(place, linked_to))


def home_of(person: Person) -> Place | None:
    """A person's home address as a place, when they have one."""
    if person.address is None or person.postcode is None:
        return None
    return Place("", "private_address", person.address, person.postcode)
