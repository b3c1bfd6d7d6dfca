"""Networks on hand-made cases: what joins, what only supports, and what is a hub."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path

import duckdb
import networkx as nx
from handmade import case, load, person

from relook.pipeline.link import _betweenness, build_networks, network_id_for


def _networks(con: duckdb.DuckDBPyConnection) -> list[list[str]]:
    rows = con.execute(
        "SELECT list(case_id ORDER BY case_id) FROM networks GROUP BY network_id ORDER BY 1"
    ).fetchall()
    return [list(r[0]) for r in rows]


def _vehicle(vehicle_id: str, case_id: str, vrm: str, mention_id: str = "") -> dict[str, str]:
    return {"vehicle_id": vehicle_id, "case_id": case_id, "vrm": vrm, "mention_id": mention_id}


def test_shared_suspect_vehicle_and_phone_join_cases(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    cases = [case(f"C{i}") for i in range(1, 8)]
    people = [
        person("S1", "C1", "suspect"),
        person("S2", "C2", "suspect"),  # same person P1
        person("S3", "C3", "suspect", phone="07700 900111"),
        person("S4", "C4", "suspect", phone="+44 7700 900111"),  # same phone
        person("S5", "C5", "suspect"),
        person("S6", "C6", "suspect"),
        person("V7", "C7", "victim"),
    ]
    vehicles = [_vehicle("V1", "C5", "ab12 cde"), _vehicle("V2", "C6", "AB12CDE")]
    load(
        con,
        tmp_path / "d",
        {"cases": cases, "people": people, "vehicles": vehicles},
        persons={"S1": "P1", "S2": "P1"},
    )
    result = build_networks(con)
    assert _networks(con) == [["C1", "C2"], ["C3", "C4"], ["C5", "C6"]]
    assert result.networks == 3 and result.cases_in_networks == 6
    summary = dict(
        con.execute("SELECT network_id, linking_identifiers FROM network_summary").fetchall()
    )
    assert summary[network_id_for(["C1", "C2"])] == "suspect=P1 (C1,C2)"
    assert summary[network_id_for(["C3", "C4"])] == "phone=+447700900111 (C3,C4)"
    assert summary[network_id_for(["C5", "C6"])] == "vrm=AB12CDE (C5,C6)"


def test_a_shared_hotel_supports_but_never_joins(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    hotel = {"kind": "hotel", "name": "Station Hotel", "postcode": "M1 1AE"}
    locations = [{"location_id": f"L{i}", "case_id": f"C{i}", **hotel} for i in (1, 2, 3)]
    people = [person("S1", "C1", "suspect"), person("S2", "C2", "suspect")]
    load(
        con,
        tmp_path / "d",
        {"cases": [case("C1"), case("C2"), case("C3")], "people": people, "locations": locations},
        persons={"S1": "P1", "S2": "P1"},
    )
    build_networks(con)
    assert _networks(con) == [["C1", "C2"]]
    supporting = con.execute("SELECT supporting_identifiers FROM network_summary").fetchone()
    assert supporting is not None and "place=station hotel M1 1AE (C1,C2)" in supporting[0]


def test_victim_in_two_cases_is_repeat_victimisation_not_a_network(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    people = [person("V1", "C1", "victim"), person("V2", "C2", "victim")]
    load(
        con,
        tmp_path / "d",
        {"cases": [case("C1"), case("C2")], "people": people},
        persons={"V1": "P9", "V2": "P9"},
    )
    build_networks(con)
    assert _networks(con) == []
    assert con.execute("SELECT * FROM repeat_victims").fetchall() == [("P9", 2, "C1,C2")]


def test_identifier_shared_by_implausibly_many_cases_is_reported_not_used(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    cases = [case(f"C{i:02d}") for i in range(6)]
    vehicles = [_vehicle(f"V{i}", f"C{i:02d}", "AB12CDE") for i in range(6)]
    load(con, tmp_path / "d", {"cases": cases, "vehicles": vehicles})
    result = build_networks(con, max_cases_per_identifier=5)
    assert _networks(con) == []
    assert result.hub_identifiers == 1
    assert con.execute("SELECT * FROM hub_identifiers").fetchall() == [("vrm", "AB12CDE", 6)]


def test_vehicle_of_a_victim_and_invalid_marks_do_not_join(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    people = [person("V1", "C1", "victim"), person("V2", "C2", "victim")]
    vehicles = [
        _vehicle("X1", "C1", "AB12CDE", "V1"),
        _vehicle("X2", "C2", "AB12CDE", "V2"),
        _vehicle("X3", "C3", "AB12"),
        _vehicle("X4", "C4", "AB12"),
    ]
    cases = [case(f"C{i}") for i in range(1, 5)]
    load(con, tmp_path / "d", {"cases": cases, "people": people, "vehicles": vehicles})
    build_networks(con)
    assert _networks(con) == []


def test_suspect_centrality_in_a_chain(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    # A and B offend together in C1, B and C in C2: B sits between them.
    people = [
        person("A1", "C1", "suspect"),
        person("B1", "C1", "suspect"),
        person("B2", "C2", "suspect"),
        person("C2", "C2", "suspect"),
    ]
    load(
        con,
        tmp_path / "d",
        {"cases": [case("C1"), case("C2")], "people": people},
        persons={"A1": "A", "B1": "B", "B2": "B", "C2": "C"},
    )
    build_networks(con)
    rows = con.execute(
        "SELECT person_id, n_cases, degree, betweenness FROM network_suspects ORDER BY 1"
    ).fetchall()
    assert rows == [("A", 1, 1, 0.0), ("B", 2, 2, 1.0), ("C", 1, 1, 0.0)]


def test_betweenness_is_exact_in_a_small_network_and_sampled_in_a_large_one() -> None:
    """Two groups of suspects joined only through one go-between: the go-between ranks
    first whether the figure is exact (small) or estimated from sampled sources (large),
    and the estimate is the same on every run."""

    def two_groups(size: int) -> nx.Graph[str]:
        rng = random.Random(1)
        graph: nx.Graph[str] = nx.Graph()
        for side in ("a", "b"):
            members = [f"{side}{i}" for i in range(size)]
            graph.add_edges_from(pairwise(members))
            graph.add_edges_from((m, rng.choice(members)) for m in members for _ in range(3))
            graph.add_edges_from(("go-between", m) for m in rng.sample(members, 5))
        graph.remove_edges_from(nx.selfloop_edges(graph))
        return graph

    small = two_groups(100)
    assert _betweenness(small) == nx.betweenness_centrality(small, normalized=True)
    large = two_groups(1_200)
    estimate = _betweenness(large)
    assert max(estimate, key=lambda node: estimate[node]) == "go-between"
    assert estimate == _betweenness(large)
