"""The national export: FollowTheMoney entities that validate, that link two forces
through a shared phone and nothing unrelated, that pseudonymise victims, and that are
audited as a disclosure.

Two small synthetic forces are generated and run through the real pipeline once for the
module; the second is renamed, and suspects in both are given phone numbers FtM accepts
(the generator uses Ofcom's drama ranges, which FtM's phone type refuses): one number
shared by a suspect of each force, and one number of their own for two other suspects.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from followthemoney import model
from followthemoney.graph import Graph
from followthemoney.types import registry
from sqlalchemy import select

from relook import atomic
from relook.commands import national_export_command
from relook.errors import RelookError
from relook.runs import run_force
from relook.security import accounts
from relook.security.audit import SYSTEM
from relook.store.engine import DATABASE_URL_ENV
from relook.store.tables import audit_log
from relook.synth import generate
from relook.workspace import Workspace

SHARED_PHONE = "+447400123456"
"""phonenumbers' own example of a UK mobile: valid, and nobody's number."""
OWN_PHONES = ("+447400123457", "+447400123458")
FORCE_A, FORCE_B = "Northmoor Police", "Southmoor Police"
REASON = "national operation linking suspects across forces"
PASSWORD = "correct horse battery staple"
PROTECTED = {"gender", "ethnicity", "nationality", "religion"}


@dataclass(frozen=True)
class Force:
    name: str
    data: Path
    workspace: Path
    shared_mention: str
    own_mention: str
    moved_mention: str | None
    """A suspect given a victim's address (force A only)."""
    victim_address: str | None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _prepare(data: Path, name: str, own_phone: str, *, move_suspect: bool) -> dict[str, Any]:
    """Rename the force, give two suspects (of different names) FtM-valid phones, and in
    force A put a third suspect at a victim's address."""
    cases = _rows(data / "cases.csv")
    for row in cases:
        row["force"] = name
    _write_rows(data / "cases.csv", cases)
    people = _rows(data / "people.csv")
    suspects = [r for r in people if r["role"] == "suspect" and r["surname"]]
    shared = suspects[0]
    own = next(r for r in suspects if r["surname"] != shared["surname"])
    shared["phone"], own["phone"] = SHARED_PHONE, own_phone
    moved, victim_address = None, None
    if move_suspect:
        victim = next(r for r in people if r["role"] == "victim" and r["address"].strip())
        moved = next(r for r in suspects if r not in (shared, own) and not r["address"].strip())
        moved["address"], victim_address = victim["address"], victim["address"]
    _write_rows(data / "people.csv", people)
    return {
        "shared_mention": shared["mention_id"],
        "own_mention": own["mention_id"],
        "moved_mention": moved["mention_id"] if moved else None,
        "victim_address": victim_address,
    }


@pytest.fixture(scope="module")
def forces(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Force, Force]]:
    base = tmp_path_factory.mktemp("national")
    saved = os.environ.pop(DATABASE_URL_ENV, None)
    try:
        made = []
        for name, seed, phone in ((FORCE_A, 3, OWN_PHONES[0]), (FORCE_B, 4, OWN_PHONES[1])):
            data, workspace = base / f"data-{seed}", base / f"ws-{seed}"
            generate(data, cases=60, seed=seed)
            facts = _prepare(data, name, phone, move_suspect=name == FORCE_A)
            run_force(data, base / f"out-{seed}", workspace=Workspace(workspace))
            with Workspace(workspace).store() as store, store.write() as connection:
                for user, role in (("sup1", "supervisor"), ("rev1", "reviewer")):
                    accounts.create_user(connection, user, role, PASSWORD, by=SYSTEM)
            made.append(Force(name, data, workspace, **facts))
        yield made[0], made[1]
    finally:
        if saved is not None:
            os.environ[DATABASE_URL_ENV] = saved


