"""Writing the true cases down as the structured tables (cases, people, vehicles,
locations), with recording noise, and noting which canonical values each case holds.

Unidentified suspects are written as officers write them: no name, the label ("male 2")
in `aliases` or in `forenames`, sometimes "Unknown" as a name; each is a distinct person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from relook.synth import noise
from relook.synth.codes import OFFENCE_TITLES, between_ints, pick
from relook.synth.dates import ADULT_AGE, age_on, iso
from relook.synth.identifiers import partial_vrm, render_phone, render_postcode, render_vrm
from relook.synth.model import Case, Involvement
from relook.synth.noise import written_dob, written_name
from relook.synth.places import FORCE

Row = list[str]


@dataclass(frozen=True)
class RecordingRates:
    """How often a known detail is actually recorded on a mention."""

    aliases_suspect: float = 0.7
    aliases_other: float = 0.3
    sex: float = 0.96
    ethnicity_suspect: float = 0.34  # the national audit: unrecorded for about 2/3
    ethnicity_other: float = 0.6
    nationality: float = 0.4
    address: float = 0.55
    postcode: float = 0.6
    phone: float = 0.55
    nominal_id: float = 0.75
    care_setting: float = 0.9


RATES = RecordingRates()


@dataclass
class Recorded:
    """The canonical values in one case's structured tables. A lead is an identifier in
    free text that is not among these. Sets are only ever tested for membership."""

    phones: set[str] = field(default_factory=set)
    postcodes: set[str] = field(default_factory=set)
    vrms: set[str] = field(default_factory=set)
    person_ids: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)

    def holds(self, kind: str, canonical: str) -> bool:
        values = {
            "phone": self.phones,
            "postcode": self.postcodes,
            "vrm": self.vrms,
            "name": self.person_ids,
            "place": self.places,
        }[kind]
        return canonical in values


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


@dataclass
class StructuredTables:
    """Rows of the structured tables, in contract column order, plus persons truth."""

    rng: random.Random
    people: list[Row] = field(default_factory=list)
    vehicles: list[Row] = field(default_factory=list)
    locations: list[Row] = field(default_factory=list)
    persons_truth: list[Row] = field(default_factory=list)

    def record_case(self, case: Case) -> Recorded:
        """Write the case's people, vehicles and places; return what they hold."""
        recorded = Recorded()
        first_mention: dict[str, str] = {}
        for inv in case.involvements:
            for _ in range(2 if inv.entered_twice else 1):
                row = self._mention(case, inv, recorded)
                self.people.append(row)
                self.persons_truth.append([row[0], "mention", inv.person.person_id])
                first_mention.setdefault(inv.person.person_id, row[0])
                recorded.person_ids.add(inv.person.person_id)
        self._vehicles(case, first_mention, recorded)
        self._locations(case, first_mention, recorded)
        return recorded

    def _chance(self, rate: float) -> bool:
        return self.rng.random() < rate

    def _mention(self, case: Case, inv: Involvement, recorded: Recorded) -> Row:
        mention_id = f"M{len(self.people) + 1:07d}"
        if not inv.person.identified:
            return self._unidentified(mention_id, case, inv)
        rng = self.rng
        person = inv.person
        on = case.reference_date
        suspect = inv.role == "suspect"
        forenames, surname = written_name(rng, person)
        needs_age = inv.role == "victim" or age_on(person.dob, on) < ADULT_AGE
        dob, age = written_dob(rng, person.dob, on, needs_age=needs_age)
        aliases = ""
        if person.aliases and self._chance(
            RATES.aliases_suspect if suspect else RATES.aliases_other
        ):
            aliases = ";".join(person.aliases[: between_ints(rng, 1, len(person.aliases))])
        postcode = ""
        if person.postcode and self._chance(RATES.postcode):
            postcode = noise.written_postcode(rng, render_postcode(rng, person.postcode))
            recorded.postcodes.add(person.postcode)
        phone = ""
        if person.phones and self._chance(RATES.phone):
            number = pick(rng, person.phones)
            phone = render_phone(rng, number)
            recorded.phones.add(number)
        in_care, care_setting = self._care(case, inv) if inv.role == "victim" else ("", "")
        ethnicity_rate = RATES.ethnicity_suspect if suspect else RATES.ethnicity_other
        return [
            mention_id,
            case.case_id,
            inv.role,
            forenames,
            surname,
            aliases,
            dob,
            age,
            person.sex if self._chance(RATES.sex) else "",
            person.ethnicity if self._chance(ethnicity_rate) else "",
            person.nationality if self._chance(RATES.nationality) else "",
            noise.written_address(rng, person.address or "") if self._chance(RATES.address) else "",
            postcode,
            phone,
            (person.nominal_id or "") if self._chance(RATES.nominal_id) else "",
            (inv.relationship or "") if suspect else "",
            in_care,
            care_setting,
            _flag(person.deceased),
        ]

    def _care(self, case: Case, inv: Involvement) -> tuple[str, str]:
        rng = self.rng
        person = inv.person
        if person.in_care_on(case.reference_date):
            assert person.care_home is not None
            home = person.care_home.name if rng.random() < RATES.care_setting else ""
            return "true", home
        return ("false" if rng.random() < 0.7 else ""), ""

    def _unidentified(self, mention_id: str, case: Case, inv: Involvement) -> Row:
        rng = self.rng
        label = inv.label
        forenames, surname, aliases = pick(
            rng,
            (
                ("", "", label),
                ("Unknown", "", label),
                (label, "", ""),
                ("", "UNKNOWN", label),
                ("Unknown", "Unknown", label),
                ("", "", f"unknown {label}"),
            ),
        )
        age = ""
        if rng.random() < 0.4:
            true_age = age_on(inv.person.dob, case.reference_date)
            guess = true_age + between_ints(rng, -3, 3)
            age = str(guess if (guess < ADULT_AGE) == (true_age < ADULT_AGE) else true_age)
        sex = inv.person.sex if rng.random() < 0.7 else ""
        relationship = inv.relationship or ""
        row = [mention_id, case.case_id, "suspect", forenames, surname, aliases, "", age, sex]
        return [*row, "", "", "", "", "", "", relationship, "", "", ""]

    def _vehicles(self, case: Case, first_mention: dict[str, str], recorded: Recorded) -> None:
        rng = self.rng
        for use in case.vehicles:
            vehicle = use.vehicle
            recorded.vrms.add(vehicle.vrm)  # a partial mark still rules the full one out
            linked = first_mention.get(use.linked_to.person_id, "") if use.linked_to else ""
            self.vehicles.append(
                [
                    f"V{len(self.vehicles) + 1:06d}",
                    case.case_id,
                    partial_vrm(vehicle.vrm) if use.partial else render_vrm(rng, vehicle.vrm),
                    vehicle.make if rng.random() < 0.9 else "",
                    vehicle.model if rng.random() < 0.8 else "",
                    vehicle.colour if rng.random() < 0.85 else "",
                    linked,
                    use.context if rng.random() < 0.7 else "",
                ]
            )

    def _locations(self, case: Case, first_mention: dict[str, str], recorded: Recorded) -> None:
        rng = self.rng
        for use in case.places:
            place = use.place
            if place.name:
                recorded.places.add(place.name)
            postcode = ""
            if rng.random() < 0.75:
                postcode = render_postcode(rng, place.postcode)
                recorded.postcodes.add(place.postcode)
            linked = first_mention.get(use.linked_to.person_id, "") if use.linked_to else ""
            self.locations.append(
                [
                    f"L{len(self.locations) + 1:06d}",
                    case.case_id,
                    place.kind,
                    place.name,
                    place.address if rng.random() < 0.8 else "",
                    postcode,
                    linked,
                ]
            )


def case_row(rng: random.Random, case: Case, summary: str) -> Row:
    """The case as recorded. Screening fields (dates, codes, flag, setting, outcome) are
    written exactly as true, so the data never contradicts the screening truth."""
    title = OFFENCE_TITLES[case.offence_code]
    roll = rng.random()
    written_title = title if roll < 0.85 else (title.upper() if roll < 0.93 else "")
    return [
        case.case_id,
        FORCE if rng.random() < 0.95 else "",
        case.area if rng.random() < 0.95 else "",
        iso(case.reported_on),
        iso(case.offence_from),
        iso(case.offence_to),
        case.offence_code,
        written_title,
        _flag(case.cse_flag),
        case.setting or "",
        "" if case.outcome_code is None else str(case.outcome_code),
        iso(case.outcome_on),
        case.outcome_by or "",
        summary,
        _flag(case.previously_reviewed),
    ]
