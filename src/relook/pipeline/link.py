"""Cross-case networks: cases joined by the offender-side identifiers they share.

Joining identifiers: the same resolved suspect (person_id), the same vehicle (canonical
registration mark of a valid format), the same suspect phone (E.164). Places (a hotel by
normalised name, an address by postcode) are *supporting* links: they are listed when the
cases they join are already in one network, but never join cases on their own, because
a busy hotel or takeaway is shared by many unrelated cases.

An identifier shared by more than `max_cases_per_identifier` cases is implausible as an
offender link (a force's pool car, a switchboard number, a placeholder mark): it is
reported in `hub_identifiers` and not used to join.

Networks are connected components of two or more cases in the case–identifier graph; a
network's id is derived from its smallest case id, so it is stable across re-runs. The
same victim in several cases is repeat victimisation (`repeat_victims`), kept apart from
offender-side networks.

Writes: `networks(network_id, case_id)`, `network_summary(network_id, n_cases,
n_suspects, n_victims, linking_identifiers, supporting_identifiers)`,
`network_suspects(network_id, person_id, n_cases, degree, betweenness)`,
`repeat_victims(person_id, n_cases, case_ids)`, `hub_identifiers(kind, value, n_cases)`.
Betweenness is exact up to 500 suspects in a network and estimated from a sample of
sources above (`EXACT_BETWEENNESS_MAX_SUSPECTS`, `BETWEENNESS_BUDGET`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import NamedTuple

import duckdb
import networkx as nx
import pyarrow as pa

from relook.engine.dialect import distinct_joined
from relook.engine.duckdb_engine import arrow_view
from relook.engine.sql import count

DEFAULT_MAX_CASES_PER_IDENTIFIER = 30
# Betweenness is exact (Brandes: one shortest-path search from every suspect) while a
# network holds at most this many suspects; above it, it is estimated from a sample of
# source suspects (Brandes and Pich's pivot sampling, a fixed seed so that a re-run gives
# the same figures): as many as `BETWEENNESS_BUDGET` node and link visits allow, between
# `MIN_BETWEENNESS_SOURCES` and the exact limit. Exact betweenness costs suspects x links:
# on a generated 150,000-case force, one network of 66,000 cases (chained by phone numbers
# the generator then reissued) kept the link stage busy for over half an hour, and one search over
# 100,000 suspects takes about a second in networkx. Betweenness only orders the suspects
# who connect a network on its page, which a sampled estimate does well enough.
EXACT_BETWEENNESS_MAX_SUSPECTS = 500
BETWEENNESS_BUDGET = 5_000_000
MIN_BETWEENNESS_SOURCES = 10
BETWEENNESS_SEED = 10

_CASE_IDENTIFIERS_SQL = """
WITH suspects AS (
    SELECT p.case_id, p.mention_id, p.phone_e164,
           coalesce(r.person_id, p.mention_id) AS person_id
    FROM people p LEFT JOIN persons r ON r.record_id = p.mention_id
    WHERE p.role = 'suspect'
),
victim_mentions AS (SELECT mention_id FROM people WHERE role = 'victim')
SELECT DISTINCT case_id, 'suspect' AS kind, person_id AS value, 'join' AS strength
FROM suspects
UNION ALL
SELECT DISTINCT case_id, 'phone', phone_e164, 'join' FROM suspects WHERE phone_e164 IS NOT NULL
UNION ALL
SELECT DISTINCT v.case_id, 'vrm', v.vrm_canonical, 'join' FROM vehicles v
WHERE v.vrm_canonical IS NOT NULL AND v.vrm_format <> 'invalid'
  AND (v.mention_id IS NULL OR v.mention_id NOT IN (SELECT mention_id FROM victim_mentions))