def _export(force: Force, out: Path, **options: Any) -> list[dict[str, Any]]:
    national_export_command.run(force.workspace, out=out, reason=REASON, by="sup1", **options)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _dangling(entities: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(entity, the id it points at) for every reference to an entity not in the file."""
    ids = {e["id"] for e in entities}
    return [
        (data["id"], value)
        for data in entities
        for prop, value in model.get_proxy(data).itervalues()
        if prop.type == registry.entity and value not in ids
    ]


def _node(entity_id: str) -> str:
    """The entity's node in a FtM graph."""
    return str(registry.entity.node_id(entity_id))


def _person_of(entities: list[dict[str, Any]], mention_id: str) -> str:
    """The Person entity id the record `mention_id` joins its case as."""
    return next(
        e["properties"]["party"][0]
        for e in entities
        if e["schema"] == "CourtCaseParty" and e["properties"]["recordId"] == [mention_id]
    )


def test_every_entity_validates_against_its_schema(
    forces: tuple[Force, Force], tmp_path: Path
) -> None:
    entities = _export(forces[0], tmp_path / "a.ftm.json", all_cases=True)
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids)), "one entity per id"
    schemata = {e["schema"] for e in entities}
    assert {"CourtCase", "CourtCaseParty", "Person", "Vehicle", "Address"} <= schemata
    for data in entities:
        schema = model.get(data["schema"])
        assert schema is not None
        assert schema.validate(data) is None
        proxy = model.get_proxy(data, cleaned=False)
        # Cleaning again changes nothing: every value was cleaned by the model when built.
        assert proxy.to_dict()["properties"] == data["properties"]
    assert not _dangling(entities)


def test_two_forces_link_through_the_shared_phone_only(
    forces: tuple[Force, Force], tmp_path: Path
) -> None:
    a, b = forces
    first = _export(a, tmp_path / "a.ftm.json", all_cases=True)
    second = _export(b, tmp_path / "b.jsonl", all_cases=True)
    assert not {e["id"] for e in first} & {e["id"] for e in second}, "two forces' ids never meet"

    graph = Graph(edge_types=[registry.phone, registry.identifier])
    for data in [*first, *second]:
        graph.add(model.get_proxy(data))
    shared_node = registry.phone.node_id(SHARED_PHONE)
    linked = {edge.source_id for edge in graph.iteredges() if edge.target_id == shared_node}
    suspect_a, suspect_b = _person_of(first, a.shared_mention), _person_of(second, b.shared_mention)
    assert linked == {_node(suspect_a), _node(suspect_b)}

    network = nx.Graph((edge.source_id, edge.target_id) for edge in graph.iteredges())
    assert nx.has_path(network, _node(suspect_a), _node(suspect_b))
    # Each force's own number reaches its suspect and no one in the other force.
    for own, entities, other in ((0, first, second), (1, second, first)):
        own_node = registry.phone.node_id(OWN_PHONES[own])
        holder = _person_of(entities, (a, b)[own].own_mention)
        assert network.has_edge(_node(holder), own_node)
        others = {_node(e["id"]) for e in other}
        assert not others & nx.node_connected_component(network.subgraph(
            n for n in network if n != shared_node), own_node)  # fmt: skip


def test_victims_are_pseudonyms_unless_revealed(
    forces: tuple[Force, Force], tmp_path: Path
) -> None:
    a = forces[0]
    people = _rows(a.data / "people.csv")

    def full_names(role: str) -> set[str]:
        return {f"{r['forenames']} {r['surname']}" for r in people if r["role"] == role}

    victim_names = full_names("victim") - full_names("suspect")
    assert victim_names

    hidden = _export(a, tmp_path / "hidden.ftm.json", all_cases=True)
    victims = {
        e["properties"]["party"][0]
        for e in hidden
        if e["schema"] == "CourtCaseParty" and e["properties"]["role"] == ["victim"]
    }
    assert victims
    for entity in hidden:
        if entity["id"] in victims:
            assert list(entity["properties"]) == ["name"]
            assert entity["properties"]["name"][0].startswith("Victim ")
    text = (tmp_path / "hidden.ftm.json").read_text(encoding="utf-8")
    assert not [name for name in victim_names if name in text]

    revealed = _export(a, tmp_path / "revealed.ftm.json", all_cases=True, reveal_victims=True)
    names = {n for e in revealed if e["id"] in victims for n in e["properties"]["name"]}
    assert names & victim_names


