"""From scored pairs to persons: links, judgements, the chain guard and stable ids.

1. **Links.** A scored pair becomes a link when its match probability is at least the
   cluster threshold *and* it carries identity evidence (see `IDENTITY_GATE`): shared
   contact details (a children's home's postcode, phone or name) never link two records
   on their own, however the weights add up.
2. **Judgements.** A must-link is a link of probability 1.0; a cannot-link removes the
   pair's own link and is a hard constraint below.
3. **Connected components** of the links (Splink's clustering, in the engine).
4. **Chain guard.** Inside a component, two records that the model did not link directly
   but whose own evidence contradicts (`CONFLICT`: names with nothing in common, or
   dates of birth that cannot be the same) may only have been joined through a chain of
   other records - the way one common name or one hub links unrelated people. Components
   holding such a pair, or a cannot-link pair, are re-clustered: links are added
   strongest first (must-links before any model link), and a link that would put a
   constrained pair in one person is cut. A cannot-link also blocks must-links; a
   chain-guard conflict does not (the analyst knows better than the rule). The cuts are
   kept in `resolve_cuts`.
5. **Stable ids.** `person_id` = 'P' + the first 12 hex digits of sha1 of the smallest
   record_id in the person: the same input gives the same ids, and a person keeps its id
   while its smallest record stays in it.

Only the few constrained components are loaded into Python; everything else stays in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
from splink import DuckDBAPI
from splink.clustering import cluster_pairwise_predictions_at_threshold

from relook.engine.duckdb_engine import create_table_from_arrow
from relook.engine.sql import count
from relook.pipeline.resolution.households import SHUT, TWIN_SIGNATURE, held_back, let_through
from relook.pipeline.resolution.judgements import JUDGEMENTS_TABLE
from relook.pipeline.resolution.records import RECORDS_TABLE
from relook.pipeline.resolution.settings import (
    DOB_APART,
    FORENAME_RELATED,
    SURNAME_RELATED,
)
from relook.pipeline.resolution.training import drop_splink_tables
from relook.pipeline.resolution.types import Households, JudgementKind

EDGES_TABLE = "_resolve_edges"
COMPONENTS_TABLE = "_resolve_components"
CONSTRAINTS_TABLE = "_resolve_constraints"
ASSIGN_TABLE = "_resolve_assign"
CUTS_TABLE = "resolve_cuts"

# A pair may link only on identity evidence: related forenames, the same nominal, or -
# when one forename is not recorded - an agreeing surname or date of birth.
IDENTITY_GATE = (
    "(gamma_forename > 0 OR gamma_nominal_id > 0"
    " OR (gamma_forename = -1 AND (gamma_surname > 0 OR gamma_dob > 0)))"
)

# Evidence that two records are different people (columns suffixed _l / _r), unless
# they share a nominal: names with nothing in common (forenames not related at all, and
# surnames not related or not both recorded), or possible years of birth more than a
# year apart (more than one recording slip) when the dates are not one typing slip apart.
# Unrelated forenames alone are not enough: recorded names slip twice over (a typo of
# another spelling) far more often than two different people share a surname and a chain.
NAME_CONFLICT = f"""("forename1_l" IS NOT NULL AND "forename1_r" IS NOT NULL
            AND NOT coalesce({FORENAME_RELATED}, FALSE)
            AND NOT coalesce({SURNAME_RELATED}, FALSE))"""
CONFLICT = f"""
    NOT coalesce("nominal_id_l" = "nominal_id_r", FALSE) AND (
        {NAME_CONFLICT}
        OR {DOB_APART}
    )
