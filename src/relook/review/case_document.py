"""The case page's data: one document per case and run (see relook.store.case_documents).

    load(connection, run_id, case_row) -> CaseDocument

reads the document the import stored (one query), or, for a run imported before
documents existed, assembles the same document from the run tables (a dozen queries).
Both arrive as JSON-shaped dicts and are turned into records with typed dates here, so
the page is built the same way from either; a test checks they agree.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import BindParameter, Connection, Row, bindparam, or_, select

from relook.store.tables import (
    run_case_documents,
    run_cases,
    run_episodes,
    run_language,
    run_leads,
    run_locations,
    run_network_suspects,
    run_networks,
    run_notes,
    run_people,
    run_vehicles,
)

_RUN: BindParameter[str] = bindparam("run_id")
_CASE: BindParameter[str] = bindparam("case_id")

_DOCUMENT = select(run_case_documents.c.document).where(
    run_case_documents.c.run_id == _RUN, run_case_documents.c.case_id == _CASE
)

PEOPLE_FIELDS = (
    "mention_id", "role", "forenames", "surname", "aliases", "date_of_birth", "age_at_offence",
    "address", "postcode", "phone", "nominal_id", "relationship_to_victim", "in_care",
    "care_setting", "person_id",
)  # fmt: skip
LEAD_FIELDS = (
    "lead_id", "kind", "detail", "evidence", "source_table", "source_id", "source_field",
    "span_start", "span_end",
)  # fmt: skip
FLAG_FIELDS = (
    "source_table", "note_id", "phrase", "suggested_wording", "span_start", "span_end",
)  # fmt: skip
EPISODE_FIELDS = (
    "episode_id", "person_id", "forenames", "surname", "care_setting", "missing_from",
    "returned_at", "found_location", "found_with",
)  # fmt: skip
VEHICLE_FIELDS = ("vehicle_id", "vrm", "make", "model", "colour", "mention_id", "context")
LOCATION_FIELDS = ("location_id", "kind", "name", "address", "postcode", "mention_id")


@dataclass(frozen=True)
class CaseDocument:
    """The parsed document: records with attribute access, dates as date / datetime."""

    people: list[Any]
    appearances: list[Any]
    notes: list[Any]
    leads: list[Any]
    flags: list[Any]
    episodes: list[Any]
    vehicles: list[dict[str, Any]]
    locations: list[dict[str, Any]]
    network: dict[str, Any] | None


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _datetime(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _records(items: list[dict[str, Any]] | None, **dates: Any) -> list[Any]:
    records = []
    for item in items or ():
        values = dict(item)
        for name, parse in dates.items():
            values[name] = parse(values.get(name))
        records.append(SimpleNamespace(**values))
    return records


def parse(document: dict[str, Any]) -> CaseDocument:
    return CaseDocument(
        people=_records(document.get("people")),
        appearances=_records(document.get("appearances"), reported_on=_date),
        notes=_records(document.get("notes"), recorded_on=_date),
        leads=_records(document.get("leads")),
        flags=_records(document.get("flags")),
        episodes=_records(document.get("episodes"), missing_from=_datetime, returned_at=_datetime),
        vehicles=[dict(v) for v in document.get("vehicles") or ()],
        locations=[dict(v) for v in document.get("locations") or ()],
        network=document.get("network"),
    )


def load(connection: Connection, run_id: str, case_row: Row[Any]) -> CaseDocument:
    """The case's stored document: from `case_row.document` when the row was read with it
    (`relook.review.case_page.find_case`), else from the store; built from the run tables
    for a run imported before documents were stored."""
    mapping = case_row._mapping
    if "document" in mapping:
        text = mapping["document"]
    else:
        stored = connection.execute(_DOCUMENT, {"run_id": run_id, "case_id": case_row.case_id})
        text = stored.scalar_one_or_none()
    document = json.loads(text) if text else document_from_tables(connection, run_id, case_row)
    return parse(document)


# --- the same document from the run tables ---------------------------------------------


def _of_case(table: Any, *order: Any) -> Any:
    return select(table).where(table.c.run_id == _RUN, table.c.case_id == _CASE).order_by(*order)


_PEOPLE = _of_case(run_people, run_people.c.role, run_people.c.mention_id)
_NOTES = _of_case(run_notes, run_notes.c.recorded_on.asc().nulls_last(), run_notes.c.note_id)
_LEADS = _of_case(run_leads, run_leads.c.lead_id)
_FLAGS = _of_case(run_language, run_language.c.flag_no)
_VEHICLES = _of_case(run_vehicles, run_vehicles.c.vehicle_id)
_LOCATIONS = _of_case(run_locations, run_locations.c.location_id)
_APPEARANCES = (
    select(
        run_people.c.person_id,
        run_people.c.role,
        run_cases.c.case_id,
        run_cases.c.reported_on,
        run_cases.c.network_id,
    )
    .distinct()
    .join(
        run_cases,
        (run_cases.c.run_id == run_people.c.run_id) & (run_cases.c.case_id == run_people.c.case_id),
    )
    .where(
        run_people.c.run_id == _RUN,
        run_people.c.person_id.in_(bindparam("person_ids", expanding=True)),
        run_people.c.case_id != _CASE,
    )
    .order_by(
        run_cases.c.reported_on.asc().nulls_last(),
        run_cases.c.case_id,
        run_people.c.person_id,
        run_people.c.role,
    )
)
_EPISODES = (
    select(run_episodes)
    .where(
        run_episodes.c.run_id == _RUN,
        or_(
            run_episodes.c.person_id.in_(bindparam("person_ids", expanding=True)),
            run_episodes.c.episode_id.in_(bindparam("episode_ids", expanding=True)),
        ),
    )
    .order_by(run_episodes.c.missing_from.asc().nulls_last(), run_episodes.c.episode_id)
)
_NETWORK = select(run_networks).where(
    run_networks.c.run_id == _RUN, run_networks.c.network_id == bindparam("network_id")
)
_NETWORK_CASES = (
    select(run_cases.c.case_id, run_cases.c.priority_band, run_cases.c.in_scope_wider)
    .where(run_cases.c.run_id == _RUN, run_cases.c.network_id == bindparam("network_id"))
    .order_by(run_cases.c.case_id)
)
_NETWORK_SUSPECTS = (
    select(run_network_suspects.c.person_id, run_network_suspects.c.betweenness)
    .where(
        run_network_suspects.c.run_id == _RUN,
        run_network_suspects.c.network_id == bindparam("network_id"),
    )
    .order_by(run_network_suspects.c.betweenness.desc(), run_network_suspects.c.person_id)
)
_NETWORK_SUSPECT_MENTIONS = (
    select(run_people.c.person_id, run_people.c.forenames, run_people.c.surname)
    .join(
        run_cases,
        (run_cases.c.run_id == run_people.c.run_id) & (run_cases.c.case_id == run_people.c.case_id),
    )
    .where(
        run_people.c.run_id == _RUN,
        run_cases.c.network_id == bindparam("network_id"),
        run_people.c.role == "suspect",
        run_people.c.person_id.is_not(None),
    )
    .order_by(run_people.c.mention_id)
)


def _json_value(value: Any) -> Any:
    """Dates as the JSON text DuckDB writes for them."""
    if isinstance(value, dt.datetime):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _pick(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    mapping = row._mapping
    return {name: _json_value(mapping[name]) for name in fields}


def _network_document(connection: Connection, run_id: str, network_id: str) -> dict[str, Any]:
    params = {"run_id": run_id, "network_id": network_id}
    summary = connection.execute(_NETWORK, params).first()
    names: dict[str, str] = {}
    for row in connection.execute(_NETWORK_SUSPECT_MENTIONS, params):
        name = " ".join(p for p in (row.forenames, row.surname) if p)
        names.setdefault(row.person_id, name or "(name not recorded)")
    return {
        "network_id": network_id,
        "n_cases": summary.n_cases if summary else None,
        "n_suspects": summary.n_suspects if summary else None,
        "n_victims": summary.n_victims if summary else None,
        "linking_identifiers": summary.linking_identifiers if summary else None,
        "supporting_identifiers": summary.supporting_identifiers if summary else None,
        "cases": [
            {
                "case_id": r.case_id,
                "priority_band": r.priority_band,
                "in_scope_wider": bool(r.in_scope_wider),
            }
            for r in connection.execute(_NETWORK_CASES, params)
        ],
        "suspects": [
            {"person_id": r.person_id, "betweenness": r.betweenness}
            for r in connection.execute(_NETWORK_SUSPECTS, params)
        ],
        "names": [{"person_id": p, "name": n} for p, n in sorted(names.items())],
    }


def document_from_tables(connection: Connection, run_id: str, case_row: Row[Any]) -> dict[str, Any]:
    ids = {"run_id": run_id, "case_id": case_row.case_id}
    people = list(connection.execute(_PEOPLE, ids))
    person_ids = sorted({p.person_id for p in people if p.person_id})
    victims = sorted({p.person_id for p in people if p.person_id and p.role == "victim"})
    leads = list(connection.execute(_LEADS, ids))
    episode_ids = sorted(
        {lead.source_id for lead in leads if lead.source_table == "missing_episodes"} - {None}
    )
    appearances: list[Any] = (
        list(connection.execute(_APPEARANCES, {**ids, "person_ids": person_ids}))
        if person_ids
        else []
    )
    episodes: list[Any] = (
        list(
            connection.execute(
                _EPISODES, {"run_id": run_id, "person_ids": victims, "episode_ids": episode_ids}
            )
        )
        if victims or episode_ids
        else []
    )
    return {
        "people": [_pick(p, PEOPLE_FIELDS) for p in people],
        "appearances": [
            {
                "person_id": a.person_id,
                "role": a.role,
                "case_id": a.case_id,
                "reported_on": _json_value(a.reported_on),
                "network_id": a.network_id,
            }
            for a in appearances
        ],
        "notes": [
            _pick(n, ("note_id", "recorded_on", "author_role", "text"))
            for n in connection.execute(_NOTES, ids)
        ],
        "leads": [_pick(lead, LEAD_FIELDS) for lead in leads],
        "flags": [_pick(f, FLAG_FIELDS) for f in connection.execute(_FLAGS, ids)],
        "episodes": [_pick(e, EPISODE_FIELDS) for e in episodes],
        "vehicles": [_pick(v, VEHICLE_FIELDS) for v in connection.execute(_VEHICLES, ids)],
        "locations": [_pick(v, LOCATION_FIELDS) for v in connection.execute(_LOCATIONS, ids)],
        "network": _network_document(connection, run_id, case_row.network_id)
        if case_row.network_id
        else None,
    }
