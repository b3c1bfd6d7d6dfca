"""Need to know on a page: who is protected, and what of them is shown until a reveal.

One rule for every view that shows people: the case page, the person page, a case report.

* A **protected person** is a victim on any case, or the child of any missing-episode
  record (`protects_person`).
* A **protected place** is an address or postcode a protected person has on record (on
  this page or, given by the caller, on any other record), and the address of a place
  linked to them or named after their care setting (their children's home).
* A **protected record** is a victim's record, a record of a protected person, or the
  record of anyone but a suspect whose name shares a part with a victim of the same case
  or who lives at a protected place: a relative (often the parent who reported the abuse,
  surname misspelt) would give the victim away. Suspects are otherwise shown, as the
  reviewer must see who is accused.

Until revealed (a reason given and audited by the caller), a protected record is shown
by a label, never by its name: "Victim A" for a case's victims, "Protected person A" for
anyone else, lettered by record id; its identifying values (`IDENTIFYING_FIELDS`) are
hidden; and in free text every part of its names is replaced by its label. A protected
place is withheld wherever it appears, in any spelling (`relook.review.addresses`): in
free text, in anyone's address or postcode (a suspect's too), in places and in the
network.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from relook.review import pseudonyms
from relook.review.addresses import PlaceRedactor

IDENTIFYING_FIELDS = frozenset(
    {"forenames", "surname", "aliases", "date_of_birth", "address", "postcode", "phone"}
)
"""What a protected record keeps hidden. Ages, roles, care and nominal ids stay visible:
the review needs them and they do not name anyone."""

NO_NAME = "(name not recorded)"


@dataclass(frozen=True)
class NamedRecord:
    """What the rule needs to know of one record about a person."""

    record_id: str
    role: str | None
    forenames: str | None = None
    surname: str | None = None
    aliases: str | None = None
    person_id: str | None = None
    case_id: str | None = None
    """The case the record belongs to (None for a missing-episode record)."""
    address: str | None = None
    postcode: str | None = None
    care_setting: str | None = None

    @property
    def recorded_name(self) -> str:
        return " ".join(p for p in (self.forenames, self.surname) if p) or NO_NAME

    @property
    def name_parts(self) -> tuple[str, ...]:
        return pseudonyms.name_parts(self.forenames, self.surname, self.aliases)


@dataclass(frozen=True)
class Place:
    """A place on the page (a location record), or where a protected person lives as
    another record says (name and link then None)."""

    address: str | None
    postcode: str | None
    name: str | None = None
    mention_id: str | None = None
    """The person record the place is linked to."""


def protects_person(*, victim: bool, missing_child: bool) -> bool:
    """Whether a resolved person is protected wherever they appear."""
    return victim or missing_child


class Visibility:
    """Who is protected among `records` (the people one page shows) and how they appear.

    `victims` are the victims whose names make a relative protected (default: the victims
    among `records`); `protected_persons` the person ids that `protects_person` holds for.
    Labels go to the protected `records`, in the order of their record ids. `places` are
    the page's places; `known_places` where protected persons live by other records.
    """

    def __init__(
        self,
        records: Iterable[NamedRecord],
        *,
        revealed: bool,
        victims: Iterable[NamedRecord] | None = None,
        protected_persons: Collection[str] = frozenset(),
        places: Iterable[Place] = (),
        known_places: Iterable[Place] = (),
        labelled_as: str | None = None,
    ) -> None:
        self.revealed = revealed
        self._records = sorted(records, key=lambda r: r.record_id)
        victim_records = (
            [r for r in self._records if r.role == "victim"] if victims is None else list(victims)
        )
        by_case: dict[str | None, list[NamedRecord]] = {}
        for victim in victim_records:
            by_case.setdefault(victim.case_id, []).append(victim)
        # Per case, what finds a victim's name in another name (the label is not used).
        self._victim_names = {
            case_id: pseudonyms.Redactor(pseudonyms.VictimName("", v.name_parts) for v in found)
            for case_id, found in by_case.items()
        }
        self._protected_persons = frozenset(protected_persons)
        # Who a person is first (victims, protected persons); then where those live; then
        # who else is protected by their name or by living there.
        self._places = list(places)
        by_what = [r for r in self._records if self._protected_as_person(r)]
        self._protected_care = {_fold(r.care_setting) for r in by_what if r.care_setting}
        self._protected_mentions = {r.record_id for r in by_what}
        lived = [*by_what, *victim_records]
        self.places = PlaceRedactor(
            [*(r.address for r in lived), *(p.address for p in known_places),
             *(p.address for p in self._places if self.hides_place(p, even_revealed=True))],
            [*(r.postcode for r in lived), *(p.postcode for p in known_places),
             *(p.postcode for p in self._places if self.hides_place(p, even_revealed=True))],
        )  # fmt: skip
        self.protected_ids = frozenset(r.record_id for r in self._records if self._protects(r))
        self.labels = _labels(r for r in self._records if r.record_id in self.protected_ids)
        if labelled_as is not None:
            # Someone else's page: their letters would read as this page's people.
            self.labels = dict.fromkeys(self.labels, labelled_as)
        names = pseudonyms.Redactor(
            # Victims first: a name part a relative shares reads as the victim's label.
            pseudonyms.VictimName(self.labels[r.record_id], r.name_parts)
            for r in sorted(self._records, key=lambda r: r.role != "victim")
            if r.record_id in self.protected_ids
        )
        self.redact: Callable[[str], str] = (
            pseudonyms.NO_REDACTION if revealed else Redaction(self.places, names)
        )

    @classmethod
    def for_person(
        cls,
        person_id: str,
        records: Sequence[NamedRecord],
        *,
        victim: bool,
        missing_child: bool,
        victims: Iterable[NamedRecord],
        revealed: bool,
        labelled_as: str | None = None,
    ) -> Visibility:
        """One resolved person's records (with `victims`: the victims of their cases),
        protected together: when one record is, all of them are. `labelled_as` gives every
        protected record one label instead of lettered ones."""
        if protects_person(victim=victim, missing_child=missing_child):
            return cls(records, revealed=revealed, victims=victims,
                       protected_persons={person_id}, labelled_as=labelled_as)  # fmt: skip
        each = cls(records, revealed=revealed, victims=victims, labelled_as=labelled_as)
        if not each.any_protected:
            return each
        return cls(records, revealed=revealed, victims=(), protected_persons={person_id},
                   labelled_as=labelled_as)  # fmt: skip

    def _protected_as_person(self, record: NamedRecord) -> bool:
        """Protected for what the person is: a victim, or a protected person."""
        return record.role == "victim" or (
            record.person_id is not None and record.person_id in self._protected_persons
        )

    def _protects(self, record: NamedRecord) -> bool:
        if self._protected_as_person(record):
            return True
        if record.role == "suspect":
            return False
        if self.lives_at_protected_place(record):
            return True
        victim_names = self._victim_names.get(record.case_id)
        return victim_names is not None and any(
            victim_names.finds(text) for text in (record.forenames, record.surname, record.aliases)
        )

    def lives_at_protected_place(self, record: NamedRecord) -> bool:
        """At a protected address; by postcode only when no address is recorded (a
        postcode is a street's worth of homes)."""
        if record.address:
            return self.places.holds_address(record.address)
        return self.places.holds_postcode(record.postcode)

    def hides_place(self, place: Place, *, even_revealed: bool = False) -> bool:
        """Whether a place of the page is where a protected person lives: linked to one,
        or named after their care setting."""
        if self.revealed and not even_revealed:
            return False
        linked = place.mention_id is not None and place.mention_id in self._protected_mentions
        return linked or (bool(place.name) and _fold(place.name) in self._protected_care)

    def person_name(self, person_id: str, name: str, *, protected: bool = False) -> str:
        """A resolved person's `name` as this page shows it. A protected person (one of
        `protected_persons`, or `protected` by facts the caller read) appears as the label
        of their record on this page, or as "Protected person" when they have none here."""
        if self.revealed or not (protected or person_id in self._protected_persons):
            return name
        return next(
            (
                self.labels[r.record_id]
                for r in self._records
                if r.person_id == person_id and r.record_id in self.labels
            ),
            "Protected person",
        )

    @property
    def any_protected(self) -> bool:
        return bool(self.protected_ids)

    def is_protected(self, record_id: str) -> bool:
        """Protected by the rule, whether or not this page revealed them."""
        return record_id in self.protected_ids

    def hides(self, record_id: str) -> bool:
        """Whether the record's name and identifying values are hidden on this page."""
        return not self.revealed and record_id in self.protected_ids

    def name(self, record: NamedRecord) -> str:
        if self.hides(record.record_id):
            return self.labels[record.record_id]
        return record.recorded_name

    def value(self, record_id: str, field: str, value: str | None) -> str | None:
        """`value` of the record's `field`, or None when this page hides it: a protected
        record's identifying values, and anyone's address or postcode at a protected
        place."""
        if self.revealed or value is None:
            return value
        if field in IDENTIFYING_FIELDS and self.hides(record_id):
            return None
        if field == "address" and self.places.holds_address(value):
            return None
        if field == "postcode" and self.places.holds_postcode(value):
            return None
        return value


class Redaction:
    """Protected places, then protected names, replaced in a text. Places first: a street
    may be named like a victim ("Hollis Road")."""

    def __init__(self, places: PlaceRedactor, names: pseudonyms.Redactor) -> None:
        self._places = places
        self._names = names

    def __call__(self, text: str) -> str:
        return self._names(self._places(text))

    def ranges(self, text: str) -> list[tuple[int, int]]:
        """Where anything protected is in `text`, so that no highlight cuts it in two."""
        return self._places.ranges(text) + self._names.ranges(text)


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def _labels(protected: Iterable[NamedRecord]) -> dict[str, str]:
    victims: list[str] = []
    others: list[str] = []
    for record in protected:
        (victims if record.role == "victim" else others).append(record.record_id)
    labels = pseudonyms.victim_labels(victims)
    labels.update(
        (record_id, pseudonyms.label(i, "Protected person")) for i, record_id in enumerate(others)
    )
    return labels
