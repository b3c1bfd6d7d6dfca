"""Notes on a case: factual, non-graphic entries by officers, supervisors, social workers
and analysts. Some carry identifiers that no structured table of the case holds (planted,
and recorded in the truth), some repeat identifiers the case did record (not leads), some
carry victim-blaming wording or a decoy of it.

Generic sentences never contain an identifier or a lexicon phrase, so the truth files
list every lead and every flag-worthy phrase in the text.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from relook.synth import language, noise
from relook.synth.casework import choose
from relook.synth.codes import between_ints, pick
from relook.synth.dates import ADULT_AGE, TODAY, age_on, between, iso
from relook.synth.identifiers import render_phone, render_vrm
from relook.synth.language import Subject
from relook.synth.model import Case, Person
from relook.synth.planting import Planter, written_person
from relook.synth.records import Recorded, Row
from relook.synth.text import Placed, Planted, TextBuilder

_GENERIC: dict[str, tuple[str, ...]] = {
    "investigating_officer": (
        "Statement obtained from {ref} and recorded on body-worn video.",
        "Achieving Best Evidence interview completed with {ref}.",
        "House-to-house enquiries completed; no further witnesses identified.",
        "Enquiries made with the hotel; CCTV was no longer retained.",
        "Download of the victim's handset requested.",
        "Suspect interviewed under caution and answered no comment.",
        "Suspect released under investigation pending further enquiries.",
        "File submitted to CPS for a charging decision.",
        "{Ref} does not wish to support a prosecution at this time.",
        "Medical examination offered and declined.",
        "Forensic submissions returned with no further lines of enquiry.",
        "Update given to {ref} under the Victims' Code.",
        "Scene photographs taken and exhibited.",
    ),
    "social_worker": (
        "Strategy meeting held with police, education and health.",
        "Return home interview completed within 72 hours.",
        "{Ref} has been reported missing several times this month.",
        "Concerns raised about unexplained gifts, money and a new phone.",
        "Safety plan reviewed with {carers}.",
        "Referral made to the specialist exploitation team.",
        "{Ref} has been seen getting into cars driven by unknown adults.",
        "School reports a sharp drop in attendance.",
        "{Ref} returned late and would not say where {sub} had been.",
        "Concerns about drug and alcohol use shared with the school nurse.",
    ),
    "supervisor": (
        "Supervisory review completed; actions set for the officer in the case.",
        "Case reviewed; decision to file endorsed.",
        "Risk assessment reviewed and updated.",
        "Investigation plan agreed; priority actions set.",
    ),
    "analyst": (
        "Intelligence checks on associates completed.",
        "Association chart produced for the strategy meeting.",
        "Cell-site analysis was not requested.",
        "Checks completed on linked intelligence reports.",
        "Social media accounts linked to {ref} were reviewed.",
    ),
}
_CHILD_ROLES = {"investigating_officer": 45, "supervisor": 15, "social_worker": 25, "analyst": 15}
_ADULT_ROLES = {"investigating_officer": 60, "supervisor": 20, "analyst": 20}

_IDENTIFIER_SENTENCES: dict[str, tuple[str, ...]] = {
    "vrm": (
        "{Ref} was seen getting into a {detail}, registration {id}.",
        "Vehicle {id} was seen outside the address on more than one occasion.",
        "ANPR check requested for {id}.",
        "A {detail} ({id}) was seen collecting {ref} late at night.",
        "Taxi {id} was seen dropping {ref} off in the early hours.",
    ),
    "phone": (
        "{Pos} handset shows repeated calls from {id}.",
        "Staff reported calls to {ref} from {id}.",
        "{Ref} was given a phone; the only contact saved was {id}.",
        "Call data requested for {id}.",
    ),
    "name": (
        "{Ref} named {id} as one of the adults present.",
        "{Ref} said that {id} drove {obj} to the address.",
        "Intelligence suggests {id} is in contact with {ref}.",
        "{Ref} mentioned {id} but would not say more.",
    ),
    "victim_name": (
        "{Ref} said {pos} friend {id} had also been taken to the address.",
        "{Ref} was seen with {id}, who is also known to the exploitation team.",
    ),
    "postcode": (
        "{Ref} described being taken to a flat near {id}.",
        "Address of interest identified at {id}.",
        "{Ref} was found in a car parked near {id}.",
        "Officers attended an address at {id}; no reply.",
    ),
    "place": (
        "{Ref} described being taken to {id}.",
        "Staff at {id} were spoken to; no record of a booking.",
        "{Ref} said food was bought from {id} before going to the address.",
        "{Ref} was seen at {id} with older males.",
    ),
}


@dataclass(frozen=True)
class NoteRates:
    """Per note, the chance of each kind of extra sentence."""

    plant: float
    echo: float
    flagged: float
    decoy: float


# A suspect's recorded phone or car written again in a note, without anyone connecting
# it: "Victim's phone shows calls from 07700 900123. Number not attributed." Sometimes
# with words that say the line was left open, sometimes without.
_CORROBORATION_SENTENCES: dict[str, tuple[str, ...]] = {
    "phone": (
        "{Pos} handset shows repeated calls from {id} saved as '{saved}'. Number not attributed.",
        "Staff reported calls to {ref} from {id}. The number was not traced.",
        "Call data for {ref}'s phone lists {id} as a frequent contact.",
        "{Ref} was given a phone; the only contact saved was {id}. No subscriber checks made.",
    ),
    "vrm": (
        "{Ref} was seen getting into a {detail}, registration {id}. Vehicle not traced.",
        "A {detail} ({id}) was seen collecting {ref} late at night; no PNC check recorded.",
        "Staff noted a {detail}, {id}, dropping {ref} off in the early hours.",
    ),
}
# Share of cases with a child victim and a suspect's phone or car on record that get one.
CORROBORATION_RATE = {"network": 0.3, "background": 0.1}

NETWORK_RATES = NoteRates(plant=0.45, echo=0.2, flagged=0.12, decoy=0.04)
CHILD_RATES = NoteRates(plant=0.08, echo=0.15, flagged=0.05, decoy=0.02)
ADULT_RATES = NoteRates(plant=0.06, echo=0.15, flagged=0.0, decoy=0.0)


@dataclass(frozen=True)
class WrittenText:
    """A finished piece of free text and where its planted items are."""

    text: str
    placed: tuple[Placed, ...]


def subject_of(rng: random.Random, case: Case) -> Subject:
    """The person notes are mostly about: the first victim, named in varied ways."""
    victim = case.people("victim")[0]
    ref = pick(rng, ("the victim", "the victim", "the child", "the young person", "forename"))
    age = age_on(victim.dob, case.reference_date)
    if age >= ADULT_AGE and ref in ("the child", "the young person"):
        ref = "the victim"
    if ref == "forename":
        written = noise.written_forenames(rng, victim).split()[0]
        # An initial alone ("E") reads as a typo in prose: use the name as known instead.
        ref = written if len(written) > 1 else victim.forenames.split()[0]
    in_care = victim.in_care_on(case.reference_date)
    return Subject(ref, language.pronouns_for(victim.sex), age, in_care)


def identifier_sentence(
    rng: random.Random, out: TextBuilder, subject: Subject, planted: Planted
) -> None:
    group = "victim_name" if planted.kind == "name" and planted.detail == "victim" else planted.kind
    template = pick(rng, _IDENTIFIER_SENTENCES[group])
    detail = planted.detail or "car"
    out.sentence(template, id=planted, detail=detail, **subject.slots())


class NoteWriter:
    """Writes the notes of each case in date order, collecting rows and truth."""

    def __init__(self, planter: Planter) -> None:
        self.planter = planter
        self.rng = planter.rng
        # Corroborations draw from their own stream, so adding them left every other
        # value of the generated force as it was.
        self.corroboration_rng = random.Random(f"corroboration-{self.rng.getstate()[1][:8]}")
        self.rows: list[Row] = []
        self.placed: list[tuple[str, str, Placed]] = []  # (note_id, case_id, placed)

    def write_case(self, case: Case, recorded: Recorded, earlier: Sequence[Person]) -> None:
        rng = self.rng
        subject = subject_of(rng, case)
        child = subject.age < ADULT_AGE
        if case.network is not None:
            rates, count = NETWORK_RATES, between_ints(rng, 3, 8)
        else:
            rates = CHILD_RATES if child else ADULT_RATES
            count = choose(rng, {1: 30, 2: 35, 3: 20, 4: 15})
        corroboration = suspect_value(self.corroboration_rng, case, recorded) if child else None
        at_note = self.corroboration_rng.randrange(count)
        for index in range(count):
            role = choose(rng, _CHILD_ROLES if child else _ADULT_ROLES)
            out = TextBuilder()
            for template in rng.sample(
                _GENERIC[role], k=min(len(_GENERIC[role]), between_ints(rng, 1, 2))
            ):
                out.sentence(template, **subject.slots())
            if corroboration is not None and index == at_note:
                self._corroborate(case, subject, out, corroboration)
            if rng.random() < rates.plant:
                self._plant(case, recorded, subject, out, earlier)
            if rng.random() < rates.echo:
                self._echo(case, subject, out)
            if child and rng.random() < rates.flagged:
                language.write_flagged(rng, out, subject)
            if child and rng.random() < rates.decoy:
                language.write_decoy(rng, out, subject)
            self._add_row(case, role, out)

    def _plant(
        self,
        case: Case,
        recorded: Recorded,
        subject: Subject,
        out: TextBuilder,
        earlier: Sequence[Person],
    ) -> None:
        planter = self.planter
        kind = planter.draw_kind()
        planted: Planted | None = None
        if case.network is not None:
            planted = planter.from_network(case.network, kind, [recorded], exclude=())
            if planted is not None and planted.kind == "name":
                is_victim = any(v.person_id == planted.canonical for v in case.network.victims)
                planted = Planted("name", planted.written, planted.canonical,
                                  "victim" if is_victim else "")  # fmt: skip
        if planted is None:
            planted = planter.fresh(kind, [recorded], known=earlier)
        if planted is not None:
            identifier_sentence(self.rng, out, subject, planted)

    def _corroborate(
        self, case: Case, subject: Subject, out: TextBuilder, planted: Planted
    ) -> None:
        rng = self.corroboration_rng
        template = pick(rng, _CORROBORATION_SENTENCES[planted.kind])
        suspects = [p for p in case.people("suspect") if p.identified]
        saved = pick(rng, suspects).forenames.split()[0] if suspects else "Unknown"
        out.sentence(template, id=planted, detail=planted.detail or "car", saved=saved,
                     **subject.slots())  # fmt: skip

    def _echo(self, case: Case, subject: Subject, out: TextBuilder) -> None:
        """Repeat something the case did record: text that must NOT become a lead."""
        rng = self.rng
        vehicles = [u.vehicle for u in case.vehicles if not u.partial]
        suspects = [p for p in case.people("suspect") if p.identified]
        if vehicles and rng.random() < 0.5:
            vrm = render_vrm(rng, pick(rng, vehicles).vrm)
            out.sentence("Vehicle {v} recorded on this report was checked on PNC.", v=vrm)
        elif suspects:
            name = written_person(rng, pick(rng, suspects))
            out.sentence("{n} was arrested and interviewed.", n=name)

    def _add_row(self, case: Case, role: str, out: TextBuilder) -> None:
        rng = self.rng
        note_id = f"N{len(self.rows) + 1:07d}"
        latest = case.outcome_on or min(TODAY, case.reported_on + timedelta(days=540))
        recorded_on = between(rng, case.reported_on, latest) if rng.random() < 0.93 else None
        author = role if rng.random() < 0.97 else ""
        self.rows.append([note_id, case.case_id, iso(recorded_on), author, out.text])
        for placed in out.placed:
            self.placed.append((note_id, case.case_id, placed))


def suspect_value(rng: random.Random, case: Case, recorded: Recorded) -> Planted | None:
    """Now and then, a suspect's phone or car that the case recorded, to write again."""
    rate = CORROBORATION_RATE["network" if case.network is not None else "background"]
    if rng.random() >= rate:
        return None
    options: list[Planted] = []
    for suspect in case.people("suspect"):
        options += [
            Planted("phone", render_phone(rng, phone), phone, corroborates=True)
            for phone in suspect.phones
            if recorded.holds("phone", phone)
        ]
    options += [
        Planted(
            "vrm",
            render_vrm(rng, use.vehicle.vrm),
            use.vehicle.vrm,
            f"{use.vehicle.colour.lower()} {use.vehicle.make} {use.vehicle.model}",
            corroborates=True,
        )
        for use in case.vehicles
        if not use.partial
        and use.linked_to is not None
        and any(use.linked_to is s for s in case.people("suspect"))
        and recorded.holds("vrm", use.vehicle.vrm)
    ]
    return pick(rng, options) if options else None


