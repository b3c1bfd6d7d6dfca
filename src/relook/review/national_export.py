"""The national export: a run's cases and the persons, vehicles, phones and addresses that
join them, as FollowTheMoney entities, one JSON object a line.

    write_national_export(connection, handle, run_id=..., options=...) -> ExportCounts

What is exported (docs/national-export.md):
* the cases in scope of the review (the wider definition), or every case with `all_cases`;
* every person recorded on them, one `Person` per resolved person. Suspects are named,
  with their names, dates of birth, phones and addresses. Everyone else is a pseudonym
  and the case link: a victim or missing child anywhere in the run ("Victim 3FA81C0E",
  "Protected person …"), and witnesses, associates and reporting persons ("Witness …"),
  whom a national panel does not need by name to see cross-force links. `reveal` names
  everyone (the caller checks the permission and records the reason);
* the addresses and postcodes of protected persons are withheld wherever they appear,
  a suspect's record included, as on the case page (`relook.review.visibility`), unless
  `reveal`;
* vehicles by registration mark, the places of the cases, and who was seen with which
  vehicle.
Free text (summaries, notes) is never exported: it names victims. Nor are the protected
characteristics (sex, ethnicity, nationality, religion): the store does not hold them,
and a national link must not rest on them.

Rows are read in key order and written as they come (a resolved person's records are
adjacent; so are a vehicle's sightings), so memory holds one person's records, the ids of the
addresses already written and the keys of protected places, never the force.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import IO, Any

from followthemoney.proxy import EntityProxy
from sqlalchemy import ColumnElement, Connection, Row, and_, func, select
from sqlalchemy.sql import alias
from sqlalchemy.sql.expression import Executable

from relook.normalise.names import split_aliases
from relook.normalise.phones import to_e164
from relook.normalise.postcodes import normalise_postcode
from relook.review import ftm_entities as ftm
from relook.review.addresses import address_key
from relook.review.national_scope import (
    NO_PROTECTED_PLACES,
    STREAM,
    ProtectedPlaces,
    exported_case,
    fold,
    in_exported_cases,
    missing_child,
    protected_places,
    protected_record,
)
from relook.store.tables import run_cases, run_locations, run_people, run_vehicles

IDENTIFIED_ROLES = frozenset({"suspect"})
"""Roles whose persons are named in the export (unless protected)."""

_ROLE_LABELS = {
    "witness": "Witness",
    "associate": "Associate",
    "reporting_person": "Reporting person",
}
_PROGRESS_EVERY = 500


@dataclass(frozen=True)
class ExportOptions:
    force: str
    """The force's name: namespaces every entity id."""
    all_cases: bool = False
    reveal: bool = False


@dataclass
class ExportCounts:
    """What was written, by FtM schema, and what was left out on purpose."""

    by_schema: Counter[str] = field(default_factory=Counter)
    phones_refused: int = 0
    """Numbers FtM does not accept as valid (drama ranges, unallocated numbers)."""
    places_withheld: int = 0
    """Addresses and postcodes left out because a protected person lives there."""
    pseudonymised: int = 0

    @property
    def entities(self) -> int:
        return sum(self.by_schema.values())

    def as_detail(self) -> dict[str, Any]:
        return {
            "entities": self.entities,
            "by_schema": dict(sorted(self.by_schema.items())),
            "phones_refused": self.phones_refused,
            "places_withheld": self.places_withheld,
            "pseudonymised": self.pseudonymised,
        }


Progress = Callable[[int], None]


# --- the writer ---------------------------------------------------------------------------


class _Output:
    """Writes entities as JSON lines and remembers which shared ones it has written."""

    def __init__(self, handle: IO[str], counts: ExportCounts, progress: Progress | None) -> None:
        self._handle = handle
        self.counts = counts
        self._progress = progress
        self._pending = 0
        self.written: set[str] = set()

    def write(self, entity: EntityProxy) -> None:
        self._handle.write(json.dumps(entity.to_dict(), sort_keys=True, ensure_ascii=False))
        self._handle.write("\n")
        self.counts.by_schema[entity.schema.name] += 1

    def write_once(self, entity: EntityProxy) -> None:
        """Addresses are shared by records read at different moments: written once."""
        if entity.id is not None and entity.id not in self.written:
            self.written.add(entity.id)
            self.write(entity)

    def read(self, rows: int = 1) -> None:
        self._pending += rows
        if self._progress is not None and self._pending >= _PROGRESS_EVERY:
            self._progress(self._pending)
            self._pending = 0

    def finish(self) -> None:
        if self._progress is not None and self._pending:
            self._progress(self._pending)
        self._pending = 0


@dataclass
class _Context:
    connection: Connection
    run_id: str
    options: ExportOptions
    ids: ftm.ForceIds
    places: ProtectedPlaces
    out: _Output


