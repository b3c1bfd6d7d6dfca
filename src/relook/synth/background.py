"""Background cases: every other kind of investigation a force holds.

Each kind is a row of `KINDS`: who the victims and suspects are, how they relate, where
it happened. Several kinds are near misses for screening on purpose: `charged`, `open`
and `out_of_window` are group cases that fail one test each; `adult_victim`,
`single_suspect`, `intrafamilial`, `institutional` and `peer_on_peer` fail or are
excluded from the narrower definition for other reasons.

Links between background cases come only from people seen again: a suspect who offends
again later (in any role) and a child victimised again (`History`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

from relook.synth import casework
from relook.synth.casework import choose
from relook.synth.codes import between_ints, offence_for_adult, offence_for_child, pick
from relook.synth.dates import age_on
from relook.synth.model import Case, Person
from relook.synth.places import draw_area
from relook.synth.timeline import (
    Outcome,
    charged_outcome,
    draw_offence_period,
    draw_open_report_date,
    draw_report_date,
    nfa_outcome,
    open_outcome,
    out_of_window_case,
)
from relook.synth.world import World


@dataclass(frozen=True)
class KindSpec:
    """How one kind of background case is made."""

    share: float
    victim_ages: tuple[int, int]
    suspect_ages: tuple[int, int]
    suspect_counts: dict[int, int]
    relationships: dict[str | None, int]
    settings: dict[str | None, int]
    cse_rate: float
    unidentified_rate: float = 0.0
    in_care_rate: float = 0.08
    vehicle_rate: float = 0.0
    reuse: bool = True  # may name people from earlier cases again


_ADULT_RELATIONSHIPS: dict[str | None, int] = {
    "acquaintance": 45, "stranger": 20, "unknown": 25, "partner": 5, None: 5,
}  # fmt: skip
_GROUP_SETTINGS: dict[str | None, int] = {
    "hotel": 20, "vehicle": 20, "private_address": 30, "street": 15, "other": 10, None: 5,
}  # fmt: skip
_GROUP = KindSpec(
    share=0.14,
    victim_ages=(12, 17),
    suspect_ages=(18, 45),
    suspect_counts={2: 55, 3: 30, 4: 15},
    relationships=_ADULT_RELATIONSHIPS,
    settings=_GROUP_SETTINGS,
    cse_rate=0.5,
    unidentified_rate=0.2,
    vehicle_rate=0.3,
)

KINDS: dict[str, KindSpec] = {
    "group": _GROUP,
    "intrafamilial": KindSpec(
        share=0.16,
        victim_ages=(4, 15),
        suspect_ages=(16, 65),
        suspect_counts={1: 60, 2: 30, 3: 10},
        relationships={"family": 80, "carer": 20},
        settings={"family_home": 88, "private_address": 12},
        cse_rate=0.05,
        in_care_rate=0.0,
        reuse=False,
    ),
    "institutional": KindSpec(
        share=0.05,
        victim_ages=(8, 16),
        suspect_ages=(22, 60),
        suspect_counts={1: 60, 2: 30, 3: 10},
        relationships={"institution_staff": 1},
        settings={"institution": 90, "other": 10},
        cse_rate=0.1,
        in_care_rate=0.35,
        reuse=False,
    ),
    "peer_on_peer": KindSpec(
        share=0.10,
        victim_ages=(11, 16),
        suspect_ages=(12, 17),
        suspect_counts={1: 20, 2: 45, 3: 25, 4: 10},
        relationships={"peer": 80, "acquaintance": 20},
        settings={"street": 35, "private_address": 35, "other": 20, "online": 10},
        cse_rate=0.2,
        reuse=False,
    ),
    "single_suspect": KindSpec(
        share=0.20,
        victim_ages=(6, 17),
        suspect_ages=(18, 65),
        suspect_counts={1: 1},
        relationships=_ADULT_RELATIONSHIPS,
        settings={"private_address": 40, "street": 20, "vehicle": 15, "other": 15, None: 10},
        cse_rate=0.15,
        unidentified_rate=0.1,
        vehicle_rate=0.2,
    ),
    "adult_victim": KindSpec(
        share=0.10,
        victim_ages=(18, 40),
        suspect_ages=(18, 60),
        suspect_counts={1: 50, 2: 35, 3: 15},
        relationships=_ADULT_RELATIONSHIPS,
        settings={"private_address": 40, "street": 20, "hotel": 15, "vehicle": 15, "other": 10},
        cse_rate=0.0,
        unidentified_rate=0.15,
        in_care_rate=0.0,
        vehicle_rate=0.2,
    ),
    "charged": replace(_GROUP, share=0.07),
    "out_of_window": replace(_GROUP, share=0.05),
    "open": replace(_GROUP, share=0.06),
    "online": KindSpec(
        share=0.07,
        victim_ages=(11, 16),
        suspect_ages=(18, 50),
        suspect_counts={1: 45, 2: 40, 3: 15},
        relationships={"stranger": 50, "acquaintance": 25, "unknown": 25},
        settings={"online": 1},
        cse_rate=0.3,
        unidentified_rate=0.35,
    ),
}
"""Background kinds and their share of the cases that are not network cases."""


def allocate_kinds(rng: random.Random, count: int) -> list[str]:
    """Exactly `count` kinds in proportion to their shares (largest remainder), every kind
    present once there is room, in random order."""
    exact = {kind: spec.share * count for kind, spec in KINDS.items()}
    counts = {kind: int(value) for kind, value in exact.items()}
    if count >= len(KINDS):
        for kind in counts:
            counts[kind] = max(counts[kind], 1)
    by_remainder = sorted(KINDS, key=lambda k: (counts[k] - exact[k], k))
    i = 0
    while sum(counts.values()) < count:
        counts[by_remainder[i % len(by_remainder)]] += 1
        i += 1
    while sum(counts.values()) > count:
        largest = max(KINDS, key=lambda k: counts[k])
        counts[largest] -= 1
    kinds = [kind for kind in KINDS for _ in range(counts[kind])]
    rng.shuffle(kinds)
    return kinds


def _outcome_and_report(rng: random.Random, kind: str) -> tuple[date, Outcome]:
    if kind == "out_of_window":
        return out_of_window_case(rng)
    if kind == "open":
        return draw_open_report_date(rng), open_outcome()
    reported = draw_report_date(rng)
    if kind == "charged":
        return reported, charged_outcome(rng, reported)
    return reported, nfa_outcome(rng, reported)


def background_case(rng: random.Random, kind: str) -> Case:
    """The case row of a background case; its people come later, in date order."""
    spec = KINDS[kind]
    reported, (code, decided, by) = _outcome_and_report(rng, kind)
    offence_from, offence_to = draw_offence_period(rng, reported)
    cse: bool | None = True if rng.random() < spec.cse_rate else choose(rng, {False: 85, None: 15})
    return Case(
        kind=kind,
        reported_on=reported,
        offence_from=offence_from,
        offence_to=offence_to,
        offence_code="",
        cse_flag=cse,
        setting=choose(rng, spec.settings),
        outcome_code=code,
        outcome_on=decided,
        outcome_by=by,
        area=draw_area(rng),
    )


class History:
    """People named in earlier cases, so a later case can name them again."""

    REOFFEND_RATE = 0.05
    """Chance a background case's first suspect is somebody who was a suspect before."""
    REAPPEAR_RATE = 0.02
    """Chance an earlier suspect turns up again as a witness or associate."""
    REVICTIM_RATE = 0.04
    """Chance a background case's victim was a victim in an earlier case."""

    def __init__(self) -> None:
        self.suspects: list[Person] = []
        self.victims: list[Person] = []
        self._seen: set[str] = set()  # membership only: never iterated

    def record(self, case: Case) -> None:
        for inv in case.involvements:
            key = f"{inv.role}:{inv.person.person_id}"
            if inv.person.identified and key not in self._seen:
                self._seen.add(key)
                if inv.role == "suspect":
                    self.suspects.append(inv.person)
                elif inv.role == "victim":
                    self.victims.append(inv.person)

    @staticmethod
    def pick(
        rng: random.Random, pool: list[Person], case: Case, ages: tuple[int, int]
    ) -> Person | None:
        """Somebody from the pool of the right age and not already on the case."""
        if not pool:
            return None
        for _ in range(6):
            person = pool[rng.randrange(len(pool))]
            age = age_on(person.dob, case.reference_date)
            if ages[0] <= age <= ages[1] and not casework.is_on(case, person):
                return person
        return None


