"""Offending networks: a few offenders who exploit several children over several years.

A network shows up as several cases that share suspects (written differently each time),
victims, vehicles, phones, hotels and takeaways. Some of what joins them is recorded in
the structured tables of one case only; some (`hidden_*`) is never recorded anywhere and
appears only in free text, so that finding the network takes lead extraction too.
"""

from __future__ import annotations

from datetime import date, timedelta

from relook.synth import casework
from relook.synth.casework import choose
from relook.synth.codes import between_ints, offence_for_child, pick
from relook.synth.dates import LAST_REPORT, age_on, between
from relook.synth.identifiers import new_postcode
from relook.synth.model import Case, Network, Person, Place, Vehicle
from relook.synth.places import draw_address, draw_area
from relook.synth.timeline import (
    Outcome,
    charged_outcome,
    draw_offence_period,
    nfa_outcome,
    open_outcome,
)
from relook.synth.vehicles import draw_vehicle
from relook.synth.world import World

CASES_PER_NETWORK = (3, 12)
OFFENDERS_PER_NETWORK = (3, 12)
VICTIMS_PER_NETWORK = (2, 8)

_SETTINGS: dict[str | None, int] = {
    "hotel": 30, "vehicle": 25, "private_address": 28, "street": 10, "other": 4, None: 3,
}  # fmt: skip
_RELATIONSHIPS: dict[str | None, int] = {
    "acquaintance": 45, "unknown": 25, "stranger": 15, "partner": 10, None: 5,
}  # fmt: skip
_SUSPECTS_PER_CASE: dict[int, int] = {2: 40, 3: 30, 4: 20, 5: 10}


def network_count(n_cases: int) -> int:
    """About one network per 180 cases (50 for 9,000); none in a tiny force."""
    return 0 if n_cases < 20 else max(1, round(n_cases / 180))


def build_network(world: World, number: int) -> Network:
    """The network's people, places and identifiers, before any case is recorded."""
    rng = world.rng
    start = between(rng, date(2008, 1, 1), date(2022, 6, 30))
    end = min(start + timedelta(days=between_ints(rng, 365, 6 * 365)), LAST_REPORT)
    n_offenders = between_ints(rng, *OFFENDERS_PER_NETWORK)
    offenders = [_new_offender(world, start) for _ in range(n_offenders)]
    if not any(o.vehicles for o in offenders):
        world.people.give_vehicle(offenders[0])
    network = Network(
        network_id=f"NW{number:03d}",
        start=start,
        end=end,
        offenders=offenders,
        victims=[],
        places=[
            world.places.new_place(pick(rng, ("hotel", "takeaway", "hotel", "restaurant")))
            for _ in range(between_ints(rng, 1, 3))
        ],
        hidden_vehicles=[draw_vehicle(rng, world.vrms) for _ in range(between_ints(rng, 1, 2))],
        hidden_phones=[
            phone
            for _ in range(between_ints(rng, 1, 2))
            if (phone := world.phones.mobile()) is not None
        ],
        hidden_places=[],
    )
    # A flat the children are taken to, never recorded in any structured table.
    flat = Place("", "private_address", draw_address(rng), new_postcode(rng))
    network.hidden_places.append(flat)
    for _ in range(between_ints(rng, *VICTIMS_PER_NETWORK)):
        network.victims.append(_new_victim(world, start))
    return network


def _new_offender(world: World, start: date) -> Person:
    rng = world.rng
    person = world.people.new(age=between_ints(rng, 19, 45), on=start)
    if rng.random() < 0.7:
        world.people.give_nominal(person)
    if rng.random() < 0.6:
        world.people.give_street_alias(person)
    for _ in range(pick(rng, (0, 1, 1, 1, 2))):
        world.people.give_mobile(person)
    if rng.random() < 0.45:
        world.people.give_vehicle(person)
    return person


def _new_victim(world: World, on: date) -> Person:
    rng = world.rng
    person = world.people.new(age=between_ints(rng, 11, 15), on=on)
    if rng.random() < 0.5:
        world.people.place_in_care(person, pick(rng, world.places.care_homes))
    return person


def network_cases(world: World, network: Network) -> list[Case]:
    """The investigations the network's offending gave rise to, oldest first."""
    rng = world.rng
    home_area = draw_area(rng)
    count = between_ints(rng, *CASES_PER_NETWORK)
    dates = sorted(between(rng, network.start, network.end) for _ in range(count))
    appearances: dict[str, int] = {}
    cases = [_network_case(world, network, day, home_area, appearances) for day in dates]
    _share_main_vehicle(world, network, cases)
    return cases


def _network_outcome(world: World, reported_on: date) -> Outcome:
    roll = world.rng.random()
    if roll < 0.08:
        return charged_outcome(world.rng, reported_on)
    if reported_on >= date(2024, 1, 1) and roll < 0.3:
        return open_outcome()
    return nfa_outcome(world.rng, reported_on)