def write_national_export(
    connection: Connection,
    handle: IO[str],
    *,
    run_id: str,
    options: ExportOptions,
    progress: Progress | None = None,
) -> ExportCounts:
    """Write the run's export to `handle`; `progress(n)` is told of every n rows read.
    Read from one snapshot (`Store.snapshot()`) so that the parts agree."""
    counts = ExportCounts()
    context = _Context(
        connection,
        run_id,
        options,
        ftm.ForceIds(options.force),
        NO_PROTECTED_PLACES if options.reveal else protected_places(connection, run_id),
        _Output(handle, counts, progress),
    )
    _write_cases(context)
    _write_people(context)
    _write_vehicles(context)
    _write_locations(context)
    context.out.finish()
    return counts


def _stream(context: _Context, query: Executable) -> Iterator[Row[Any]]:
    yield from context.connection.execution_options(**STREAM).execute(query)


def _outcome(code: int | None, by: str | None) -> str | None:
    if code is None:
        return None
    return f"outcome {code}" + (f" ({by})" if by else "")


def _write_cases(context: _Context) -> None:
    c = run_cases.c
    query = (
        select(c.case_id, c.offence_title, c.reported_on, c.outcome_on, c.outcome_code,
               c.outcome_by, c.category, c.priority_band)
        .where(exported_case(context.run_id, context.options.all_cases))
        .order_by(c.case_id)
    )  # fmt: skip
    for row in _stream(context, query):
        facts = ftm.CaseFacts(
            case_id=row.case_id,
            offence_title=row.offence_title,
            reported_on=_iso(row.reported_on),
            outcome_on=_iso(row.outcome_on),
            outcome=_outcome(row.outcome_code, row.outcome_by),
            category=row.category,
            priority_band=row.priority_band,
        )
        context.out.write(ftm.case_entity(context.ids, facts))
        context.out.read()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _person_key(table: Any) -> ColumnElement[str]:
    return func.coalesce(table.c.person_id, table.c.mention_id)


def _write_people(context: _Context) -> None:
    p = run_people.c
    key = _person_key(run_people).label("person_key")
    query = (
        select(p.mention_id, p.case_id, p.role, p.forenames, p.surname, p.aliases,
               p.date_of_birth, p.address, p.postcode, p.phone, p.relationship_to_victim,
               key, protected_record(context.run_id, p.person_id, p.role).label("protected"),
               missing_child(context.run_id, p.person_id).label("missing_child"))
        .select_from(run_people)
        .order_by(key, p.mention_id)
    )  # fmt: skip
    query = in_exported_cases(query, run_people, context.run_id, context.options.all_cases)
    for person_key, records in groupby(_stream(context, query), key=lambda r: r.person_key):
        _write_person(context, person_key, list(records))


def _label(records: list[Row[Any]]) -> str | None:
    """The pseudonym kind for a person not to be named, or None to name them."""
    if any(r.protected for r in records):
        victim = any(r.role == "victim" for r in records) or not any(
            r.missing_child for r in records
        )
        return "Victim" if victim else "Protected person"
    if any(r.role in IDENTIFIED_ROLES for r in records):
        return None
    roles = sorted({r.role for r in records if r.role})
    return _ROLE_LABELS.get(roles[0], "Person") if roles else "Person"


def _write_person(context: _Context, person_key: str, records: list[Row[Any]]) -> None:
    ids, out = context.ids, context.out
    kind = None if context.options.reveal else _label(records)
    if kind is not None:
        facts = ftm.PersonFacts(person_key, label=ftm.pseudonym(ids, kind, person_key))
        out.counts.pseudonymised += 1
    else:
        facts = _named_facts(context, person_key, records)
    person = ftm.person_entity(ids, facts)
    out.write(person)
    assert person.id is not None  # set by ForceIds
    for record in records:
        out.write(
            ftm.party_link(
                ids,
                case_id=record.case_id,
                party_id=person.id,
                record_id=record.mention_id,
                role=record.role or "person",
                description=(
                    f"relationship to the victim: {record.relationship_to_victim}"
                    if record.relationship_to_victim and kind is None
                    else None
                ),
            )
        )
    out.read(len(records))


def _named_facts(context: _Context, person_key: str, records: list[Row[Any]]) -> ftm.PersonFacts:
    facts = ftm.PersonFacts(
        person_key, names=[], aliases=[], birth_dates=[], phones=[], addresses=[], address_ids=[]
    )
    for r in records:
        facts.names.append((r.forenames, r.surname))  # type: ignore[union-attr]
        facts.aliases.extend(split_aliases(r.aliases))  # type: ignore[union-attr]
        if r.date_of_birth:
            facts.birth_dates.append(r.date_of_birth)  # type: ignore[union-attr]
        phone = _phone(context, r.phone)
        if phone:
            facts.phones.append(phone)  # type: ignore[union-attr]
        place = _address(context, r.address, r.postcode)
        if place is not None:
            facts.addresses.append(place.first("full") or "")  # type: ignore[union-attr]
            facts.address_ids.append(place.id or "")  # type: ignore[union-attr]
    return facts


