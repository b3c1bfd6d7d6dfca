"""Home Office codes and recorded categories used by the synthetic force.

The offence and outcome lists mirror the domain brief's defaults; the generator's ground
truth for screening is computed from the same lists (see `truth.py`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

CHILD_OFFENCES: dict[str, str] = {
    "17B": "Sexual assault on a male child under 13",
    "19D": "Rape of a female child under 16",
    "19E": "Rape of a female child under 13",
    "19G": "Rape of a male child under 16",
    "19H": "Rape of a male child under 13",
    "20B": "Sexual assault on a female child under 13",
    "21": "Sexual activity involving a child under 13",
    "22B": "Sexual activity involving a child under 16",
    "23": "Incest or familial sexual offences",
    "71": "Abuse of children through sexual exploitation",
    "72": "Trafficking for sexual exploitation",
    "73": "Abuse of position of trust of a sexual nature",
    "88A": "Sexual grooming",
}
"""Sexual offences against a child: in scope whatever the recorded victim age."""

ADULT_AGE_OFFENCES: dict[str, str] = {
    "17A": "Sexual assault on a male aged 13 and over",
    "19C": "Rape of a female aged 16 and over",
    "19F": "Rape of a male aged 16 and over",
    "20A": "Sexual assault on a female aged 13 and over",
    "22A": "Causing sexual activity without consent",
    "88C": "Other miscellaneous sexual offences",
    "88D": "Unnatural sexual offences",
    "88E": "Exposure and voyeurism",
}
"""Sexual offences that count only when a victim was under 18 at the time."""

OFFENCE_TITLES: dict[str, str] = {**CHILD_OFFENCES, **ADULT_AGE_OFFENCES}

NFA_OUTCOMES: tuple[int, ...] = (9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21)
CHARGED = 1

# Relative frequency of each no-further-action type: evidential difficulties (15, 16) and
# "victim does not support" dominate closed cases of this kind.
_NFA_WEIGHTS: dict[int, int] = {
    9: 6, 10: 4, 11: 1, 12: 2, 13: 2, 14: 10, 15: 22, 16: 26, 17: 2, 18: 8, 20: 5, 21: 12,
}  # fmt: skip
_CPS_SHARE: dict[int, float] = {9: 1.0, 15: 0.45, 16: 0.15, 21: 0.1}

# One distribution for everybody, whatever their role: protected characteristics are
# drawn independently of the story so that no later stage can learn them from offending.
# Keys are the 18+1 self-defined ethnicity codes; `NS` is "not stated".
ETHNICITY_WEIGHTS: dict[str, int] = {
    "W1": 74, "W2": 1, "W3": 1, "W9": 6, "M1": 1, "M2": 1, "M3": 1, "M9": 1, "A1": 3, "A2": 3,
    "A3": 1, "A4": 1, "A9": 1, "B1": 1, "B2": 2, "B9": 1, "O1": 1, "O9": 1, "NS": 2,
}  # fmt: skip

NATIONALITY_WEIGHTS: dict[str, int] = {
    "British": 84, "Irish": 1, "Polish": 2, "Romanian": 2, "Pakistani": 1, "Indian": 1,
    "Nigerian": 1, "Italian": 1, "Portuguese": 1, "Lithuanian": 1, "Chinese": 1, "Jamaican": 1,
    "Somali": 1, "Afghan": 1, "Iraqi": 1, "Syrian": 1, "Albanian": 1, "Eritrean": 1,
    "Bangladeshi": 1, "Czech": 1, "Slovak": 1, "Latvian": 1, "Vietnamese": 1,
}  # fmt: skip

_ETHNICITIES = tuple(ETHNICITY_WEIGHTS)
_ETHNICITY_W = tuple(ETHNICITY_WEIGHTS.values())
_NATIONALITIES = tuple(NATIONALITY_WEIGHTS)
_NATIONALITY_W = tuple(NATIONALITY_WEIGHTS.values())

SEXES: tuple[str, ...] = ("F", "M", "X")
_SEX_WEIGHTS: tuple[float, ...] = (0.495, 0.495, 0.01)


# These helpers draw from `rng.random()` directly: several times faster than
# `randrange`/`choices`, which matters at hundreds of thousands of draws per force.


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """One option, uniformly."""
    return options[int(rng.random() * len(options))]


def between_ints(rng: random.Random, low: int, high: int) -> int:
    """An integer in [low, high], uniformly."""
    return low + int(rng.random() * (high - low + 1))


def weighted(rng: random.Random, options: Sequence[T], weights: Sequence[float]) -> T:
    """One option by relative weight."""
    remaining = rng.random() * sum(weights)
    for option, weight in zip(options, weights, strict=True):
        remaining -= weight
        if remaining < 0:
            return option
    return options[-1]


def draw_sex(rng: random.Random) -> str:
    return weighted(rng, SEXES, _SEX_WEIGHTS)


def draw_ethnicity(rng: random.Random) -> str:
    return weighted(rng, _ETHNICITIES, _ETHNICITY_W)


def draw_nationality(rng: random.Random) -> str:
    return weighted(rng, _NATIONALITIES, _NATIONALITY_W)


def draw_nfa_outcome(rng: random.Random) -> tuple[int, str]:
    """A no-further-action outcome type and who decided it (`police` or `cps`)."""
    code = weighted(rng, tuple(_NFA_WEIGHTS), tuple(_NFA_WEIGHTS.values()))
    by = "cps" if rng.random() < _CPS_SHARE.get(code, 0.0) else "police"
    return code, by


def offence_for_child(rng: random.Random, age: int, sex: str) -> str:
    """An offence code that fits a child victim's age and sex.

    Adult-age codes (e.g. 20A for a 14-year-old girl) are used on purpose: they are in
    scope only because the victim was a child, which screening has to work out.
    """
    if age < 13:
        by_sex = {"F": ("19E", "20B", "21"), "M": ("19H", "17B", "21")}
    elif age < 16:
        by_sex = {"F": ("19D", "22B", "20A"), "M": ("19G", "22B", "17A")}
    else:
        by_sex = {"F": ("19C", "20A", "71"), "M": ("19F", "17A", "71")}
    return pick(rng, by_sex.get(sex, ("21" if age < 13 else "22B", "88C")))


def offence_for_adult(rng: random.Random, sex: str) -> str:
    """An adult-age offence code that fits an adult victim's sex."""
    by_sex = {"F": ("19C", "20A", "22A", "88E"), "M": ("19F", "17A", "22A", "88E")}
    return pick(rng, by_sex.get(sex, ("22A", "88C", "88E")))