_OUTCOME_TEXT: dict[int, str] = {
    1: "Suspect charged.",
    9: "No further action: CPS decided prosecution was not in the public interest.",
    10: "No further action: formal action not in the public interest.",
    11: "No further action: suspect below the age of criminal responsibility.",
    12: "No further action: suspect too ill to prosecute.",
    13: "No further action: victim or key witness unable to give evidence.",
    14: "No further action: the victim does not support action.",
    15: "No further action: evidential difficulties.",
    16: "No further action: evidential difficulties, the victim does not support action.",
    17: "No further action: the time limit for prosecution expired.",
    18: "Investigation complete; no suspect identified.",
    20: "Further action to be taken by another body.",
    21: "No further action: further investigation not in the public interest.",
}
_SETTING_TEXT: dict[str, str] = {
    "family_home": "The offending is alleged to have happened at the family home.",
    "institution": "The offending is alleged to have happened at an institution.",
    "hotel": "The offending is alleged to have happened at a hotel.",
    "vehicle": "The offending is alleged to have happened in a vehicle.",
    "street": "The offending is alleged to have happened in a public place.",
    "private_address": "The offending is alleged to have happened at a private address.",
    "online": "The contact took place online.",
    "other": "",
}


def write_summary(
    planter: Planter, case: Case, recorded: Recorded, earlier: Sequence[Person]
) -> WrittenText:
    """The case summary: what, where, the outcome; now and then a planted identifier."""
    rng = planter.rng
    subject = subject_of(rng, case)
    out = TextBuilder()
    out.sentence("Report concerning {ref}, aged {age}.", ref=subject.ref, age=str(subject.age))
    setting = _SETTING_TEXT.get(case.setting or "other", "")
    if setting:
        out.sentence(setting)
    plant_rate = 0.15 if case.network is not None else 0.04
    if rng.random() < plant_rate:
        kind = pick(rng, ("vrm", "phone", "postcode"))
        planted = None
        if case.network is not None:
            planted = planter.from_network(case.network, kind, [recorded], exclude=())
        planted = planted or planter.fresh(kind, [recorded], known=earlier)
        if planted is not None:
            identifier_sentence(rng, out, subject, planted)
    if case.outcome_code is None:
        out.sentence("Investigation ongoing.")
    else:
        out.sentence(_OUTCOME_TEXT[case.outcome_code])
    return WrittenText(out.text, tuple(out.placed))
