"""Victim-blaming wording in notes, and decoys that quote or negate it.

Flagged sentences use the brief's lexicon in natural variety (pronoun and inflection:
"putting herself at risk", "put himself at risk", "puts themselves at risk"). Decoys use
the same phrases in a way that must NOT be flagged: quoted as wording to avoid, or
negated. No other generated text contains any lexicon phrase.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from relook.synth.codes import between_ints, pick
from relook.synth.text import Phrase, TextBuilder


@dataclass(frozen=True)
class Pronouns:
    sub: str
    obj: str
    pos: str
    refl: str
    be: str
    have: str
    third_person_s: bool


PRONOUNS: dict[str, Pronouns] = {
    "F": Pronouns("she", "her", "her", "herself", "is", "has", True),
    "M": Pronouns("he", "him", "his", "himself", "is", "has", True),
    "X": Pronouns("they", "them", "their", "themselves", "are", "have", False),
}


def pronouns_for(sex: str) -> Pronouns:
    return PRONOUNS.get(sex, PRONOUNS["X"])


@dataclass(frozen=True)
class Subject:
    """Who a sentence is about: how the child is referred to, and their pronouns."""

    ref: str  # "the victim", "the child", or a forename
    pro: Pronouns
    age: int
    in_care: bool = False

    @property
    def cap_ref(self) -> str:
        return self.ref[0].upper() + self.ref[1:]

    def slots(self) -> dict[str, str]:
        p = self.pro
        return {
            "ref": self.ref, "Ref": self.cap_ref, "sub": p.sub, "obj": p.obj, "pos": p.pos,
            "Pos": p.pos.capitalize(), "be": p.be, "have": p.have,
            "home": "the placement" if self.in_care else "home",
            "carers": "the placement" if self.in_care else "the family",
        }  # fmt: skip


Writer = Callable[[random.Random, TextBuilder, Subject], None]


def _at_risk(rng: random.Random, out: TextBuilder, s: Subject) -> None:
    key = "putting herself at risk"
    refl = s.pro.refl
    form = rng.randrange(3)
    if form == 0:
        phrase = Phrase(f"putting {refl} at risk", key, True)
        out.sentence("{Ref} {be} {p} by going missing.", p=phrase, **s.slots())
    elif form == 1:
        verb = "puts" if s.pro.third_person_s else "put"
        phrase = Phrase(f"{verb} {refl} at risk", key, True)
        out.sentence("Staff feel that {ref} {p} by staying out overnight.", p=phrase, **s.slots())
    else:
        phrase = Phrase(f"put {refl} at risk", key, True)
        out.sentence(
            "{Ref} {have} {p} again by getting into cars with adults.", p=phrase, **s.slots()
        )


def _lifestyle(rng: random.Random, out: TextBuilder, s: Subject) -> None:
    key = "lifestyle choice"
    if rng.random() < 0.6:
        out.sentence(
            "{Ref} appears to be making a {p}.",
            p=Phrase("lifestyle choice", key, True),
            **s.slots(),
        )
    else:
        phrase = Phrase("lifestyle choices", key, True)
        out.sentence("Going missing is seen as one of {pos} {p}.", p=phrase, **s.slots())


def _simple(template: str, written: str, key: str) -> Writer:
    def write(rng: random.Random, out: TextBuilder, s: Subject) -> None:
        out.sentence(template, p=Phrase(written, key, True), age=str(between_ints(rng, 19, 34)),
                     **s.slots())  # fmt: skip

    return write


def _prostituting(rng: random.Random, out: TextBuilder, s: Subject) -> None:
    phrase = Phrase(f"prostituting {s.pro.refl}", "prostituting herself", True)
    out.sentence("Staff believe {ref} {be} {p}.", p=phrase, **s.slots())


def _boyfriend(rng: random.Random, out: TextBuilder, s: Subject) -> None:
    form = rng.randrange(3)
    if form == 0:
        out.sentence(
            "{Ref} was collected from {home} by {pos} {p}, an adult male.",
            p=Phrase("boyfriend", "boyfriend", True), **s.slots(),
        )  # fmt: skip
    elif form == 1:
        out.sentence(
            "{Pos} older {p} is believed to be {age}.",
            p=Phrase("boyfriend", "boyfriend", True),
            age=str(between_ints(rng, 19, 34)),
            **s.slots(),
        )
    else:
        out.sentence(
            "{Ref} {have} several older {p}.", p=Phrase("boyfriends", "boyfriend", True),
            **s.slots(),
        )  # fmt: skip


_FLAGGED: tuple[Writer, ...] = (
    _at_risk,
    _at_risk,
    _lifestyle,
    _simple("{Ref} was described by staff as {p}.", "promiscuous", "promiscuous"),
    _simple("Records describe {obj} as {p} and difficult to engage.", "promiscuous", "promiscuous"),
    _simple("{Ref} stated that {sub} {p} to going to the address.", "consented", "consented"),
    _prostituting,
    _simple(
        "An intelligence log refers to {obj} as a {p}.", "child prostitute", "child prostitute"
    ),
    _simple(
        "{Ref} says {sub} {be} {p} a {age}-year-old man.",
        "in a relationship with",
        "in a relationship with",
    ),
    _boyfriend,
    _boyfriend,
)
_SEXUALLY_ACTIVE = _simple("{Ref} {be} believed to be {p}.", "sexually active", "sexually active")


def write_flagged(rng: random.Random, out: TextBuilder, subject: Subject) -> None:
    """One sentence of victim-blaming wording about a child."""
    writers = _FLAGGED if subject.age >= 16 else (*_FLAGGED, _SEXUALLY_ACTIVE)
    pick(rng, writers)(rng, out, subject)


_QUOTABLE: tuple[tuple[str, str], ...] = (
    ("promiscuous", "promiscuous"),
    ("child prostitute", "child prostitute"),
    ("lifestyle choice", "lifestyle choice"),
    ("consented", "consented"),
    ("boyfriend", "boyfriend"),
    ("sexually active", "sexually active"),
)


def write_decoy(rng: random.Random, out: TextBuilder, subject: Subject) -> None:
    """One sentence that quotes or negates lexicon wording: it must not be flagged."""
    s = subject.slots()
    form = rng.randrange(6)
    if form == 0:
        phrase = Phrase("promiscuous", "promiscuous", False)
        out.sentence('Staff were reminded not to describe {obj} as "{p}".', p=phrase, **s)
    elif form == 1:
        written, key = pick(rng, _QUOTABLE)
        out.sentence(
            'The term "{p}" was removed from the record and replaced with '
            '"being sexually exploited".',
            p=Phrase(written, key, False),
        )
    elif form == 2:
        phrase = Phrase("lifestyle choice", "lifestyle choice", False)
        out.sentence("{Ref} {be} not making a {p}; {sub} {be} being exploited.", p=phrase, **s)
    elif form == 3:
        phrase = Phrase(f"putting {subject.pro.refl} at risk", "putting herself at risk", False)
        out.sentence("{Ref} {be} not {p}; adults are exploiting {obj}.", p=phrase, **s)
    elif form == 4:
        phrase = Phrase("consented", "consented", False)
        out.sentence("A child cannot have {p} to what happened.", p=phrase)
    else:
        phrase = Phrase("in a relationship with", "in a relationship with", False)
        out.sentence("{Ref} {be} not {p} the adult; {sub} {be} being groomed.", p=phrase, **s)