def test_a_protected_address_is_withheld_from_a_suspect(
    forces: tuple[Force, Force], tmp_path: Path
) -> None:
    a = forces[0]
    assert a.moved_mention and a.victim_address
    hidden = _export(a, tmp_path / "hidden.ftm.json", all_cases=True)
    assert a.victim_address not in (tmp_path / "hidden.ftm.json").read_text(encoding="utf-8")
    moved = _person_of(hidden, a.moved_mention)
    assert next(e for e in hidden if e["id"] == moved)["properties"].get("address") is None

    _export(a, tmp_path / "revealed.ftm.json", all_cases=True, reveal_victims=True)
    assert a.victim_address in (tmp_path / "revealed.ftm.json").read_text(encoding="utf-8")


def test_no_protected_characteristic_is_exported(
    forces: tuple[Force, Force], tmp_path: Path
) -> None:
    a = forces[0]
    recorded = _rows(a.data / "people.csv")
    assert any(r["ethnicity"] for r in recorded) and any(r["sex"] for r in recorded)
    for reveal in (False, True):
        for entity in _export(
            a, tmp_path / f"{reveal}.ftm.json", all_cases=True, reveal_victims=reveal
        ):
            assert not PROTECTED & set(entity["properties"])


def test_marks_are_normalised_and_the_export_is_repeatable(
    forces: tuple[Force, Force], tmp_path: Path
) -> None:
    a = forces[0]
    first = _export(a, tmp_path / "one.ftm.json")
    assert not _dangling(first), "the cases in scope carry every entity they point at"
    marks = [
        m
        for e in first
        if e["schema"] == "Vehicle"
        for m in e["properties"].get("registrationNumber", [])
    ]
    assert marks and all(m == m.replace(" ", "").upper() for m in marks)
    _export(a, tmp_path / "two.ftm.json")
    assert (tmp_path / "one.ftm.json").read_bytes() == (tmp_path / "two.ftm.json").read_bytes()
    everything = _export(a, tmp_path / "all.ftm.json", all_cases=True)
    cases = [e for e in first if e["schema"] == "CourtCase"]
    assert 0 < len(cases) < len([e for e in everything if e["schema"] == "CourtCase"])


def test_the_export_is_audited_with_its_reason(forces: tuple[Force, Force], tmp_path: Path) -> None:
    a = forces[0]
    out = tmp_path / "audited.ftm.json"
    entities = _export(a, out, reveal_victims=True)
    with Workspace(a.workspace).store() as store, store.read() as connection:
        entry = connection.execute(
            select(audit_log).where(audit_log.c.action == "export").order_by(audit_log.c.seq.desc())
        ).first()
    assert entry is not None
    assert (entry.actor, entry.role, entry.object_type, entry.object_id, entry.reason) == (
        "sup1", "supervisor", "national_export", out.name, REASON,
    )  # fmt: skip
    detail = json.loads(entry.detail)
    assert detail["entities"] == len(entities)
    assert detail["reveal_victims"] is True
    assert detail["force"] == FORCE_A


def test_who_may_export_and_how(forces: tuple[Force, Force], tmp_path: Path) -> None:
    a = forces[0]
    out = tmp_path / "refused.ftm.json"
    cases = [
        (["--by", "rev1"], "may not make the national export"),
        (["--by", "nobody"], "no active account"),
        (["--by", "sup1", "--reason", "because"], "give a reason in words"),
    ]
    for extra, message in cases:
        args = ["export", "national", "--workspace", str(a.workspace), "--out", str(out)]
        if "--reason" not in extra:
            args += ["--reason", REASON]
        result = subprocess.run(
            [sys.executable, "-c", "from relook.cli import main; main()", *args, *extra],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 or "Traceback" not in result.stderr
        assert not out.exists()
    with pytest.raises(RelookError, match="FtM JSON lines"):
        national_export_command.run(a.workspace, out=tmp_path / "x.csv", reason=REASON, by="sup1")


def test_a_failed_export_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "export.ftm.json"
    target.write_text("the previous export\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic.staged_file(target) as handle:
        handle.write("half of an export")
        raise RuntimeError("killed")
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
