"""Recording noise: how a true name or date of birth ends up written on one record.

Noise never contradicts the truth that screening depends on: a written date of birth that
would put someone on the other side of 18 on the case's reference date (or leave it
undecidable) is replaced by the true date; an age written instead of a date is the true
age on that day.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from relook.synth import names
from relook.synth.codes import pick
from relook.synth.dates import ADULT_AGE, add_years, age_on, written_dob_is_child
from relook.synth.model import Person


@dataclass(frozen=True)
class NameNoise:
    """Chances of each kind of slip in a written name."""

    forename_typo: float = 0.04
    forename_familiar: float = 0.05
    forename_other_spelling: float = 0.30  # only for names that have other spellings
    forename_initial: float = 0.01
    middle_name_written: float = 0.45
    surname_typo: float = 0.04
    surname_other_spelling: float = 0.25
    surname_upper: float = 0.15
    fields_swapped: float = 0.015


@dataclass(frozen=True)
class DobNoise:
    """Cumulative thresholds for how a date of birth is written."""

    full: float = 0.62
    year_month: float = 0.70
    year_only: float = 0.77
    day_month_swapped: float = 0.81
    year_off_by_one: float = 0.85
    age_instead: float = 0.95  # beyond this: neither date nor age


NAME_NOISE = NameNoise()
DOB_NOISE = DobNoise()


def written_forenames(rng: random.Random, person: Person) -> str:
    """The forenames as one record has them: typos, familiar forms, other spellings."""
    first, *middle = person.forenames.split()
    roll = rng.random()
    familiar = names.familiar_forms(first)
    noise = NAME_NOISE
    if roll < noise.forename_typo:
        first = names.typo(rng, first)
    elif roll < noise.forename_typo + noise.forename_familiar and familiar:
        first = pick(rng, familiar)
    elif roll < noise.forename_typo + noise.forename_familiar + noise.forename_initial:
        first = first[0]
    elif rng.random() < noise.forename_other_spelling:
        first = names.other_spelling(rng, first, surname=False) or first
    if middle and rng.random() < noise.middle_name_written:
        return f"{first} {' '.join(middle)}"
    return first


def written_surname(rng: random.Random, person: Person) -> str:
    surname = person.surname
    roll = rng.random()
    if roll < NAME_NOISE.surname_typo:
        surname = names.typo(rng, surname)
    elif rng.random() < NAME_NOISE.surname_other_spelling:
        surname = names.other_spelling(rng, surname, surname=True) or surname
    if rng.random() < NAME_NOISE.surname_upper:
        surname = surname.upper()
    return surname


def written_name(rng: random.Random, person: Person) -> tuple[str, str]:
    """(forenames, surname) as written; occasionally typed into each other's field."""
    forenames, surname = written_forenames(rng, person), written_surname(rng, person)
    if rng.random() < NAME_NOISE.fields_swapped:
        return surname, forenames
    return forenames, surname


def _noisy_dob_text(rng: random.Random, dob: date, roll: float) -> str:
    noise = DOB_NOISE
    if roll < noise.full:
        return dob.isoformat()
    if roll < noise.year_month:
        return f"{dob.year}-{dob.month:02d}"
    if roll < noise.year_only:
        return str(dob.year)
    if roll < noise.day_month_swapped:
        if dob.day <= 12 and dob.day != dob.month:
            return date(dob.year, dob.day, dob.month).isoformat()
        return dob.isoformat()
    if roll < noise.year_off_by_one:
        return add_years(dob, pick(rng, (-1, 1))).isoformat()
    return ""


