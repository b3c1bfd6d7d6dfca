"""The true facts of the synthetic world, before any of it is written down.

Everything here is the ground truth: the records in the output are noisy renderings of
these objects, and the truth files are computed from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from relook.synth.dates import ADULT_AGE, add_years


@dataclass(frozen=True)
class Place:
    """A named place (hotel, takeaway, children's home) or an address."""

    name: str
    kind: str
    address: str
    postcode: str


@dataclass(eq=False)
class Vehicle:
    vrm: str
    make: str
    model: str
    colour: str


@dataclass(eq=False)
class Person:
    """One true human being. `identified` is False for "male 2"-style suspects."""

    person_id: str
    forenames: str
    surname: str
    sex: str
    dob: date
    ethnicity: str
    nationality: str
    address: str | None = None
    postcode: str | None = None
    phones: list[str] = field(default_factory=list)
    nominal_id: str | None = None
    aliases: list[str] = field(default_factory=list)
    care_home: Place | None = None
    vehicles: list[Vehicle] = field(default_factory=list)
    identified: bool = True
    deceased: bool | None = None
    """Known to have died (True), recorded as alive (False), or not recorded (None)."""

    def in_care_on(self, day: date) -> bool:
        """Looked after while a child: in this world a child in care stays in care to 18."""
        return self.care_home is not None and day < add_years(self.dob, ADULT_AGE)


@dataclass(eq=False)
class Involvement:
    """A person's part in one case, as the truth knows it."""

    person: Person
    role: str
    relationship: str | None = None  # suspects only
    entered_twice: bool = False  # recorded as two mention rows
    label: str = ""  # "male 2" for an unidentified suspect


@dataclass(eq=False)
class VehicleUse:
    vehicle: Vehicle
    linked_to: Person | None
    context: str
    partial: bool = False  # only part of the mark was recorded


@dataclass(eq=False)
class PlaceUse:
    place: Place
    linked_to: Person | None


@dataclass(eq=False)
class Network:
    """A true offending network: offenders, their victims and what they share."""

    network_id: str
    start: date
    end: date
    offenders: list[Person]
    victims: list[Person]
    places: list[Place]
    hidden_vehicles: list[Vehicle]
    hidden_phones: list[str]
    hidden_places: list[Place]


@dataclass(eq=False)
class Case:
    """One investigation as it truly happened (and as its case row is recorded)."""

    kind: str
    reported_on: date
    offence_from: date | None
    offence_to: date | None
    offence_code: str
    cse_flag: bool | None
    setting: str | None
    outcome_code: int | None
    outcome_on: date | None
    outcome_by: str | None
    area: str
    network: Network | None = None
    involvements: list[Involvement] = field(default_factory=list)
    vehicles: list[VehicleUse] = field(default_factory=list)
    places: list[PlaceUse] = field(default_factory=list)
    case_id: str = ""
    previously_reviewed: bool | None = None
    """Reviewed under an earlier review (True), recorded as not (False), or blank (None)."""

    @property
    def reference_date(self) -> date:
        """The day ages are measured on: the first offence date, else the report date."""
        return self.offence_from or self.reported_on

    @property
    def decision_date(self) -> date:
        """The day the window is tested on: the outcome date, else the report date."""
        return self.outcome_on or self.reported_on

    def people(self, role: str) -> list[Person]:
        """Distinct true people in a role, in order of first appearance."""
        seen: dict[str, Person] = {}
        for inv in self.involvements:
            if inv.role == role:
                seen.setdefault(inv.person.person_id, inv.person)
        return list(seen.values())