def populate(world: World, case: Case, history: History) -> None:
    """Put victims, suspects, others, vehicles and places on a background case."""
    spec = KINDS[case.kind]
    _add_victims(world, case, spec, history)
    _add_suspects(world, case, spec, history)
    _add_others(world, case, spec, history)
    _add_vehicles(world, case, spec)
    _add_places(world, case)
    casework.maybe_enter_twice(world.rng, case)
    case.offence_code = _offence_code(world.rng, case)


def _add_victims(world: World, case: Case, spec: KindSpec, history: History) -> None:
    rng = world.rng
    on = case.reference_date
    for _ in range(1 if rng.random() < 0.88 else 2):
        victim = None
        if spec.reuse and rng.random() < History.REVICTIM_RATE:
            victim = History.pick(rng, history.victims, case, spec.victim_ages)
        if victim is None:
            victim = world.people.new(age=between_ints(rng, *spec.victim_ages), on=on)
            if age_on(victim.dob, on) < 16 and rng.random() < spec.in_care_rate:
                world.people.place_in_care(victim, pick(rng, world.places.care_homes))
        casework.add_person(case, victim, "victim")


def _add_suspects(world: World, case: Case, spec: KindSpec, history: History) -> None:
    rng = world.rng
    on = case.reference_date
    victim = case.involvements[0].person
    for slot in range(choose(rng, spec.suspect_counts)):
        relationship = choose(rng, spec.relationships)
        if slot == 0 and spec.reuse and rng.random() < History.REOFFEND_RATE:
            again = History.pick(rng, history.suspects, case, spec.suspect_ages)
            if again is not None:
                casework.add_person(case, again, "suspect", relationship)
                continue
        if rng.random() < spec.unidentified_rate and (slot > 0 or spec.suspect_counts == {1: 1}):
            age = between_ints(rng, *spec.suspect_ages)
            unknown = world.people.new_unidentified(age=age, on=on)
            casework.add_unidentified(case, unknown, relationship)
            continue
        age = between_ints(rng, *spec.suspect_ages)
        if relationship == "family":
            # Relatives share the child's household, so their records look alike.
            same_home = rng.random() < 0.7 and victim.care_home is None
            suspect = world.people.new(
                age=age, on=on, surname=victim.surname if rng.random() < 0.75 else None,
                household=victim if same_home else None,
            )  # fmt: skip
        else:
            suspect = world.people.new(age=age, on=on)
        casework.add_person(case, suspect, "suspect", relationship)


