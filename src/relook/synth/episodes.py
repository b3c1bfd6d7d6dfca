"""Missing-person episodes: a separate record system with no case key.

Children in care who are victims of a network go missing many times; other child victims
sometimes; and children who appear in no case at all go missing too (many from the same
children's homes, so a home's name is a hub, not evidence). An episode is tied to a case
only through the child's identity (name variants, date of birth). Where a child was found
and who with sometimes names a network's offender, car, phone, flat or hotel: these are
planted identifiers that none of the child's cases recorded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from relook.synth import noise
from relook.synth.codes import between_ints, pick
from relook.synth.dates import TODAY, add_years, age_on, between, iso_minute
from relook.synth.identifiers import render_phone, render_vrm
from relook.synth.model import Case, Network, Person
from relook.synth.noise import written_dob, written_name
from relook.synth.planting import Planter
from relook.synth.records import Recorded, Row
from relook.synth.text import Placed, Planted, TextBuilder
from relook.synth.world import World

_FOUND_WITH: dict[str, tuple[str, ...]] = {
    "vrm": ("Seen getting into a {detail}, {id}.", "Dropped off by a {detail} ({id})."),
    "phone": (
        "Had been in contact with {id} before going missing.",
        "Phone showed calls from {id}.",
    ),
    "name": ("Found with {id}.", "With an adult known as {id}."),
}
_FOUND_AT: dict[str, tuple[str, ...]] = {
    "postcode": ("Found by police at an address near {id}.", "Located in a car near {id}."),
    "place": ("Found at {id}.", "Located by staff at {id}."),
}
_GENERIC_WITH = (
    "Alone.",
    "With friends.",
    "With two older males, not identified.",
    "With a group of older youths.",
    "Not known.",
    "",
)
_GENERIC_AT = (
    "Returned of own accord.",
    "Found in the town centre by police.",
    "Located at a friend's address.",
    "Returned home.",
    "Found near the bus station.",
    "",
)
_EARLIEST_EPISODE = date(2008, 1, 1)


@dataclass
class Missing:
    """A child who goes missing, with what their cases recorded (for plant exclusion)."""

    person: Person
    network: Network | None = None
    recorded: list[Recorded] = field(default_factory=list)
    # Phones and cars that the child's cases recorded for their suspects: written in an
    # episode, they corroborate the case (kind, canonical, description).
    suspect_values: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Episode:
    person: Person
    missing_from: datetime
    row_tail: Row  # every column after episode_id
    placed: tuple[tuple[str, Placed], ...]  # (field, placed)


@dataclass
class EpisodeTables:
    rows: list[Row]
    persons_truth: list[Row]
    placed: list[tuple[str, str, Placed]]  # (episode_id, field, placed)


def _children_in_cases(cases: list[Case], recorded: dict[str, Recorded]) -> list[Missing]:
    found: dict[str, Missing] = {}
    for case in cases:
        for victim in case.people("victim"):
            if age_on(victim.dob, case.reference_date) >= 18:
                continue
            entry = found.setdefault(victim.person_id, Missing(victim))
            if case.network is not None:
                entry.network = case.network
            entry.recorded.append(recorded[case.case_id])
            entry.suspect_values += _suspect_values(case, recorded[case.case_id])
    # A child's episodes must avoid what every case naming them as a victim recorded,
    # even cases from when they were adults.
    for case in cases:
        for victim in case.people("victim"):
            entry_or_none = found.get(victim.person_id)
            if entry_or_none is not None and age_on(victim.dob, case.reference_date) >= 18:
                entry_or_none.recorded.append(recorded[case.case_id])
    return list(found.values())


def _suspect_values(case: Case, recorded: Recorded) -> list[tuple[str, str, str]]:
    values = [
        ("phone", phone, "")
        for suspect in case.people("suspect")
        for phone in suspect.phones
        if recorded.holds("phone", phone)
    ]
    suspects = case.people("suspect")
    values += [
        (
            "vrm",
            use.vehicle.vrm,
            f"{use.vehicle.colour.lower()} {use.vehicle.make} {use.vehicle.model}",
        )
        for use in case.vehicles
        if not use.partial
        and any(use.linked_to is s for s in suspects)
        and recorded.holds("vrm", use.vehicle.vrm)
    ]
    return values


# Share of a child's episodes that name a suspect's recorded phone or car, when it has one.
EPISODE_CORROBORATION_RATE = 0.12


def _episode_count(rng: random.Random, child: Missing) -> int:
    in_care = child.person.care_home is not None
    if child.network is not None:
        return between_ints(rng, 6, 25) if in_care else between_ints(rng, 0, 4)
    if in_care:
        return between_ints(rng, 3, 10)
    return between_ints(rng, 1, 2) if rng.random() < 0.08 else 0


class EpisodeWriter:
    def __init__(self, world: World, planter: Planter) -> None:
        self.world = world
        self.rng = world.rng
        self.planter = planter
        # Corroborations draw from their own stream, leaving every other value as it was.
        self.corroboration_rng = random.Random(f"episodes-{self.rng.getstate()[1][:8]}")

    def write(
        self, cases: list[Case], recorded: dict[str, Recorded], n_cases: int
    ) -> EpisodeTables:
        rng = self.rng
        episodes: list[Episode] = []
        for child in _children_in_cases(cases, recorded):
            for _ in range(noise.episode_count(rng, _episode_count(rng, child))):
                episode = self._episode(child)
                if episode is not None:
                    episodes.append(episode)
        for child in self._children_without_cases(max(3, n_cases // 12)):
            for _ in range(noise.episode_count(rng, between_ints(rng, 1, 6))):
                episode = self._episode(child)
                if episode is not None:
                    episodes.append(episode)
        return self._number(episodes)

    def _children_without_cases(self, count: int) -> list[Missing]:
        rng = self.rng
        children = []
        for _ in range(count):
            on = between(rng, date(2009, 1, 1), date(2025, 6, 30))
            child = self.world.people.new(age=between_ints(rng, 12, 16), on=on)
            if rng.random() < 0.5:
                self.world.people.place_in_care(child, pick(rng, self.world.places.care_homes))
            children.append(Missing(child))
        return children

    def _period(self, child: Missing) -> tuple[date, date] | None:
        dob = child.person.dob
        start = max(add_years(dob, 10), _EARLIEST_EPISODE)
        if child.network is not None:
            start = max(start, child.network.start - timedelta(days=365))
        end = min(add_years(dob, 18) - timedelta(days=1), TODAY - timedelta(days=5))
        return (start, end) if start <= end else None

    def _episode(self, child: Missing) -> Episode | None:
        rng = self.rng
        period = self._period(child)
        if period is None:
            return None
        person = child.person
        day = between(rng, *period)
        hour = between_ints(rng, 15, 23) if rng.random() < 0.8 else between_ints(rng, 0, 14)
        missing_from = datetime(day.year, day.month, day.day, hour, rng.randrange(60))
        returned = missing_from + timedelta(minutes=between_ints(rng, 2 * 60, 96 * 60))
        returned_at = None if rng.random() < 0.08 else min(returned, datetime(2026, 10, 31, 23, 0))
        forenames, surname = written_name(rng, person)
        dob, _ = written_dob(rng, person.dob, None, needs_age=False)
        dob = noise.episode_dob(rng, dob)
        home = ""
        if person.in_care_on(day) and rng.random() < 0.95:
            assert person.care_home is not None
            home = person.care_home.name
        found_at, found_with = TextBuilder(), TextBuilder()
        self._where_and_who(child, found_at, found_with)
        placed = tuple(("found_location", p) for p in found_at.placed) + tuple(
            ("found_with", p) for p in found_with.placed
        )
        tail = [forenames, surname, dob, home, iso_minute(missing_from), iso_minute(returned_at),
                found_at.text, found_with.text]  # fmt: skip
        return Episode(person, missing_from, tail, placed)

    def _where_and_who(
        self, child: Missing, found_at: TextBuilder, found_with: TextBuilder
    ) -> None:
        rng = self.rng
        planted: Planted | None = None
        if child.network is not None and rng.random() < 0.35:
            kind = pick(rng, ("vrm", "phone", "name", "name", "postcode", "place"))
            planted = self.planter.from_network(child.network, kind, child.recorded, [child.person])
        elif child.recorded and child.person.care_home is not None and rng.random() < 0.08:
            kind = pick(rng, ("vrm", "postcode"))
            planted = self.planter.fresh(kind, child.recorded)
        other = self.corroboration_rng
        if planted is None and child.suspect_values and other.random() < EPISODE_CORROBORATION_RATE:
            kind, canonical, detail = pick(other, child.suspect_values)
            render = render_phone if kind == "phone" else render_vrm
            planted = Planted(kind, render(other, canonical), canonical, detail, corroborates=True)
        if planted is not None and planted.kind in _FOUND_WITH:
            template = pick(rng, _FOUND_WITH[planted.kind])
            found_with.sentence(template, id=planted, detail=planted.detail or "car")
        elif planted is not None:
            found_at.sentence(pick(rng, _FOUND_AT[planted.kind]), id=planted)
        if found_with.empty:
            text = pick(rng, _GENERIC_WITH)
            if text:
                found_with.sentence(text)
        if found_at.empty:
            text = pick(rng, _GENERIC_AT)
            if text:
                found_at.sentence(text)

    @staticmethod
    def _number(episodes: list[Episode]) -> EpisodeTables:
        """Number episodes E000001... in order of when the child went missing."""
        ordered = sorted(enumerate(episodes), key=lambda item: (item[1].missing_from, item[0]))
        tables = EpisodeTables([], [], [])
        for number, (_, episode) in enumerate(ordered, start=1):
            episode_id = f"E{number:06d}"
            tables.rows.append([episode_id, *episode.row_tail])
            tables.persons_truth.append([episode_id, "episode", episode.person.person_id])
            for field_name, placed in episode.placed:
                tables.placed.append((episode_id, field_name, placed))
        return tables
