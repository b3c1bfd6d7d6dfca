"""Choosing identifiers to plant in free text: values that the structured records of the
case (or, for a missing episode, of every case the child is a victim in) never hold.

In a network case the plants come from the network: its offenders' names, street names,
phones and cars, its hotels, and identifiers it keeps hidden from every structured table.
Such a plant can point to another case of the network, which is what a reviewer hopes to
find. In a background case the plants are fresh values (a car nobody recorded) or the
name of a suspect from an earlier background case.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from relook.synth import noise
from relook.synth.codes import pick
from relook.synth.identifiers import new_postcode, render_phone, render_postcode, render_vrm
from relook.synth.model import Network, Person, Vehicle
from relook.synth.records import Recorded
from relook.synth.text import Planted
from relook.synth.vehicles import draw_vehicle
from relook.synth.world import World

KIND_WEIGHTS: dict[str, int] = {"vrm": 30, "phone": 22, "name": 26, "postcode": 12, "place": 10}


def _describe(vehicle: Vehicle) -> str:
    return f"{vehicle.colour.lower()} {vehicle.make} {vehicle.model}"


def _held(kind: str, canonical: str, recorded: Sequence[Recorded]) -> bool:
    return any(r.holds(kind, canonical) for r in recorded)


def written_person(rng: random.Random, person: Person) -> str:
    """How a person is named in free text: a street name or a (noisy) full name."""
    if person.aliases and rng.random() < 0.45:
        return pick(rng, person.aliases)
    forename = noise.written_forenames(rng, person).split()[0]
    return f"{forename} {noise.written_surname(rng, person)}"


class Planter:
    """Makes `Planted` identifiers for a piece of free text."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng

    def draw_kind(self) -> str:
        return self.rng.choices(tuple(KIND_WEIGHTS), weights=tuple(KIND_WEIGHTS.values()))[0]

    def from_network(
        self, network: Network, kind: str, recorded: Sequence[Recorded], exclude: Sequence[Person]
    ) -> Planted | None:
        """A network identifier that none of `recorded` holds, or None."""
        rng = self.rng
        if kind == "vrm":
            vehicles = [v for o in network.offenders for v in o.vehicles]
            vehicles += network.hidden_vehicles
            options_v = [v for v in vehicles if not _held("vrm", v.vrm, recorded)]
            if not options_v:
                return None
            vehicle = pick(rng, options_v)
            return Planted("vrm", render_vrm(rng, vehicle.vrm), vehicle.vrm, _describe(vehicle))
        if kind == "phone":
            phones = [p for o in network.offenders for p in o.phones] + network.hidden_phones
            options = [p for p in phones if not _held("phone", p, recorded)]
            if not options:
                return None
            number = pick(rng, options)
            return Planted("phone", render_phone(rng, number), number)
        if kind == "name":
            people = [*network.offenders, *network.victims]
            options_p = [
                p
                for p in people
                if p.identified
                and not _held("name", p.person_id, recorded)
                and all(p is not e for e in exclude)
            ]
            if not options_p:
                return None
            person = pick(rng, options_p)
            return Planted("name", written_person(rng, person), person.person_id)
        if kind == "postcode":
            postcodes = [p.postcode for p in network.hidden_places]
            postcodes += [o.postcode for o in network.offenders if o.postcode]
            options = [p for p in postcodes if not _held("postcode", p, recorded)]
            if not options:
                return None
            postcode = pick(rng, options)
            return Planted("postcode", render_postcode(rng, postcode), postcode)
        options = [p.name for p in network.places if not _held("place", p.name, recorded)]
        if not options:
            return None
        name = pick(rng, options)
        return Planted("place", name, name)

    def fresh(
        self, kind: str, recorded: Sequence[Recorded], known: Sequence[Person] = ()
    ) -> Planted | None:
        """An identifier from outside any network: a car, phone or postcode nobody
        recorded, a public place, or the name of a suspect from an earlier case."""
        rng = self.rng
        world = self.world
        if kind == "vrm":
            vehicle = draw_vehicle(rng, world.vrms)
            return Planted("vrm", render_vrm(rng, vehicle.vrm), vehicle.vrm, _describe(vehicle))
        if kind == "phone":
            number = world.phones.mobile() if rng.random() < 0.5 else world.phones.landline()
            if number is None or _held("phone", number, recorded):
                return None
            return Planted("phone", render_phone(rng, number), number)
        if kind == "postcode":
            postcode = new_postcode(rng)
            if _held("postcode", postcode, recorded):
                return None
            return Planted("postcode", render_postcode(rng, postcode), postcode)
        if kind == "name":
            for _ in range(4):
                if not known:
                    return None
                person = known[rng.randrange(len(known))]
                if person.identified and not _held("name", person.person_id, recorded):
                    return Planted("name", written_person(rng, person), person.person_id)
            return None
        if rng.random() < 0.5:
            place = pick(rng, world.places.public_hubs)
        else:
            place = world.places.new_place(pick(rng, ("hotel", "takeaway")))
        if _held("place", place.name, recorded):
            return None
        return Planted("place", place.name, place.name)