def _add_others(world: World, case: Case, spec: KindSpec, history: History) -> None:
    rng = world.rng
    victim = case.involvements[0].person
    if rng.random() < 0.55:
        if victim.in_care_on(case.reference_date) or age_on(victim.dob, case.reported_on) >= 18:
            reporter = world.people.new(age=between_ints(rng, 24, 60), on=case.reported_on)
        else:
            reporter = world.people.new(
                age=between_ints(rng, 28, 55), on=case.reported_on, surname=victim.surname,
                household=victim,
            )  # fmt: skip
        casework.add_person(case, reporter, "reporting_person")
    for _ in range(choose(rng, {0: 50, 1: 35, 2: 15})):
        witness = world.people.new(age=between_ints(rng, 14, 60), on=case.reported_on)
        casework.add_person(case, witness, "witness")
    if spec.reuse and rng.random() < History.REAPPEAR_RATE:
        seen = History.pick(rng, history.suspects, case, (16, 90))
        if seen is not None:
            casework.add_person(case, seen, choose(rng, {"witness": 1, "associate": 2}))


def _add_vehicles(world: World, case: Case, spec: KindSpec) -> None:
    rng = world.rng
    if rng.random() >= spec.vehicle_rate:
        return
    suspects = [s for s in case.people("suspect") if s.identified]
    if not suspects:
        return
    owner = pick(rng, suspects)
    vehicle = owner.vehicles[0] if owner.vehicles else world.people.give_vehicle(owner)
    casework.use_vehicle(rng, case, vehicle, owner, partial=rng.random() < 0.04)


def _add_places(world: World, case: Case) -> None:
    rng = world.rng
    suspects = [s for s in case.people("suspect") if s.identified]
    at_home = 0.6 if case.setting == "private_address" else 0.2
    if suspects and rng.random() < at_home:
        host = pick(rng, suspects)
        home = casework.home_of(host)
        if home is not None:
            casework.use_place(case, home, host)
    if rng.random() < 0.08:
        casework.use_place(case, pick(rng, world.places.public_hubs))
    if case.setting == "hotel" and rng.random() < 0.5:
        casework.use_place(case, world.places.new_place("hotel"))
    for victim in case.people("victim"):
        if victim.in_care_on(case.reference_date) and rng.random() < 0.3:
            assert victim.care_home is not None
            casework.use_place(case, victim.care_home, victim)


def _offence_code(rng: random.Random, case: Case) -> str:
    victim = case.involvements[0].person
    age = age_on(victim.dob, case.reference_date)
    if case.kind == "adult_victim":
        return offence_for_adult(rng, victim.sex)
    special = {
        "intrafamilial": ("23", 0.4),
        "institutional": ("73", 0.4),
        "online": ("88A", 0.5),
        "group": ("71", 0.35),
        "charged": ("71", 0.35),
        "open": ("71", 0.35),
        "out_of_window": ("71", 0.35),
        "single_suspect": ("71", 0.1),
    }.get(case.kind)
    if special is not None and rng.random() < special[1]:
        return special[0]
    return offence_for_child(rng, age, victim.sex)