def _network_case(
    world: World, network: Network, reported_on: date, home_area: str, appearances: dict[str, int]
) -> Case:
    rng = world.rng
    offence_from, offence_to = draw_offence_period(rng, reported_on)
    code, decided, by = _network_outcome(world, reported_on)
    case = Case(
        kind="network",
        reported_on=reported_on,
        offence_from=offence_from,
        offence_to=offence_to,
        offence_code="",
        cse_flag=choose(rng, {True: 75, False: 15, None: 10}),
        setting=choose(rng, _SETTINGS),
        outcome_code=code,
        outcome_on=decided,
        outcome_by=by,
        area=home_area if rng.random() < 0.8 else draw_area(rng),
        network=network,
    )
    victims = _case_victims(world, network, case, appearances)
    _case_suspects(world, network, case)
    _case_others(world, network, case)
    _case_vehicles_and_places(world, network, case)
    casework.maybe_enter_twice(rng, case)
    primary = victims[0]
    roll = rng.random()
    if roll < 0.35:
        case.offence_code = "71"
    elif roll < 0.40:
        case.offence_code = "72"
    elif roll < 0.50:
        case.offence_code = "88A"
    else:
        age = age_on(primary.dob, case.reference_date)
        case.offence_code = offence_for_child(rng, age, primary.sex)
    return case


def _case_victims(
    world: World, network: Network, case: Case, appearances: dict[str, int]
) -> list[Person]:
    """One or two of the network's victims who are still children; repeat victims are
    more likely to be named again."""
    rng = world.rng
    on = case.reference_date
    children = [v for v in network.victims if 10 <= age_on(v.dob, on) < 18]
    if not children:
        newcomer = _new_victim(world, on - timedelta(days=365 * 2))
        network.victims.append(newcomer)
        children = [newcomer]
    weights = [1 + 2 * appearances.get(v.person_id, 0) for v in children]
    chosen = casework.sample_weighted(rng, children, weights, 1 if rng.random() < 0.75 else 2)
    for victim in chosen:
        appearances[victim.person_id] = appearances.get(victim.person_id, 0) + 1
        casework.add_person(case, victim, "victim")
    return chosen


def _case_suspects(world: World, network: Network, case: Case) -> None:
    """Two or more offenders, the core of the network more often; sometimes an
    unidentified man as well."""
    rng = world.rng
    offenders = network.offenders
    wanted = min(choose(rng, _SUSPECTS_PER_CASE), len(offenders))
    weights = [4 if i < 3 else 1 for i in range(len(offenders))]
    for suspect in casework.sample_weighted(rng, offenders, weights, wanted):
        casework.add_person(case, suspect, "suspect", choose(rng, _RELATIONSHIPS))
    if rng.random() < 0.18:
        age = between_ints(rng, 18, 45)
        unknown = world.people.new_unidentified(age=age, on=case.reference_date)
        casework.add_unidentified(case, unknown, choose(rng, _RELATIONSHIPS))


def _case_others(world: World, network: Network, case: Case) -> None:
    """Associates (offenders not suspected this time), staff or parents who reported it."""
    rng = world.rng
    bystanders = [o for o in network.offenders if not casework.is_on(case, o)]
    if bystanders and rng.random() < 0.3:
        casework.add_person(case, pick(rng, bystanders), "associate")
    victim = case.involvements[0].person
    if rng.random() < 0.6:
        if victim.in_care_on(case.reference_date):
            reporter = world.people.new(age=between_ints(rng, 24, 60), on=case.reported_on)
        else:
            reporter = world.people.new(
                age=between_ints(rng, 30, 55), on=case.reported_on, surname=victim.surname,
                household=victim,
            )  # fmt: skip
        casework.add_person(case, reporter, "reporting_person")
    if rng.random() < 0.2:
        witness = world.people.new(age=between_ints(rng, 18, 60), on=case.reported_on)
        casework.add_person(case, witness, "witness")


def _case_vehicles_and_places(world: World, network: Network, case: Case) -> None:
    rng = world.rng
    for suspect in case.people("suspect"):
        for vehicle in suspect.vehicles:
            if rng.random() < 0.45:
                casework.use_vehicle(rng, case, vehicle, suspect)
    if network.places and rng.random() < 0.55:
        casework.use_place(case, pick(rng, network.places))
    suspects = [s for s in case.people("suspect") if s.identified]
    if suspects and rng.random() < 0.25:
        host = pick(rng, suspects)
        home = casework.home_of(host)
        if home is not None:
            casework.use_place(case, home, host)
    for victim in case.people("victim"):
        if victim.care_home is not None and rng.random() < 0.2:
            casework.use_place(case, victim.care_home, victim)


def _share_main_vehicle(world: World, network: Network, cases: list[Case]) -> None:
    """Make sure the network's first car is recorded on at least two of its cases: a
    shared registration mark is the classic thread between such investigations."""
    owner = next(o for o in network.offenders if o.vehicles)
    vehicle: Vehicle = owner.vehicles[0]
    using = [c for c in cases if any(u.vehicle is vehicle for u in c.vehicles)]
    for case in cases:
        if len(using) >= 2:
            break
        if case not in using:
            casework.use_vehicle(
                world.rng, case, vehicle, owner if casework.is_on(case, owner) else None
            )
            using.append(case)
