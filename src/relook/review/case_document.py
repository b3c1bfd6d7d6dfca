"""The case page's data: the document per case and run that the import builds
(`relook.store.case_documents`), with the document of the case's network, read and
parsed into typed records.

    load(connection, run_id, case_row) -> CaseDocument

There is one build of the document, the import's. A run imported before relook stored
documents has none: its cases cannot be shown until the next run is imported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import BindParameter, Connection, Row, Select, bindparam, select

from relook.review.errors import Conflict
from relook.store.tables import run_case_documents, run_network_documents

_RUN: BindParameter[str] = bindparam("run_id")
_CASE: BindParameter[str] = bindparam("case_id")

_NETWORK: BindParameter[str] = bindparam("network_id")

_DOCUMENT = select(run_case_documents.c.document).where(
    run_case_documents.c.run_id == _RUN, run_case_documents.c.case_id == _CASE
)
_NETWORK_DOCUMENT = select(run_network_documents.c.document).where(
    run_network_documents.c.run_id == _RUN, run_network_documents.c.network_id == _NETWORK
)


@dataclass(frozen=True)
class Mention:
    """A person as recorded on this case."""

    mention_id: str
    role: str | None = None
    forenames: str | None = None
    surname: str | None = None
    aliases: str | None = None
    date_of_birth: str | None = None
    age_at_offence: int | None = None
    address: str | None = None
    postcode: str | None = None
    phone: str | None = None
    nominal_id: str | None = None
    relationship_to_victim: str | None = None
    in_care: bool | None = None
    care_setting: str | None = None
    person_id: str | None = None
    victim_in_any_case: bool | None = None
    """The resolved person is a victim on some case (None in documents stored before
    relook recorded it)."""
    reported_missing: bool | None = None
    """The resolved person is the child of a missing-episode record (None likewise)."""


@dataclass(frozen=True)
class Appearance:
    """A person of this case on another case."""

    person_id: str
    case_id: str
    role: str | None = None
    reported_on: dt.date | None = None
    network_id: str | None = None


@dataclass(frozen=True)
class Note:
    note_id: str
    recorded_on: dt.date | None = None
    author_role: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Lead:
    lead_id: str
    kind: str | None = None
    detail: str | None = None
    evidence: str | None = None
    source_table: str | None = None
    source_id: str | None = None
    source_field: str | None = None
    span_start: int | None = None
    span_end: int | None = None
    strength: int | None = None
    reasons: str | None = None
    rank: int | None = None
    on_page: bool | None = None
    """Shown on the case page itself, or counted among the weaker ones (None in documents
    stored before leads were ranked: shown)."""


@dataclass(frozen=True)
class Flag:
    """Wording a reviewer should look at: in a note, or in the case summary without one."""

    source_table: str | None = None
    note_id: str | None = None
    phrase: str | None = None
    suggested_wording: str | None = None
    span_start: int | None = None
    span_end: int | None = None


@dataclass(frozen=True)
class Episode:
    """A missing-episode record of a victim of this case, or one a lead points to."""

    episode_id: str
    person_id: str | None = None
    forenames: str | None = None
    surname: str | None = None
    care_setting: str | None = None
    missing_from: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    found_location: str | None = None
    found_with: str | None = None


@dataclass(frozen=True)
class Vehicle:
    vehicle_id: str
    vrm: str | None = None
    make: str | None = None
    model: str | None = None
    colour: str | None = None
    mention_id: str | None = None
    context: str | None = None


@dataclass(frozen=True)
class Location:
    location_id: str
    kind: str | None = None
    name: str | None = None
    address: str | None = None
    postcode: str | None = None
    mention_id: str | None = None


@dataclass(frozen=True)
class ProtectedPlace:
    """Where a victim or missing child of this case lives, by any of their records."""

    address: str | None = None
    postcode: str | None = None


@dataclass(frozen=True)
class CaseDocument:
    """The parsed document: typed records, dates as date / datetime."""

    people: list[Mention]
    appearances: list[Appearance]
    notes: list[Note]
    leads: list[Lead]
    flags: list[Flag]
    episodes: list[Episode]
    vehicles: list[Vehicle]
    locations: list[Location]
    network: dict[str, Any] | None
    """The network's document as stored; read by `relook.review.case_page.network_view`."""
    protected_places: list[ProtectedPlace] = dataclasses.field(default_factory=list)
    """Addresses and postcodes of the case's protected persons on every record (empty
    in documents stored before relook recorded them)."""


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _datetime(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


R = TypeVar("R")


def _records(
    make: Callable[..., R], items: list[dict[str, Any]] | None, **parsers: Callable[[Any], Any]
) -> list[R]:
    """Records from JSON objects; keys the record does not know are ignored, so a document
    stored by a newer relook still reads."""
    known = {f.name for f in dataclasses.fields(make)}  # type: ignore[arg-type]
    records = []
    for item in items or ():
        values = {k: v for k, v in item.items() if k in known}
        for name, parse in parsers.items():
            values[name] = parse(values.get(name))
        records.append(make(**values))
    return records


def parse(document: dict[str, Any], network: dict[str, Any] | None = None) -> CaseDocument:
    """The case's document and its network's (runs imported before networks had their
    own document carry it inside the case's, under "network")."""
    return CaseDocument(
        people=_records(Mention, document.get("people")),
        appearances=_records(Appearance, document.get("appearances"), reported_on=_date),
        notes=_records(Note, document.get("notes"), recorded_on=_date),
        leads=_records(Lead, document.get("leads")),
        flags=_records(Flag, document.get("flags")),
        episodes=_records(
            Episode, document.get("episodes"), missing_from=_datetime, returned_at=_datetime
        ),
        vehicles=_records(Vehicle, document.get("vehicles")),
        locations=_records(Location, document.get("locations")),
        network=network if network is not None else document.get("network"),
        protected_places=_records(ProtectedPlace, document.get("protected_places")),
    )


def load(connection: Connection, run_id: str, case_row: Row[Any]) -> CaseDocument:
    """The case's stored document and its network's: from `case_row` when the row was read
    with them (`relook.review.case_page.find_case`), else from the store."""
    text = _stored(connection, run_id, case_row, "document", _DOCUMENT, case_id=case_row.case_id)
    if not text:
        raise Conflict(
            f"Case {case_row.case_id} has no case document: run {run_id} was imported before"
            " relook stored them. Its cases can be shown once a new run is imported."
        )
    network = None
    if case_row.network_id is not None:
        network = _stored(
            connection, run_id, case_row, "network_document", _NETWORK_DOCUMENT,
            network_id=case_row.network_id,
        )  # fmt: skip
    return parse(json.loads(text), json.loads(network) if network else None)


def _stored(
    connection: Connection,
    run_id: str,
    case_row: Row[Any],
    column: str,
    query: Select[Any],
    **key: str,
) -> str | None:
    """A stored document's text: `column` of `case_row` when it was read with it, else
    `query` against the store for `run_id` and `key`."""
    mapping = case_row._mapping
    if column in mapping:
        text: str | None = mapping[column]
        return text
    stored = connection.execute(query, {"run_id": run_id, **key})
    return stored.scalar_one_or_none()