"""
_CONFLICT_COLUMNS = (
    "forename1", "forename_variants", "aliases", "full_name", "surname", "forename_key",
    "forename_tokens", "dob_iso", "dob_precision", "dob_year", "dob_month", "dob_day",
    "birth_year_min", "birth_year_max", "nominal_id", "surname_key", "alias_surnames",
    "forenames_compact", "surname_compact", "address", "address_numbers", "address_words",
    "address_tokens", "postcode",
)  # fmt: skip


def _gate(threshold: float, found: Households) -> str:
    """The identity gate, on a pair `p` joined to its records `l` and `r`: it refuses
    generation-signature pairs and lets twin-signature pairs through as far as the run's
    households allow (`households.py`)."""
    probability = "p.match_probability"
    refused = held_back(threshold, found.generation_share, probability)
    gate = f"({IDENTITY_GATE} AND NOT coalesce({refused}, FALSE))"
    if found.twin_share >= 1.0:
        return gate
    exception = let_through(threshold, found.twin_share, probability)
    return f"({gate} OR coalesce({exception}, FALSE))"


def create_edges(
    con: duckdb.DuckDBPyConnection,
    predictions: str,
    threshold: float,
    *,
    guarded: bool = True,
    found: Households = SHUT,
) -> None:
    """Links: model pairs at or above the threshold (gated, less cannot-links, plus
    must-links when `guarded`; all of them, as Splink would, when not). A pair with the
    twin signature passes the gate, and one with the generation signature is not refused,
    when its probability times (1 - the run's share for the signature, `found`) is at
    least the threshold."""
    if not guarded:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {EDGES_TABLE} AS
            SELECT record_id_l, record_id_r, match_probability, 'model' AS source
            FROM {predictions} WHERE match_probability >= {threshold}
            """
        )
        return
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {EDGES_TABLE} AS
        WITH above AS (SELECT * FROM {predictions} WHERE match_probability >= {threshold})
        SELECT p.record_id_l, p.record_id_r, p.match_probability, 'model' AS source
        FROM above p
        JOIN {RECORDS_TABLE} l ON l.record_id = p.record_id_l
        JOIN {RECORDS_TABLE} r ON r.record_id = p.record_id_r
        WHERE {_gate(threshold, found)}
          AND NOT EXISTS (
              SELECT 1 FROM {JUDGEMENTS_TABLE} j
              WHERE j.kind = '{JudgementKind.CANNOT_LINK}'
                AND j.record_id_l = least(p.record_id_l, p.record_id_r)
                AND j.record_id_r = greatest(p.record_id_l, p.record_id_r))
        UNION ALL
        SELECT record_id_l, record_id_r, 1.0, '{JudgementKind.MUST_LINK}'
        FROM {JUDGEMENTS_TABLE} WHERE kind = '{JudgementKind.MUST_LINK}'
        """
    )


def connected_components(con: duckdb.DuckDBPyConnection) -> None:
    """Every record (linked or not) with the component it falls in."""
    db_api = DuckDBAPI(con)
    clustered = cluster_pairwise_predictions_at_threshold(
        RECORDS_TABLE,
        EDGES_TABLE,
        db_api=db_api,
        node_id_column_name="record_id",
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {COMPONENTS_TABLE} AS
        SELECT record_id, cluster_id::VARCHAR AS component,
               count(*) OVER (PARTITION BY cluster_id) AS component_size
        FROM {clustered.physical_name}
        """
    )
    drop_splink_tables(db_api)


def _pair_columns() -> str:
    return ",\n".join(f'l."{c}" AS "{c}_l", r."{c}" AS "{c}_r"' for c in _CONFLICT_COLUMNS)


def _conflict(twin_share: float) -> str:
    """Chain conflicts: `CONFLICT`, and - while the identity gate holds twin-signature
    pairs apart - two records with the twin signature, so that a record between them (no
    forename, the surname and date of birth of both) cannot chain twins into one person."""
    if twin_share < 1.0:
        return CONFLICT
    return f"""(({CONFLICT}) OR (NOT coalesce("nominal_id_l" = "nominal_id_r", FALSE)
        AND {TWIN_SIGNATURE}))"""


def find_constraints(con: duckdb.DuckDBPyConnection, twin_share: float = 1.0) -> int:
    """Constrained pairs inside components: cannot-links (hard) and chain conflicts (soft).

    Returns the number of components that hold at least one.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {CONSTRAINTS_TABLE} AS
        WITH members AS (
            SELECT c.component, rec.*
            FROM {COMPONENTS_TABLE} c JOIN {RECORDS_TABLE} rec USING (record_id)
            WHERE c.component_size > 1
        ),
        pairs AS (
            SELECT l.component, l.record_id AS record_id_l, r.record_id AS record_id_r,
                   {_pair_columns()}
            FROM members l JOIN members r
              ON l.component = r.component AND l.record_id < r.record_id
        ),
        soft AS (
            SELECT component, record_id_l, record_id_r, 'conflict' AS kind
            FROM pairs
            WHERE {_conflict(twin_share)}
              AND NOT EXISTS (
                  SELECT 1 FROM {EDGES_TABLE} e
                  WHERE least(e.record_id_l, e.record_id_r) = pairs.record_id_l
                    AND greatest(e.record_id_l, e.record_id_r) = pairs.record_id_r)
        ),
        hard AS (
            SELECT cl.component, j.record_id_l, j.record_id_r, '{JudgementKind.CANNOT_LINK}' AS kind
            FROM {JUDGEMENTS_TABLE} j
            JOIN {COMPONENTS_TABLE} cl ON cl.record_id = j.record_id_l
            JOIN {COMPONENTS_TABLE} cr ON cr.record_id = j.record_id_r
            WHERE j.kind = '{JudgementKind.CANNOT_LINK}' AND cl.component = cr.component
        )
        SELECT * FROM hard UNION ALL SELECT * FROM soft
        """
    )
    return count(con, f"SELECT count(DISTINCT component) FROM {CONSTRAINTS_TABLE}")


