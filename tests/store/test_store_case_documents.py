"""The import's build of the case documents, on a hand-made analysis database: the records
each case page reads, and the facts need to know turns on."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb
import pytest

from relook.review import case_document, case_page
from relook.review.access import Reach
from relook.security.policy import Role
from relook.store import case_documents

TABLES = {
    "cases": "case_id VARCHAR, reported_on DATE",
    "screening": "case_id VARCHAR, in_scope_wider BOOLEAN",
    "networks": "case_id VARCHAR, network_id VARCHAR",
    "people": "mention_id VARCHAR, case_id VARCHAR, role VARCHAR, forenames VARCHAR,"
    " surname VARCHAR, aliases VARCHAR, date_of_birth VARCHAR, age_at_offence INTEGER,"
    " address VARCHAR, postcode VARCHAR, phone VARCHAR, nominal_id VARCHAR,"
    " relationship_to_victim VARCHAR, in_care BOOLEAN, care_setting VARCHAR",
    "persons": "record_id VARCHAR, person_id VARCHAR",
    "notes": "note_id VARCHAR, case_id VARCHAR, recorded_on DATE, author_role VARCHAR,"
    " text VARCHAR",
    "missing_episodes": "episode_id VARCHAR, forenames VARCHAR, surname VARCHAR,"
    " care_setting VARCHAR, missing_from TIMESTAMP, returned_at TIMESTAMP,"
    " found_location VARCHAR, found_with VARCHAR",
    "vehicles": "vehicle_id VARCHAR, case_id VARCHAR, vrm VARCHAR, make VARCHAR,"
    " model VARCHAR, colour VARCHAR, mention_id VARCHAR, context VARCHAR",
    "locations": "location_id VARCHAR, case_id VARCHAR, kind VARCHAR, name VARCHAR,"
    " address VARCHAR, postcode VARCHAR, mention_id VARCHAR",
    "network_summary": "network_id VARCHAR, n_cases INTEGER, n_suspects INTEGER,"
    " n_victims INTEGER, linking_identifiers VARCHAR, supporting_identifiers VARCHAR",
    "network_suspects": "network_id VARCHAR, person_id VARCHAR, betweenness DOUBLE",
}

ROWS = """
INSERT INTO cases VALUES ('C1', '2015-03-02'), ('C2', '2019-05-01');
INSERT INTO screening VALUES ('C1', true), ('C2', false);
INSERT INTO networks VALUES ('C1', 'N1'), ('C2', 'N1');
INSERT INTO people (mention_id, case_id, role, forenames, surname, date_of_birth) VALUES
    ('M1', 'C1', 'victim', 'Amira', 'Hollis', '2001-07'),
    ('M2', 'C1', 'witness', 'Tia', 'Pike', NULL),
    ('M3', 'C1', 'suspect', 'Kyle', 'Marsh', '1990'),
    ('M4', 'C2', 'suspect', 'Amira', 'Hollis', NULL),
    ('M5', 'C2', 'suspect', 'Kyle', 'Marsh', NULL);
INSERT INTO persons VALUES ('M1', 'P1'), ('M4', 'P1'), ('M2', 'P2'), ('E1', 'P2'),
    ('M3', 'P3'), ('M5', 'P3'), ('E2', 'P1');
INSERT INTO notes VALUES ('N1', 'C1', '2015-03-03', 'social_worker', 'Seen with Kyle.');
INSERT INTO missing_episodes (episode_id, forenames, missing_from) VALUES
    ('E1', 'Tia', '2014-01-01 20:00'), ('E2', 'Amira', '2015-02-01 22:00');
INSERT INTO vehicles (vehicle_id, case_id, vrm) VALUES ('V1', 'C1', 'YX61ABC');
INSERT INTO network_summary VALUES ('N1', 2, 2, 1, NULL, NULL);
INSERT INTO network_suspects VALUES ('N1', 'P3', 1.0), ('N1', 'P1', 0.0);
"""


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    con = duckdb.connect()
    for name, columns in TABLES.items():
        con.execute(f"CREATE TABLE {name} ({columns})")
    con.execute(ROWS)
    tables = {name: {c.split()[0] for c in columns.split(",")} for name, columns in TABLES.items()}
    case_documents.create_cases_view(con, tables)
    rows = con.execute(case_documents.documents_sql(tables)).fetchall()
    networks = dict(con.execute(case_documents.network_documents_sql()).fetchall())
    docs = {case_id: json.loads(text) for case_id, text in rows}
    assert all("network" not in doc for doc in docs.values())  # stored once, apart
    # Each case's document as the case page reads it: with its network's beside it.
    return {**docs, "networks": {k: json.loads(v) for k, v in networks.items()}}


def parsed(documents: dict[str, dict[str, Any]], case_id: str) -> case_document.CaseDocument:
    return case_document.parse(documents[case_id], documents["networks"]["N1"])


def test_one_document_per_case_with_its_records(documents: dict[str, dict[str, Any]]) -> None:
    assert list(documents) == ["C1", "C2", "networks"]
    assert list(documents["networks"]) == ["N1"]
    doc = parsed(documents, "C1")
    assert [p.mention_id for p in doc.people] == ["M3", "M1", "M2"]  # by role, then id
    assert [(n.note_id, n.recorded_on) for n in doc.notes] == [("N1", dt.date(2015, 3, 3))]
    # The victim's missing episode; not the witness's, which no lead points to.
    assert [e.episode_id for e in doc.episodes] == ["E2"]
    assert [(a.person_id, a.case_id, a.role) for a in doc.appearances] == [
        ("P1", "C2", "suspect"),
        ("P3", "C2", "suspect"),
    ]
    assert [v.vrm for v in doc.vehicles] == ["YX61ABC"]
    assert doc.leads == [] and doc.flags == []  # a run without leads and language tables
    assert doc.network is not None and [c["case_id"] for c in doc.network["cases"]] == ["C1", "C2"]


def test_each_person_carries_the_facts_need_to_know_turns_on(
    documents: dict[str, dict[str, Any]],
) -> None:
    facts = {
        p.mention_id: (p.victim_in_any_case, p.reported_missing)
        for case in ("C1", "C2")
        for p in parsed(documents, case).people
    }
    assert facts == {
        "M1": (True, True), "M2": (False, True), "M3": (False, False),
        "M4": (True, True), "M5": (False, False),
    }  # fmt: skip
    names = documents["networks"]["N1"]["names"]
    assert [(n["person_id"], n["victim_in_any_case"]) for n in names] == [
        ("P1", True),
        ("P3", False),
    ]


def test_a_suspect_who_is_a_victim_elsewhere_is_protected_on_the_page(
    documents: dict[str, dict[str, Any]],
) -> None:
    doc = parsed(documents, "C2")
    shown = case_page.case_visibility("C2", doc, revealed=False)
    assert shown.protected_ids == {"M4"}
    assert doc.network is not None
    network = case_page.network_view(
        doc.network, "C2", Reach(Role.SUPERVISOR, frozenset(), frozenset()), shown
    )
    assert network.suspect_names == {"P1": "Protected person A", "P3": "Kyle Marsh"}