UNION ALL
SELECT DISTINCT case_id, 'place', name_folded || coalesce(' ' || postcode_norm, ''), 'support'
FROM locations WHERE name_folded IS NOT NULL AND kind IS DISTINCT FROM 'children_home'
UNION ALL
SELECT DISTINCT case_id, 'postcode', postcode_norm, 'support'
FROM locations WHERE postcode_norm IS NOT NULL AND kind IS DISTINCT FROM 'children_home'
"""


@dataclass(frozen=True)
class LinkResult:
    networks: int
    cases_in_networks: int
    hub_identifiers: int


class _CaseNode(NamedTuple):
    case_id: str


class _IdentifierNode(NamedTuple):
    kind: str
    value: str


class _SuspectCentrality(NamedTuple):
    """A row of `network_suspects`, in its column order."""

    network_id: str
    person_id: str
    n_cases: int
    degree: int
    betweenness: float


def network_id_for(cases: list[str]) -> str:
    return "N" + hashlib.sha1(min(cases).encode("utf-8")).hexdigest()[:10]


def _components(edges: list[tuple[str, str, str]]) -> list[list[str]]:
    graph: nx.Graph[_CaseNode | _IdentifierNode] = nx.Graph()
    for case_id, kind, value in edges:
        graph.add_edge(_CaseNode(case_id), _IdentifierNode(kind, value))
    components = []
    for nodes in nx.connected_components(graph):
        cases = sorted(node.case_id for node in nodes if isinstance(node, _CaseNode))
        if len(cases) >= 2:
            components.append(cases)
    return sorted(components, key=lambda c: (-len(c), c[0]))


def _betweenness(graph: nx.Graph[str]) -> dict[str, float]:
    """Normalised betweenness: exact for a network of up to
    `EXACT_BETWEENNESS_MAX_SUSPECTS` suspects; above it, estimated from as many sampled
    sources as `BETWEENNESS_BUDGET` allows (between the minimum and the exact limit)."""
    nodes = graph.number_of_nodes()
    if nodes <= EXACT_BETWEENNESS_MAX_SUSPECTS:
        return dict(nx.betweenness_centrality(graph, normalized=True))
    affordable = BETWEENNESS_BUDGET // (nodes + graph.number_of_edges())
    sources = max(MIN_BETWEENNESS_SOURCES, min(EXACT_BETWEENNESS_MAX_SUSPECTS, affordable))
    return dict(nx.betweenness_centrality(graph, k=sources, normalized=True, seed=BETWEENNESS_SEED))


def _suspect_centrality(
    con: duckdb.DuckDBPyConnection, networks: dict[str, str]
) -> list[_SuspectCentrality]:
    """Degree and betweenness of each suspect in the co-offending graph of its network."""
    rows = con.execute(
        "SELECT p.case_id, coalesce(r.person_id, p.mention_id) FROM people p"
        " LEFT JOIN persons r ON r.record_id = p.mention_id WHERE p.role = 'suspect'"
        " ORDER BY 1, 2"
    ).fetchall()
    by_network: dict[str, dict[str, set[str]]] = {}
    for case_id, person in rows:
        network = networks.get(case_id)
        if network:
            by_network.setdefault(network, {}).setdefault(person, set()).add(case_id)
    result = []
    for network, people in sorted(by_network.items()):
        graph: nx.Graph[str] = nx.Graph()
        graph.add_nodes_from(sorted(people))
        case_people: dict[str, list[str]] = {}
        for person, cases in people.items():
            for case_id in cases:
                case_people.setdefault(case_id, []).append(person)
        for members in case_people.values():
            members.sort()
            graph.add_edges_from((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
        betweenness = _betweenness(graph)
        for person in sorted(people):
            result.append(
                _SuspectCentrality(
                    network_id=network,
                    person_id=person,
                    n_cases=len(people[person]),
                    degree=graph.degree(person),
                    betweenness=round(betweenness[person], 6),
                )
            )
    return result


def build_networks(
    con: duckdb.DuckDBPyConnection, max_cases_per_identifier: int = DEFAULT_MAX_CASES_PER_IDENTIFIER
) -> LinkResult:
    con.execute(f"CREATE OR REPLACE TEMP TABLE _case_ids AS {_CASE_IDENTIFIERS_SQL}")
    con.execute(
        "CREATE OR REPLACE TABLE hub_identifiers AS SELECT kind, value,"
        " count(DISTINCT case_id) AS n_cases FROM _case_ids GROUP BY kind, value"
        f" HAVING count(DISTINCT case_id) > {int(max_cases_per_identifier)}"
        " ORDER BY n_cases DESC, kind, value"
    )
    edges = con.execute(
        "SELECT case_id, kind, value FROM _case_ids WHERE strength = 'join'"
        " AND (kind, value) NOT IN (SELECT (kind, value) FROM hub_identifiers)"
        " ORDER BY case_id, kind, value"
    ).fetchall()
    components = _components(edges)
    membership = {case: network_id_for(cases) for cases in components for case in cases}
    membership_table = pa.table(
        {
            "network_id": pa.array(list(membership.values()), pa.string()),
            "case_id": pa.array(list(membership), pa.string()),
        }
    )
    with arrow_view(con, "_membership", membership_table):
        con.execute(
            "CREATE OR REPLACE TABLE networks AS"
            " SELECT * FROM _membership ORDER BY network_id, case_id"
        )
    _summarise(con)
    centrality = _suspect_centrality(con, membership)
    con.execute(
        "CREATE OR REPLACE TABLE network_suspects (network_id VARCHAR, person_id VARCHAR,"
        " n_cases INTEGER, degree INTEGER, betweenness DOUBLE)"
    )
    if centrality:
        con.executemany("INSERT INTO network_suspects VALUES (?, ?, ?, ?, ?)", centrality)
    _repeat_victims(con)
    hubs = count(con, "SELECT count(*) FROM hub_identifiers")
    con.execute("DROP TABLE _case_ids")
    return LinkResult(len(components), len(membership), hubs)


def _summarise(con: duckdb.DuckDBPyConnection) -> None:
    """Per network: its size and the identifiers (shared by ≥2 of its cases) that join it."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE network_summary AS
        WITH shared AS (
            SELECT n.network_id, i.kind, i.value, i.strength,
                   count(DISTINCT i.case_id) AS n_cases,
                   {distinct_joined("i.case_id", ",")} AS cases
            FROM _case_ids i JOIN networks n USING (case_id)
            WHERE (i.kind, i.value) NOT IN (SELECT (kind, value) FROM hub_identifiers)
            GROUP BY ALL HAVING count(DISTINCT i.case_id) >= 2
        ),
        people_in AS (
            SELECT n.network_id, p.role, coalesce(r.person_id, p.mention_id) AS person_id
            FROM networks n JOIN people p USING (case_id)
            LEFT JOIN persons r ON r.record_id = p.mention_id
        )
        SELECT n.network_id,
            count(DISTINCT n.case_id) AS n_cases,
            (SELECT count(DISTINCT person_id) FROM people_in q
              WHERE q.network_id = n.network_id AND q.role = 'suspect') AS n_suspects,
            (SELECT count(DISTINCT person_id) FROM people_in q
              WHERE q.network_id = n.network_id AND q.role = 'victim') AS n_victims,
            (SELECT string_agg(kind || '=' || value || ' (' || cases || ')', ';'
                               ORDER BY n_cases DESC, kind, value)
               FROM shared s WHERE s.network_id = n.network_id AND s.strength = 'join')
                AS linking_identifiers,
            (SELECT string_agg(kind || '=' || value || ' (' || cases || ')', ';'
                               ORDER BY n_cases DESC, kind, value)
               FROM shared s WHERE s.network_id = n.network_id AND s.strength = 'support')
                AS supporting_identifiers
        FROM networks n GROUP BY n.network_id ORDER BY n_cases DESC, n.network_id
        """
    )


def _repeat_victims(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""
        CREATE OR REPLACE TABLE repeat_victims AS
        SELECT coalesce(r.person_id, p.mention_id) AS person_id,
               count(DISTINCT p.case_id) AS n_cases,
               {distinct_joined("p.case_id", ",")} AS case_ids
        FROM people p LEFT JOIN persons r ON r.record_id = p.mention_id
        WHERE p.role = 'victim'
        GROUP BY ALL HAVING count(DISTINCT p.case_id) >= 2
        ORDER BY n_cases DESC, person_id
        """
    )
