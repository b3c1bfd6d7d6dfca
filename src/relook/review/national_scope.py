"""Which store rows the national export reads, and who and where among them is protected.

* the cases exported: in scope of the review (the wider definition), or all of them;
* a protected record: a victim on any case, or of a person who is a missing child
  (`relook.review.visibility.protects_person`, as SQL over the run's tables);
* protected places: the addresses, postcodes and care settings of protected persons, by
  the keys `relook.review.addresses` matches on, so that any spelling is found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, exists, func, or_, select, true
from sqlalchemy.sql import alias

from relook.review.addresses import address_key, postcode_key
from relook.store.tables import run_cases, run_episodes, run_locations, run_people, run_vehicles

STREAM = {"stream_results": True, "yield_per": 2000}
"""Execution options that read a large result in batches instead of all at once."""


def exported_case(run_id: str, all_cases: bool) -> ColumnElement[bool]:
    scope = true() if all_cases else run_cases.c.in_scope_wider.is_(True)
    return and_(run_cases.c.run_id == run_id, scope)


def in_exported_cases(query: Select[Any], table: Any, run_id: str, all_cases: bool) -> Select[Any]:
    """`query` (selecting from `table`) narrowed to the rows of the exported cases."""
    on_case = and_(run_cases.c.run_id == table.c.run_id, run_cases.c.case_id == table.c.case_id)
    return query.join(run_cases, on_case).where(
        table.c.run_id == run_id, exported_case(run_id, all_cases)
    )


def victim_anywhere(run_id: str, person_id: ColumnElement[Any]) -> ColumnElement[bool]:
    victims = alias(run_people, "victims")
    return exists().where(
        victims.c.run_id == run_id, victims.c.person_id == person_id, victims.c.role == "victim"
    )


def missing_child(run_id: str, person_id: ColumnElement[Any]) -> ColumnElement[bool]:
    return exists().where(run_episodes.c.run_id == run_id, run_episodes.c.person_id == person_id)


def protected_record(run_id: str, person_id: ColumnElement[Any], role: ColumnElement[Any]) -> Any:
    """Whether a record's person is protected: a victim on any case, or a missing child."""
    return or_(
        role == "victim", victim_anywhere(run_id, person_id), missing_child(run_id, person_id)
    )


def count_records(connection: Connection, run_id: str, *, all_cases: bool) -> int:
    """How many rows the export reads (the progress bar's total)."""
    total = connection.execute(
        select(func.count()).select_from(run_cases).where(exported_case(run_id, all_cases))
    ).scalar_one()
    for table in (run_people, run_vehicles, run_locations):
        query = select(func.count()).select_from(table)
        total += connection.execute(in_exported_cases(query, table, run_id, all_cases)).scalar_one()
    return int(total)


def recorded_force(connection: Connection, run_id: str) -> str | None:
    """The force named most often on the run's cases, if any is."""
    name = func.trim(run_cases.c.force)
    row = connection.execute(
        select(name.label("force"), func.count().label("n"))
        .where(run_cases.c.run_id == run_id, name != "")
        .group_by(name)
        .order_by(func.count().desc(), name)
        .limit(1)
    ).first()
    return str(row.force) if row else None


@dataclass(frozen=True)
class ProtectedPlaces:
    """Where protected persons live, by the keys `relook.review.addresses` matches on."""

    address_keys: frozenset[tuple[str, ...]] = frozenset()
    postcode_keys: frozenset[str] = frozenset()
    care_settings: frozenset[str] = frozenset()

    def holds_address(self, address: str | None) -> bool:
        key = address_key(address)
        return key is not None and key in self.address_keys

    def holds_postcode(self, postcode: str | None) -> bool:
        key = postcode_key(postcode)
        return key is not None and key in self.postcode_keys

    def names_care_setting(self, name: str | None) -> bool:
        return bool(name) and fold(name) in self.care_settings


NO_PROTECTED_PLACES = ProtectedPlaces()


def fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def protected_places(connection: Connection, run_id: str) -> ProtectedPlaces:
    """Every address, postcode and care setting a protected person has on any record."""
    rows = connection.execution_options(**STREAM).execute(
        select(run_people.c.address, run_people.c.postcode, run_people.c.care_setting).where(
            run_people.c.run_id == run_id,
            protected_record(run_id, run_people.c.person_id, run_people.c.role),
        )
    )
    addresses: set[tuple[str, ...]] = set()
    postcodes: set[str] = set()
    settings: set[str] = set()
    for row in rows:
        if (key := address_key(row.address)) is not None:
            addresses.add(key)
        if (code := postcode_key(row.postcode)) is not None:
            postcodes.add(code)
        if row.care_setting:
            settings.add(fold(row.care_setting))
    episode_settings = connection.execute(
        select(run_episodes.c.care_setting).where(
            run_episodes.c.run_id == run_id, run_episodes.c.care_setting.is_not(None)
        )
    ).scalars()
    settings.update(fold(s) for s in episode_settings if s)
    return ProtectedPlaces(frozenset(addresses), frozenset(postcodes), frozenset(settings))
