"""Twins, or one person whose forename was replaced? Estimated from the run's households.

The identity gate (`clusters.IDENTITY_GATE`) refuses to link two records whose forenames
are unrelated, because twins share a surname, a date of birth and an address and differ
only in forename: the model alone scores them far above the threshold. But a record whose
forename was keyed from another field, or replaced by another child's, has the same
*twin signature* (`TWIN_SIGNATURE`), and no rule on the pair tells the two apart. FEBRL's
duplicates are mostly such records (685 true pairs refused on FEBRL3, 0 false).

Which of the two a run's twin-signature pairs are is a question about the run's data,
and the data answers it through its households. Twins come from families, so a force
that holds twins holds many more siblings: about 1.5 % of UK maternities are twins, a
few twin pairs per hundred sibling pairs. relook counts, over the records it resolves,
pairs with the same surname and the same address and unrelated forenames, both with a
whole date of birth:

* `twin_signature_pairs`: the same date of birth;
* `sibling_pairs`: dates of birth 1 to 25 years apart (siblings, and parents and
  children of one name: counted as siblings, which errs towards twins).

At most `TWINS_PER_SIBLING_PAIR` (0.1, several times the population's rate) twin pairs
are expected per sibling pair, taken on about the 95 % upper bound of the sibling count,
so a run with few households stays cautious, and a run with fewer than 20 twin-signature
pairs keeps the gate shut (too few for a rate). The share of twin-signature pairs that
may be twins is then

    twin_share = min(1, TWINS_PER_SIBLING_PAIR * upper(sibling_pairs) / twin_signature_pairs)

and a twin-signature pair links when its match probability times (1 - twin_share) is at
least the cluster threshold. On relook's generated forces, which plant families, the share
is 1 and the gate stays shut (9,000 cases: 1 twin-signature pair, 346 sibling pairs); on
FEBRL, which holds no families, it opens (FEBRL3: 59 and 1, share 0.01). A run too small
to train (`training.MIN_RECORDS_TO_TRAIN`) does not estimate it: the gate stays shut.
The counts and the share are in run.json (`resolution.households`).
"""

from __future__ import annotations

import math

import duckdb

from relook.engine.sql import scalar, table_exists
from relook.pipeline.resolution.settings import (
    ADDRESS_FUZZY,
    ADDRESS_NUMBERS_WORDS,
    FORENAME_RELATED,
    SURNAME_RELATED,
    on_pair,
)
from relook.pipeline.resolution.types import Households

HOUSEHOLDS_TABLE = "resolve_households"
TWINS_PER_SIBLING_PAIR = 0.1
# Fewer twin-signature pairs than this are no basis for a rate: the gate stays shut.
MIN_TWIN_SIGNATURE_PAIRS = 20
# Pair SQL (columns suffixed _l / _r): what twins have in common, the forename apart. The
# home may be keyed with a slip (the address comparison's "nearly the same" levels); the
# households are counted on exact addresses only, siblings and twin signatures alike.
TWIN_SIGNATURE = f"""("dob_precision_l" = 'day' AND "dob_precision_r" = 'day'
    AND "dob_iso_l" = "dob_iso_r"
    AND coalesce({SURNAME_RELATED}, FALSE)
    AND NOT coalesce({FORENAME_RELATED}, FALSE)
    AND coalesce("address_l" = "address_r" OR "postcode_l" = "postcode_r"
                 OR ({ADDRESS_NUMBERS_WORDS}) OR ({ADDRESS_FUZZY}), FALSE))"""
SHUT = Households(twin_signature_pairs=0, sibling_pairs=0, twin_share=1.0)


def upper_count(observed: int) -> float:
    """About the 95 % upper bound of a Poisson count (3 when nothing was seen)."""
    return observed + 2 * math.sqrt(observed) + 3


def twin_share(twin_signature_pairs: int, sibling_pairs: int) -> float:
    """The share of twin-signature pairs that the run's households could make twins."""
    if twin_signature_pairs < MIN_TWIN_SIGNATURE_PAIRS:
        return 1.0
    expected_twins = TWINS_PER_SIBLING_PAIR * upper_count(sibling_pairs)
    return min(1.0, expected_twins / twin_signature_pairs)


def estimate(con: duckdb.DuckDBPyConnection, records: str) -> Households:
    """Count the households of `records` (a table of resolve records)."""
    [(twins, siblings)] = con.execute(
        f"""
        SELECT count(*) FILTER (WHERE l.dob_iso = r.dob_iso),
               count(*) FILTER (WHERE abs(l.dob_year - r.dob_year) BETWEEN 1 AND 25)
        FROM {records} l JOIN {records} r
          ON l.surname = r.surname AND l.address = r.address AND l.record_id < r.record_id
        WHERE l.dob_precision = 'day' AND r.dob_precision = 'day'
          AND l.forename1 IS NOT NULL AND r.forename1 IS NOT NULL
          AND NOT coalesce({on_pair(FORENAME_RELATED)}, FALSE)
        """
    ).fetchall()
    return Households(
        twin_signature_pairs=int(twins),
        sibling_pairs=int(siblings),
        twin_share=twin_share(int(twins), int(siblings)),
    )


def store(con: duckdb.DuckDBPyConnection, households: Households) -> None:
    """Keep the estimate with the run (`recluster` and the guard reports read it)."""
    con.execute(
        f"CREATE OR REPLACE TABLE {HOUSEHOLDS_TABLE}"
        " (twin_signature_pairs BIGINT, sibling_pairs BIGINT, twin_share DOUBLE)"
    )
    con.execute(
        f"INSERT INTO {HOUSEHOLDS_TABLE} VALUES (?, ?, ?)",
        [households.twin_signature_pairs, households.sibling_pairs, households.twin_share],
    )


def stored(con: duckdb.DuckDBPyConnection) -> Households:
    """The last resolve's estimate (the gate shut when there is none)."""
    if not table_exists(con, HOUSEHOLDS_TABLE):
        return SHUT
    rows = con.execute(
        f"SELECT twin_signature_pairs, sibling_pairs, twin_share FROM {HOUSEHOLDS_TABLE}"
    ).fetchall()
    if not rows:
        return SHUT
    twins, siblings, share = rows[0]
    return Households(int(twins), int(siblings), float(share))


def has_twin_signature(
    con: duckdb.DuckDBPyConnection, records: str, record_a: str, record_b: str
) -> bool:
    """Whether two records of `records` look like twins (`TWIN_SIGNATURE`)."""
    found = scalar(
        con,
        f"""SELECT coalesce({on_pair(TWIN_SIGNATURE)}, FALSE) FROM {records} l, {records} r
            WHERE l.record_id = ? AND r.record_id = ?""",
        [record_a, record_b],
    )
    return bool(found)


def describe(households: Households) -> str:
    """For a reviewer: why a pair with the twin signature did or did not link."""
    verdict = (
        "the identity gate stays shut: such a pair never links"
        if households.twin_share >= 1.0
        else f"such a pair links when its probability x {1 - households.twin_share:.3f}"
        " reaches the threshold"
    )
    return (
        "twin signature (same surname, date of birth and address, another forename):"
        f" this run's households hold {households.twin_signature_pairs:,} such pairs and"
        f" {households.sibling_pairs:,} sibling pairs, so up to"
        f" {min(households.twin_share, 1.0):.0%} of them may be twins; {verdict}"
    )
