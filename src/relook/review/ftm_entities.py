"""FollowTheMoney entities for the national export, built through the FtM model.

Each builder takes values as relook holds them and returns an `EntityProxy` whose
properties went through FtM's cleaning (`proxy.add`), so what FtM refuses is not written.
The schemata (docs/national-export.md says why):

* an investigation is a `CourtCase` (the FtM schema for a case with parties in roles);
* a person, vehicle or place joins it through a `CourtCaseParty` carrying the role;
* a resolved person is one `Person`; a vehicle one `Vehicle` per registration mark; an
  address one `Address`; a person seen with a vehicle is linked to it by an
  `UnknownLink` carrying the recorded context.

Entity ids are derived from the force's name and relook's own keys (`ForceIds`), so the
same run exported twice gives the same ids and two forces' ids never meet; what should
meet across forces are values: phones in E.164, registration marks, postcodes.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

INVESTIGATION = "Police investigation"
COUNTRY = "gb"

_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 40


@dataclass(frozen=True)
class ForceIds:
    """Entity ids namespaced by the force: `<force-slug>-<kind>-<digest>`, the digest of
    the force's name, the kind and relook's key for the thing (a person id, a case id, a
    registration mark). Readable at a glance, and never equal across two forces."""

    force: str

    @functools.cached_property
    def slug(self) -> str:
        # Cached: every id of the export starts with it.
        return _SLUG.sub("-", self.force.casefold()).strip("-")[:_MAX_SLUG] or "force"

    def make(self, kind: str, *key: str) -> str:
        digest = hashlib.sha1("\x1f".join(("relook", self.force, kind, *key)).encode()).hexdigest()
        return f"{self.slug}-{kind}-{digest}"


def _entity(schema: str, entity_id: str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    return proxy


def clean_phone(e164: str | None) -> str | None:
    """The number as FtM keeps it, or None when FtM refuses it (it accepts only numbers
    valid in their country's numbering plan, so not Ofcom's drama ranges)."""
    return registry.phone.clean(e164) if e164 else None


@dataclass(frozen=True)
class CaseFacts:
    case_id: str
    offence_title: str | None = None
    reported_on: str | None = None
    outcome_on: str | None = None
    outcome: str | None = None
    category: str | None = None
    priority_band: str | None = None


def case_entity(ids: ForceIds, case: CaseFacts) -> EntityProxy:
    """The investigation. Its number is prefixed with the force's name: case numbers are
    the force's own and would otherwise link unrelated cases of two forces."""
    entity = _entity("CourtCase", ids.make("case", case.case_id))
    entity.add("name", f"{ids.force} {case.case_id}")
    entity.add("caseNumber", f"{ids.force}/{case.case_id}")
    entity.add("type", INVESTIGATION)
    entity.add("category", case.offence_title)
    entity.add("status", case.outcome)
    entity.add("fileDate", case.reported_on)
    entity.add("closeDate", case.outcome_on)
    # Labelled: a bare "low" or "peer_on_peer" means nothing to another force's analyst.
    entity.add("keywords", [f"screening category: {case.category}"] if case.category else [])
    entity.add("keywords", [f"priority band: {case.priority_band}"] if case.priority_band else [])
    entity.add("publisher", ids.force)
    entity.add("country", COUNTRY)
    return entity


@dataclass
class PersonFacts:
    """What the export says of one resolved person, gathered from their records."""

    person_key: str
    label: str | None = None
    """The pseudonym, when the person is not to be named."""
    names: list[tuple[str | None, str | None]] | None = None
    aliases: list[str] | None = None
    birth_dates: list[str] | None = None
    phones: list[str] | None = None
    addresses: list[str] | None = None
    address_ids: list[str] | None = None


def person_entity(ids: ForceIds, person: PersonFacts) -> EntityProxy:
    entity = _entity("Person", ids.make("person", person.person_key))
    if person.label is not None:
        entity.add("name", person.label)
        return entity
    for forenames, surname in person.names or ():
        entity.add("name", " ".join(p for p in (forenames, surname) if p) or None)
        entity.add("firstName", forenames)
        entity.add("lastName", surname)
    entity.add("alias", person.aliases or [])
    entity.add("birthDate", person.birth_dates or [])
    entity.add("phone", person.phones or [])
    entity.add("address", person.addresses or [])
    entity.add("addressEntity", person.address_ids or [])
    if not entity.has("name"):
        entity.add("name", "(name not recorded)")
    entity.add("country", COUNTRY)
    return entity


def pseudonym(ids: ForceIds, kind: str, person_key: str) -> str:
    """A label that names no one and is unique to the person: "Victim 3FA81C0E". Never
    "Victim A": the same letter in two cases or two forces would join different people
    through an equal name."""
    return f"{kind} {ids.make('person', person_key)[-8:].upper()}"


def address_entity(ids: ForceIds, key: str, full: str, postcode: str | None) -> EntityProxy:
    entity = _entity("Address", ids.make("address", key))
    entity.add("full", full)
    entity.add("postalCode", postcode)
    entity.add("country", COUNTRY)
    return entity


def vehicle_entity(
    ids: ForceIds, key: str, mark: str | None, models: Iterable[str], colours: Iterable[str]
) -> EntityProxy:
    """One vehicle per registration mark (as relook normalised it: no spaces, capitals),
    the mark an identifier so that two forces' sightings of it meet."""
    entity = _entity("Vehicle", ids.make("vehicle", key))
    entity.add("name", mark or "(registration not recorded)")
    entity.add("registrationNumber", mark)
    entity.add("model", list(models))
    entity.add("description", list(colours))
    entity.add("country", COUNTRY)
    return entity


def party_link(
    ids: ForceIds,
    *,
    case_id: str,
    party_id: str,
    record_id: str,
    role: str,
    description: str | None = None,
) -> EntityProxy:
    """The party's place in the case: `role` ("suspect", "victim", "vehicle", "place:
    hotel"), `recordId` the force's record it comes from (to ask the force about it)."""
    entity = _entity("CourtCaseParty", ids.make("party", case_id, record_id))
    entity.add("case", ids.make("case", case_id))
    entity.add("party", party_id)
    entity.add("role", role)
    entity.add("recordId", record_id)
    entity.add("description", description)
    return entity


def vehicle_link(
    ids: ForceIds, *, person_id: str, vehicle_id: str, record_id: str, context: str | None
) -> EntityProxy:
    """A person recorded with a vehicle ("used to transport the victim")."""
    entity = _entity("UnknownLink", ids.make("with-vehicle", record_id))
    entity.add("subject", person_id)
    entity.add("object", vehicle_id)
    entity.add("role", context or "recorded with the vehicle")
    entity.add("recordId", record_id)
    return entity
