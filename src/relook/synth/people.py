"""Creating true people: identity, protected characteristics, contact details.

Every attribute that is a protected characteristic (sex, ethnicity, nationality) is drawn
here from one distribution, before and without knowing the role the person will play.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from relook.synth import codes, names
from relook.synth.dates import dob_for_age
from relook.synth.identifiers import PhoneBook, VrmIssuer, new_postcode
from relook.synth.model import Person, Place, Vehicle
from relook.synth.places import draw_address
from relook.synth.vehicles import draw_vehicle


@dataclass(frozen=True)
class PersonRates:
    """How often a new person has each kind of detail (the same for every role)."""

    middle_name: float = 0.25
    address: float = 0.88
    phone: float = 0.30
    mobile_share: float = 0.35
    nominal_id: float = 0.35
    familiar_alias: float = 0.20
    street_alias: float = 0.10


RATES = PersonRates()


class PersonFactory:
    """Makes people with unique person ids (`P0000001`...) and nominal ids."""

    def __init__(self, rng: random.Random, phones: PhoneBook, vrms: VrmIssuer) -> None:
        self._rng = rng
        self._phones = phones
        self._vrms = vrms
        self._count = 0
        self._nominals = 0
        self.people: list[Person] = []

    def _next_id(self) -> str:
        self._count += 1
        return f"P{self._count:07d}"

    def new(
        self,
        *,
        age: int,
        on: date,
        surname: str | None = None,
        household: Person | None = None,
    ) -> Person:
        """A new identified person who is `age` on `on`.

        `household` shares its address, postcode and landline (and usually its surname):
        family members of one household look alike in every record but their name and DOB.
        """
        rng = self._rng
        sex = codes.draw_sex(rng)
        forenames = names.draw_forename(rng, sex)
        if rng.random() < RATES.middle_name:
            forenames = f"{forenames} {names.draw_forename(rng, sex)}"
        person = Person(
            person_id=self._next_id(),
            forenames=forenames,
            surname=surname or names.draw_surname(rng),
            sex=sex,
            dob=dob_for_age(rng, age, on),
            ethnicity=codes.draw_ethnicity(rng),
            nationality=codes.draw_nationality(rng),
        )
        self._give_contact(person, household)
        self._give_aliases(person)
        if rng.random() < RATES.nominal_id:
            self.give_nominal(person)
        self.people.append(person)
        return person

    def new_unidentified(self, *, age: int, on: date) -> Person:
        """A suspect never identified: a distinct true person with no name at all."""
        rng = self._rng
        person = Person(
            person_id=self._next_id(),
            forenames="",
            surname="",
            sex=codes.draw_sex(rng),
            dob=dob_for_age(rng, age, on),
            ethnicity=codes.draw_ethnicity(rng),
            nationality=codes.draw_nationality(rng),
            identified=False,
        )
        self.people.append(person)
        return person

    def _give_contact(self, person: Person, household: Person | None) -> None:
        rng = self._rng
        if household is not None:
            person.address, person.postcode = household.address, household.postcode
            person.phones = [p for p in household.phones if not p.startswith("+447")]
            return
        if rng.random() < RATES.address:
            person.address, person.postcode = draw_address(rng), new_postcode(rng)
        if rng.random() < RATES.phone:
            mobile = rng.random() < RATES.mobile_share
            number = self._phones.mobile() if mobile else self._phones.landline()
            if number is not None:
                person.phones.append(number)

    def _give_aliases(self, person: Person) -> None:
        rng = self._rng
        familiar = names.familiar_forms(person.forenames.split()[0])
        if familiar and rng.random() < RATES.familiar_alias:
            person.aliases.append(codes.pick(rng, familiar))
        if rng.random() < RATES.street_alias:
            person.aliases.append(names.draw_street_alias(rng))

    def give_nominal(self, person: Person) -> None:
        if person.nominal_id is None:
            self._nominals += 1
            person.nominal_id = f"NM{self._nominals:06d}"

    def give_street_alias(self, person: Person) -> None:
        """A street name, ensured: network offenders are often known only by one."""
        if len(person.aliases) < 2:
            alias = names.draw_street_alias(self._rng)
            if alias not in person.aliases:
                person.aliases.append(alias)

    def give_mobile(self, person: Person) -> str | None:
        """A mobile of the person's own; None once every number is issued."""
        number = self._phones.mobile()
        if number is not None:
            person.phones.append(number)
        return number

    def give_vehicle(self, person: Person) -> Vehicle:
        vehicle = draw_vehicle(self._rng, self._vrms)
        person.vehicles.append(vehicle)
        return vehicle

    def place_in_care(self, person: Person, home: Place) -> None:
        """A looked-after child lives at the home: its address becomes theirs (a hub)."""
        person.care_home = home
        person.address, person.postcode = home.address, home.postcode