def written_dob(
    rng: random.Random, dob: date, on: date | None, *, needs_age: bool
) -> tuple[str, str]:
    """(date_of_birth, age_at_offence) as written on a record about day `on`.

    `on` is None for records with no offence date (missing episodes): no age is written.
    With `needs_age`, a record never leaves both blank.
    """
    roll = rng.random()
    text = _noisy_dob_text(rng, dob, roll)
    if on is None:
        return text, ""
    true_child = age_on(dob, on) < ADULT_AGE
    if text and written_dob_is_child(text, on) is not true_child:
        text = dob.isoformat()
    if text:
        return text, ""
    if roll < DOB_NOISE.age_instead or needs_age:
        return "", str(age_on(dob, on))
    return "", ""


@dataclass(frozen=True)
class Knobs:
    """Noise turned up, for the robustness benchmark (`bench/bench_robustness.py`).

    The defaults change nothing: with them the generator draws exactly the same random
    numbers and writes exactly the same force.
    """

    name_slips: float = 1.0
    """Multiplies the chances of a typo, an initial only and swapped name fields."""
    episode_dob_blank: float = 0.0
    """Chance that a missing episode's date of birth is blank (half) or the year only."""
    name_pool: tuple[int, int] | None = None
    """(forenames, surnames) to draw from, so that namesakes are common."""
    episodes_per_child: int | None = None
    """Every child who goes missing does so 1 to this many times."""
    address_slips: float = 0.0
    """Chance that a written address has a slip in a word or its number, and (apart)
    that a written postcode has one character changed."""


KNOBS = Knobs()


@contextlib.contextmanager
def turned_up(knobs: Knobs) -> Iterator[None]:
    """Generate with `knobs` for the duration (module state: one generator at a time)."""
    global KNOBS, NAME_NOISE
    saved = (KNOBS, NAME_NOISE, names.POOL_LIMIT)
    k = knobs.name_slips
    KNOBS = knobs
    NAME_NOISE = replace(
        NAME_NOISE,
        forename_typo=min(NAME_NOISE.forename_typo * k, 0.5),
        forename_initial=min(NAME_NOISE.forename_initial * k, 0.2),
        surname_typo=min(NAME_NOISE.surname_typo * k, 0.5),
        fields_swapped=min(NAME_NOISE.fields_swapped * k, 0.2),
    )
    names.POOL_LIMIT = knobs.name_pool
    try:
        yield
    finally:
        KNOBS, NAME_NOISE, names.POOL_LIMIT = saved


def episode_dob(rng: random.Random, written: str) -> str:
    """A missing episode's written date of birth, blanked or cut to the year by the knob."""
    if not KNOBS.episode_dob_blank or not written or rng.random() >= KNOBS.episode_dob_blank:
        return written
    return "" if rng.random() < 0.5 else written[:4]


def episode_count(rng: random.Random, count: int) -> int:
    """The number of episodes of a child who goes missing, under the knob."""
    if KNOBS.episodes_per_child is None or count == 0:
        return count
    return 1 + int(rng.random() * KNOBS.episodes_per_child)


def written_address(rng: random.Random, address: str) -> str:
    """An address as written, with a slip in one word or its house number (by the knob)."""
    if not KNOBS.address_slips or not address or rng.random() >= KNOBS.address_slips:
        return address
    words = address.split(" ")
    i = int(rng.random() * len(words))
    word = words[i]
    if word.rstrip(",").isdigit():
        words[i] = str(int(word.rstrip(",")) + (1 if rng.random() < 0.5 else -1) or 1) + (
            "," if word.endswith(",") else ""
        )
    elif len(word) >= 4:
        words[i] = names.typo(rng, word)
    return " ".join(words)


def written_postcode(rng: random.Random, postcode: str) -> str:
    """A postcode as written, one character swapped with the next (by the knob)."""
    if not KNOBS.address_slips or len(postcode) < 3 or rng.random() >= KNOBS.address_slips:
        return postcode
    i = 1 + int(rng.random() * (len(postcode) - 2))
    if postcode[i] == " " or postcode[i + 1] == " ":
        return postcode
    return postcode[:i] + postcode[i + 1] + postcode[i] + postcode[i + 2 :]