def _phone(context: _Context, raw: str | None) -> str | None:
    e164 = to_e164(raw)
    if e164 is None:
        return None
    cleaned = ftm.clean_phone(e164)
    if cleaned is None:
        context.out.counts.phones_refused += 1
    return cleaned


def _address(context: _Context, address: str | None, postcode: str | None) -> EntityProxy | None:
    """The Address entity of a record's address and postcode (written on first sight),
    without what a protected person's home would give away; None when nothing remains."""
    address = (address or "").strip() or None
    postcode = (postcode or "").strip() or None
    if address and context.places.holds_address(address):
        address = None
        context.out.counts.places_withheld += 1
    if postcode and context.places.holds_postcode(postcode):
        postcode = None
        context.out.counts.places_withheld += 1
    if address is None and postcode is None:
        return None
    code = normalise_postcode(postcode) or (postcode.upper() if postcode else None)
    # One entity per address in any spelling, whatever postcode a record gives with it;
    # a postcode alone (a street's worth of homes) is an entity of its own.
    a_key = address_key(address)
    key = "|".join(a_key) if a_key else (fold(address) if address else f"postcode {code}")
    full = ", ".join(part for part in (address, code) if part)
    entity = ftm.address_entity(context.ids, key, full, code)
    context.out.write_once(entity)
    return entity


def _write_vehicles(context: _Context) -> None:
    v = run_vehicles.c
    owner = alias(run_people, "owner")
    key = func.coalesce(v.vrm_canonical, "record:" + v.vehicle_id).label("vehicle_key")
    query = (
        select(v.vehicle_id, v.case_id, v.vrm_canonical, v.make, v.model, v.colour,
               v.mention_id, v.context, key, _person_key(owner).label("person_key"))
        .select_from(run_vehicles)
        # The person the vehicle is recorded with, on the same case (so exported with it).
        .outerjoin(owner, and_(owner.c.run_id == v.run_id, owner.c.mention_id == v.mention_id,
                               owner.c.case_id == v.case_id))
        .order_by(key, v.vehicle_id)
    )  # fmt: skip
    query = in_exported_cases(query, run_vehicles, context.run_id, context.options.all_cases)
    for vehicle_key, grouped in groupby(_stream(context, query), key=lambda r: r.vehicle_key):
        _write_vehicle(context, vehicle_key, list(grouped))


def _write_vehicle(context: _Context, vehicle_key: str, sightings: list[Row[Any]]) -> None:
    ids, out = context.ids, context.out
    models = _distinct(" ".join(p for p in (s.make, s.model) if p) for s in sightings)
    colours = _distinct(s.colour for s in sightings)
    vehicle = ftm.vehicle_entity(ids, vehicle_key, sightings[0].vrm_canonical, models, colours)
    out.write(vehicle)
    assert vehicle.id is not None
    for s in sightings:
        out.write(
            ftm.party_link(
                ids,
                case_id=s.case_id,
                party_id=vehicle.id,
                record_id=s.vehicle_id,
                role="vehicle",
                description=s.context,
            )
        )
        if s.person_key is not None:
            out.write(
                ftm.vehicle_link(
                    ids,
                    person_id=ids.make("person", s.person_key),
                    vehicle_id=vehicle.id,
                    record_id=s.vehicle_id,
                    context=s.context,
                )
            )
    out.read(len(sightings))


def _distinct(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _write_locations(context: _Context) -> None:
    loc = run_locations.c
    linked = alias(run_people, "linked")
    protected = protected_record(context.run_id, linked.c.person_id, linked.c.role)
    on_mention = and_(linked.c.run_id == loc.run_id, linked.c.mention_id == loc.mention_id)
    query = (
        select(loc.location_id, loc.case_id, loc.kind, loc.name, loc.address, loc.postcode,
               protected.label("protected"))
        .select_from(run_locations)
        .outerjoin(linked, on_mention)
        .order_by(loc.location_id)
    )  # fmt: skip
    query = in_exported_cases(query, run_locations, context.run_id, context.options.all_cases)
    for row in _stream(context, query):
        context.out.read()
        if not context.options.reveal and (
            row.protected or context.places.names_care_setting(row.name)
        ):
            # A protected person's home or children's home: withheld, as on the case page.
            context.out.counts.places_withheld += 1
            continue
        place = _address(context, row.address, row.postcode)
        if place is None or place.id is None:
            continue
        context.out.write(
            ftm.party_link(
                context.ids,
                case_id=row.case_id,
                party_id=place.id,
                record_id=row.location_id,
                role=f"place: {row.kind}" if row.kind else "place",
                description=row.name,
            )
        )
