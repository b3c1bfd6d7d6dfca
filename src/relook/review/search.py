"""Search across the force: a case reference, a name (with its nickname and spelling
variants), an alias, a registration mark, a phone number or a postcode.

What a reviewer types is read every way it could be meant, each with the normaliser the
pipeline uses for that kind of value, so "07700 900123" finds "+447700900123" and "Bob
Smith" finds "Robert Smith". The values are indexed once per run and process (a few
seconds at 9,000 cases, then each search is a handful of dictionary look-ups).

Need to know: a hit on a case the user may not open is only counted, never shown, and a
hit never shows the value that matched (a victim's full name, say): only the case, the
kind of match and the role of the person matched.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import Connection, select

from relook.normalise.names import fold_name, forename_group, split_aliases
from relook.normalise.phones import to_e164
from relook.normalise.postcodes import normalise_postcode
from relook.normalise.vrm import Vrm, VrmFormat, normalise_vrm
from relook.review.access import Reach
from relook.store.tables import run_cases, run_locations, run_people, run_vehicles

MAX_QUERY = 120
MIN_NAME = 2


class MatchKind(StrEnum):
    CASE = "case reference"
    NAME = "name"
    SURNAME = "surname"
    FORENAME = "forename"
    ALIAS = "alias"
    VEHICLE = "registration mark"
    PHONE = "phone"
    POSTCODE = "postcode"


@dataclass(frozen=True)
class _Entry:
    case_id: str
    role: str | None
    """The role of the person matched; None for a case, vehicle or place."""


Key = tuple[MatchKind, str]


@dataclass
class SearchIndex:
    run_id: str
    entries: dict[Key, list[_Entry]] = field(default_factory=lambda: defaultdict(list))
    networks: dict[str, str | None] = field(default_factory=dict)

    def add(self, kind: MatchKind, key: str | None, case_id: str, role: str | None) -> None:
        if key:
            self.entries[(kind, key)].append(_Entry(case_id, role))


@dataclass(frozen=True)
class CaseHit:
    case_id: str
    matched: tuple[str, ...]
    """What matched on this case, in words ("surname of a suspect", "phone")."""


@dataclass(frozen=True)
class SearchResult:
    query: str
    meanings: tuple[MatchKind, ...]
    """The ways the query was read."""
    hits: list[CaseHit]
    hidden: int
    """Cases that match but that the user may not open: counted, not shown."""


def _name_keys(forenames: str | None, surname: str | None) -> Iterator[Key]:
    first, last = fold_name(forenames), fold_name(surname)
    if last:
        yield MatchKind.SURNAME, last
    if first:
        yield MatchKind.FORENAME, forename_group(first.split()[0])
    if first and last:
        yield MatchKind.NAME, f"{forename_group(first.split()[0])} {last}"


def _index_people(index: SearchIndex, connection: Connection) -> None:
    people = select(
        run_people.c.case_id, run_people.c.role, run_people.c.forenames, run_people.c.surname,
        run_people.c.aliases, run_people.c.phone, run_people.c.postcode,
    ).where(run_people.c.run_id == index.run_id)  # fmt: skip
    for case_id, role, forenames, surname, aliases, phone, postcode in connection.execute(people):
        for kind, key in _name_keys(forenames, surname):
            index.add(kind, key, case_id, role)
        for alias in split_aliases(aliases):
            index.add(MatchKind.ALIAS, alias, case_id, role)
        index.add(MatchKind.PHONE, to_e164(phone), case_id, role)
        index.add(MatchKind.POSTCODE, normalise_postcode(postcode), case_id, role)


def build_index(connection: Connection, run_id: str) -> SearchIndex:
    index = SearchIndex(run_id)
    for case_id, network_id in connection.execute(
        select(run_cases.c.case_id, run_cases.c.network_id).where(run_cases.c.run_id == run_id)
    ):
        index.networks[case_id] = network_id
        index.add(MatchKind.CASE, case_id.upper(), case_id, None)
    _index_people(index, connection)
    for case_id, vrm in connection.execute(
        select(run_vehicles.c.case_id, run_vehicles.c.vrm).where(run_vehicles.c.run_id == run_id)
    ):
        mark = normalise_vrm(vrm)
        index.add(MatchKind.VEHICLE, mark.canonical if mark else None, case_id, None)
    for case_id, postcode in connection.execute(
        select(run_locations.c.case_id, run_locations.c.postcode).where(
            run_locations.c.run_id == run_id
        )
    ):
        index.add(MatchKind.POSTCODE, normalise_postcode(postcode), case_id, None)
    return index


_cache: dict[str, SearchIndex] = {}
_cache_lock = threading.Lock()


def index_for(connection: Connection, run_id: str) -> SearchIndex:
    """The run's index, built on first use and kept for the process (one run at a time)."""
    with _cache_lock:
        cached = _cache.get(run_id)
        if cached is None:
            cached = build_index(connection, run_id)
            _cache.clear()  # only the run being shown is searched
            _cache[run_id] = cached
        return cached


def _could_be_a_mark(mark: Vrm) -> bool:
    """A valid layout, or a partial mark as records hold them (letters and digits)."""
    if mark.format is not VrmFormat.INVALID:
        return True
    text = mark.canonical
    return len(text) >= 4 and any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


def meanings(query: str) -> list[Key]:
    """Every way `query` can be read, as index keys."""
    text = query.strip()[:MAX_QUERY]
    keys: list[Key] = [(MatchKind.CASE, text.upper())]
    mark = normalise_vrm(text)
    if mark is not None and _could_be_a_mark(mark):
        keys.append((MatchKind.VEHICLE, mark.canonical))
    phone = to_e164(text)
    if phone:
        keys.append((MatchKind.PHONE, phone))
    postcode = normalise_postcode(text)
    if postcode:
        keys.append((MatchKind.POSTCODE, postcode))
    folded = fold_name(text)
    if not folded or len(folded) < MIN_NAME:
        return keys
    keys.append((MatchKind.ALIAS, folded))  # street names may hold digits ("K2")
    if not any(ch.isdigit() for ch in folded):
        words = folded.split()
        if len(words) == 1:
            keys += [(MatchKind.SURNAME, folded), (MatchKind.FORENAME, forename_group(folded))]
        else:
            group = forename_group(words[0])
            for surname in dict.fromkeys((" ".join(words[1:]), words[-1])):
                keys.append((MatchKind.NAME, f"{group} {surname}"))
    return keys


def _described(kind: MatchKind, role: str | None) -> str:
    return f"{kind.value} of a {role.replace('_', ' ')}" if role else kind.value


def _matches(index: SearchIndex, keys: Iterable[Key]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for kind, key in keys:
        for entry in index.entries.get((kind, key), ()):
            found[entry.case_id].add(_described(kind, entry.role))
    return found


def search(index: SearchIndex, query: str, reach: Reach) -> SearchResult:
    keys = meanings(query)
    found = _matches(index, keys)
    shown = sorted(c for c in found if reach.may_open(c, index.networks.get(c)))
    hits = [CaseHit(case_id, tuple(sorted(found[case_id]))) for case_id in shown]
    kinds = tuple(dict.fromkeys(kind for kind, _ in keys))
    return SearchResult(query.strip()[:MAX_QUERY], kinds, hits, len(found) - len(shown))