class _ConstrainedUnion:
    """Union-find where each set knows the records it must never be joined with."""

    def __init__(self, nodes: Iterable[str]) -> None:
        self.parent = {n: n for n in nodes}
        self.members: dict[str, set[str]] = {n: {n} for n in self.parent}
        # per record: its constrained partners; per root: the union over its members
        self.partners: dict[str, dict[str, set[str]]] = {"hard": {}, "soft": {}}
        self.excluded: dict[str, dict[str, set[str]]] = {
            "hard": {n: set() for n in self.parent},
            "soft": {n: set() for n in self.parent},
        }

    def find(self, node: str) -> str:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:  # path compression
            self.parent[node], node = root, self.parent[node]
        return root

    def forbid(self, a: str, b: str, kind: str) -> None:
        for x, y in ((a, b), (b, a)):
            self.partners[kind].setdefault(x, set()).add(y)
            self.excluded[kind][self.find(x)].add(y)

    def blocker(self, a: str, b: str, kinds: tuple[str, ...]) -> tuple[str, str, str] | None:
        """(record, record, kind) of a constrained pair that joining a and b would merge."""
        ra, rb = self.find(a), self.find(b)
        for kind in kinds:
            clash = self.members[rb] & self.excluded[kind][ra]
            if clash:
                x = min(clash)
                y = min(self.members[ra] & self.partners[kind][x])
                return (min(x, y), max(x, y), kind)
        return None

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        for kind in self.excluded:
            self.excluded[kind][ra] |= self.excluded[kind].pop(rb)

    def groups(self) -> list[set[str]]:
        return list(self.members.values())


@dataclass(frozen=True)
class _Edge:
    record_id_l: str
    record_id_r: str
    match_probability: float
    source: str

    @property
    def order(self) -> tuple[int, float, str, str]:
        # must-links first, then the strongest model links; ids break ties reproducibly
        return (0 if self.source == JudgementKind.MUST_LINK else 1, -self.match_probability,
                self.record_id_l, self.record_id_r)  # fmt: skip


_SPLIT_SCHEMA = pa.schema([("record_id", pa.string()), ("cluster_key", pa.string())])
_CUT_SCHEMA = pa.schema(
    [
        ("record_id_l", pa.string()),
        ("record_id_r", pa.string()),
        ("match_probability", pa.float64()),
        ("source", pa.string()),
        ("kept_apart_l", pa.string()),
        ("kept_apart_r", pa.string()),
        ("reason", pa.string()),
    ]
)


def _recluster(
    members: list[str], edges: list[_Edge], constraints: list[tuple[str, str, str]]
) -> tuple[list[set[str]], list[dict[str, object]]]:
    """Add links strongest first, cutting any that would join a constrained pair."""
    union = _ConstrainedUnion(members)
    for a, b, kind in constraints:
        union.forbid(a, b, "hard" if kind == JudgementKind.CANNOT_LINK else "soft")
    cuts: list[dict[str, object]] = []
    for edge in sorted(edges, key=lambda e: e.order):
        a, b = edge.record_id_l, edge.record_id_r
        if union.find(a) == union.find(b):
            continue
        kinds = ("hard",) if edge.source == JudgementKind.MUST_LINK else ("hard", "soft")
        blocked = union.blocker(a, b, kinds)
        if blocked is None:
            union.union(a, b)
            continue
        x, y, kind = blocked
        cuts.append(
            {
                "record_id_l": a,
                "record_id_r": b,
                "match_probability": edge.match_probability,
                "source": edge.source,
                "kept_apart_l": x,
                "kept_apart_r": y,
                "reason": "cannot_link judgement" if kind == "hard" else "conflicting records",
            }
        )
    return union.groups(), cuts


@dataclass
class _Component:
    """What re-clustering one constrained component needs."""

    members: list[str] = field(default_factory=list)
    edges: list[_Edge] = field(default_factory=list)
    constraints: list[tuple[str, str, str]] = field(default_factory=list)


def _constrained_inputs(con: duckdb.DuckDBPyConnection) -> dict[str, _Component]:
    """Members, links and constraints of every constrained component."""
    comps: dict[str, _Component] = {}
    flagged = f"(SELECT DISTINCT component FROM {CONSTRAINTS_TABLE})"
    for component, record_id in con.execute(
        f"SELECT component, record_id FROM {COMPONENTS_TABLE}"
        f" WHERE component IN {flagged} ORDER BY 1, 2"
    ).fetchall():
        comps.setdefault(component, _Component()).members.append(record_id)
    for component, left, right, prob, source in con.execute(
        f"""SELECT c.component, e.record_id_l, e.record_id_r, e.match_probability, e.source
            FROM {EDGES_TABLE} e JOIN {COMPONENTS_TABLE} c ON c.record_id = e.record_id_l
            WHERE c.component IN {flagged}"""
    ).fetchall():
        comps[component].edges.append(_Edge(left, right, float(prob), source))
    for component, left, right, kind in con.execute(
        f"SELECT component, record_id_l, record_id_r, kind FROM {CONSTRAINTS_TABLE}"
    ).fetchall():
        comps[component].constraints.append((left, right, kind))
    return comps


def split_constrained(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Re-cluster the constrained components; returns (components split, links cut)."""
    split_rows: list[dict[str, object]] = []
    cut_rows: list[dict[str, object]] = []
    n_split = 0
    for component in _constrained_inputs(con).values():
        groups, cuts = _recluster(component.members, component.edges, component.constraints)
        n_split += len(groups) > 1
        cut_rows.extend(cuts)
        for group in groups:
            key = min(group)
            split_rows.extend({"record_id": r, "cluster_key": key} for r in sorted(group))
    split = pa.Table.from_pylist(split_rows, schema=_SPLIT_SCHEMA)
    create_table_from_arrow(con, "_resolve_split", split, temp=True)
    create_table_from_arrow(con, CUTS_TABLE, pa.Table.from_pylist(cut_rows, schema=_CUT_SCHEMA))
    return n_split, len(cut_rows)


def keep_components(con: duckdb.DuckDBPyConnection) -> None:
    """No re-clustering (the baseline): every component is one person."""
    create_table_from_arrow(con, "_resolve_split", _SPLIT_SCHEMA.empty_table(), temp=True)


def write_persons(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, int]:
    """The persons table: one row per record, with its person and strongest link.

    Returns (number of persons, number of links). `match_probability` is the strongest
    link holding the record in its person, NULL for a person of one record (no link).
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {ASSIGN_TABLE} AS
        WITH keyed AS (
            SELECT c.record_id,
                   coalesce('s:' || s.cluster_key, 'c:' || c.component) AS cluster_key
            FROM {COMPONENTS_TABLE} c LEFT JOIN _resolve_split s USING (record_id)
        )
        SELECT record_id,
               min(record_id) OVER (PARTITION BY cluster_key) AS smallest,
               count(*) OVER (PARTITION BY cluster_key) AS cluster_size
        FROM keyed
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {table} AS
        WITH kept AS (
            SELECT e.record_id_l, e.record_id_r, e.match_probability
            FROM {EDGES_TABLE} e
            JOIN {ASSIGN_TABLE} al ON al.record_id = e.record_id_l
            JOIN {ASSIGN_TABLE} ar ON ar.record_id = e.record_id_r
            WHERE al.smallest = ar.smallest
        ),
        best AS (
            SELECT record_id, max(p) AS match_probability FROM (
                SELECT record_id_l AS record_id, match_probability AS p FROM kept
                UNION ALL SELECT record_id_r, match_probability FROM kept
            ) GROUP BY record_id
        )
        SELECT a.record_id, r.record_kind,
               'P' || left(sha1(a.smallest), 12) AS person_id,
               b.match_probability::DOUBLE AS match_probability,
               a.cluster_size::INTEGER AS cluster_size
        FROM {ASSIGN_TABLE} a
        JOIN {RECORDS_TABLE} r USING (record_id)
        LEFT JOIN best b USING (record_id)
        ORDER BY a.record_id
        """
    )
    n_persons = count(con, f"SELECT count(DISTINCT person_id) FROM {table}")
    return n_persons, count(con, f"SELECT count(*) FROM {EDGES_TABLE}")


def drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    for name in (EDGES_TABLE, COMPONENTS_TABLE, CONSTRAINTS_TABLE, ASSIGN_TABLE,
                 "_resolve_split"):  # fmt: skip
        con.execute(f"DROP TABLE IF EXISTS {name}")
