"""Twins, or one person whose forename was replaced? Estimated from the run's households.

The identity gate (`clusters.IDENTITY_GATE`) refuses to link two records whose forenames
are unrelated, because twins share a surname, a date of birth and an address and differ
only in forename: the model alone scores them far above the threshold. But a record whose
forename was keyed from another field, or replaced by another child's, has the same
*twin signature* (`TWIN_SIGNATURE`), and no rule on the pair tells the two apart. FEBRL's
duplicates are mostly such records (686 true pairs refused on FEBRL3, 0 false).

Which of the two a run's twin-signature pairs are is a question about the run's data,
and the data answers it through its households. Twins come from families, so a force
that holds twins holds many more siblings: about 1.5 % of UK maternities are twins, a
few twin pairs per hundred sibling pairs. relook counts, over the records it resolves
(each way a person is written once; not at an address holding more than `HOUSEHOLD_MAX`
records under one surname, an institution rather than a family), pairs with the same
surname and the same address and unrelated forenames, both with a whole date of birth:

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
is 1 and the gate stays shut (9,000 cases: 1 twin-signature pair, 330 sibling pairs); on
FEBRL, which holds no families, it opens (FEBRL3: 53 and 1, share 0.011). A run with fewer
records than training needs (`training.MIN_RECORDS_TO_TRAIN`) does not estimate it: the
gate stays shut. While the gate holds twin-signature pairs apart, the chain guard does
too (`clusters.find_constraints`): a record with no forename links to each twin, and
would otherwise chain them into one person. The counts and the share are in run.json
(`resolution.households`); `describe` tells a reviewer why a pair did or did not link.
"""

from __future__ import annotations

import math

import duckdb

from relook.engine.sql import scalar, table_exists
from relook.pipeline.resolution.settings import (
    ADDRESS_NUMBERS_TOKENS,
    ADDRESS_NUMBERS_WORDS,
    FORENAME_RELATED,
    SURNAME_ALIKE,
    on_pair,
)
from relook.pipeline.resolution.types import Households

HOUSEHOLDS_TABLE = "resolve_households"
TWINS_PER_SIBLING_PAIR = 0.1
# Fewer twin-signature pairs than this are no basis for a rate: the gate stays shut.
MIN_TWIN_SIGNATURE_PAIRS = 20
# Pair SQL (columns suffixed _l / _r): what twins have in common, the forename apart: both
# forenames recorded and unrelated, surnames alike, the same whole date of birth, and the
# same home - written alike, or with the same house numbers and the words nearly the same
# or half of them in common (a slip in keying, a locality added; not a neighbour, whose
# number differs, nor a postcode alone).
TWIN_SIGNATURE = f"""("forename1_l" IS NOT NULL AND "forename1_r" IS NOT NULL
    AND NOT coalesce({FORENAME_RELATED}, FALSE)
    AND coalesce({SURNAME_ALIKE}, FALSE)
    AND "dob_precision_l" = 'day' AND "dob_precision_r" = 'day'
    AND "dob_iso_l" = "dob_iso_r"
    AND coalesce("address_l" = "address_r"
                 OR (len("address_numbers_l") > 0 AND {ADDRESS_NUMBERS_WORDS})
                 OR ({ADDRESS_NUMBERS_TOKENS}), FALSE))"""
# A household is a few people; more records than this at one address under one surname
# are an institution or a placeholder ("no fixed abode"), not a family, and are not counted.
HOUSEHOLD_MAX = 20
# The columns the forename comparison reads, and those the count needs.
_COUNTED_COLUMNS = (
    "forename1", "forename_variants", "aliases", "full_name", "forename_key",
    "forename_tokens", "forenames_compact", "surname", "surname_key", "surname_compact",
    "alias_surnames", "address", "dob_iso", "dob_year",
)  # fmt: skip


def let_through(threshold: float, twin_share: float, probability: str) -> str:
    """Pair SQL (record columns of aliases l and r): the gate's exception, a pair with the
    twin signature whose `probability` (a SQL expression) times (1 - `twin_share`) reaches
    `threshold`."""
    return f"({probability} * {1.0 - twin_share} >= {threshold} AND {on_pair(TWIN_SIGNATURE)})"


SHUT = Households(twin_signature_pairs=0, sibling_pairs=0, twin_share=1.0, estimated=False)


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
    """Count the households of `records` (a table of resolve records).

    Each distinct way a person is written counts once (a person recorded ten times is not
    ten siblings), and groups larger than `HOUSEHOLD_MAX` are left out.
    """
    columns = ", ".join(_COUNTED_COLUMNS)
    [(twins, siblings)] = con.execute(
        f"""
        WITH written AS (
            SELECT DISTINCT {columns} FROM {records}
            WHERE dob_precision = 'day' AND forename1 IS NOT NULL
              AND surname IS NOT NULL AND address IS NOT NULL
        ), household AS (
            SELECT *, count(*) OVER (PARTITION BY surname, address) AS size FROM written
        )
        SELECT count(*) FILTER (WHERE l.dob_iso = r.dob_iso),
               count(*) FILTER (WHERE abs(l.dob_year - r.dob_year) BETWEEN 1 AND 25)
        FROM household l JOIN household r
          ON l.surname = r.surname AND l.address = r.address
         AND (l.forename1, l.dob_iso, l.full_name) < (r.forename1, r.dob_iso, r.full_name)
        WHERE l.size <= {HOUSEHOLD_MAX}
          AND NOT coalesce({on_pair(FORENAME_RELATED)}, FALSE)
        """
    ).fetchall()
    return Households(
        twin_signature_pairs=int(twins),
        sibling_pairs=int(siblings),
        twin_share=twin_share(int(twins), int(siblings)),
        estimated=True,
    )


def store(con: duckdb.DuckDBPyConnection, households: Households) -> None:
    """Keep the estimate with the run (`recluster` and the guard reports read it)."""
    con.execute(
        f"CREATE OR REPLACE TABLE {HOUSEHOLDS_TABLE}"
        " (twin_signature_pairs BIGINT, sibling_pairs BIGINT, twin_share DOUBLE,"
        " estimated BOOLEAN)"
    )
    con.execute(
        f"INSERT INTO {HOUSEHOLDS_TABLE} VALUES (?, ?, ?, ?)",
        [
            households.twin_signature_pairs,
            households.sibling_pairs,
            households.twin_share,
            households.estimated,
        ],
    )


def stored(con: duckdb.DuckDBPyConnection) -> Households:
    """The last resolve's estimate (the gate shut when there is none)."""
    if not table_exists(con, HOUSEHOLDS_TABLE):
        return SHUT
    rows = con.execute(
        f"SELECT twin_signature_pairs, sibling_pairs, twin_share, estimated FROM {HOUSEHOLDS_TABLE}"
    ).fetchall()
    if not rows:
        return SHUT
    twins, siblings, share, estimated = rows[0]
    return Households(int(twins), int(siblings), float(share), bool(estimated))


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


def _pairs(n: int, kind: str) -> str:
    return f"{n:,} {kind}{'' if n == 1 else 's'}"


def links(households: Households, threshold: float, probability: float) -> bool:
    """Whether a twin-signature pair scored `probability` links under the exception: the
    gate's own rule (`clusters._gate`, `let_through`). A run without an estimate, or with
    too few pairs for a rate, has a share of 1 (`twin_share`, `SHUT`)."""
    share = households.twin_share
    return share < 1.0 and probability * (1.0 - share) >= threshold


def describe(households: Households, threshold: float, probability: float | None = None) -> str:
    """For a reviewer, in sentences: why a pair with the twin signature did or did not
    link at `threshold` (the pair has already failed the identity gate's other tests);
    with the pair's `probability`, whether this pair reaches what it needs."""
    signature = "Twin signature: surnames alike, the same date of birth and home, another forename."
    shut = "so the identity gate stays shut and such a pair never links."
    if not households.estimated:
        return (
            f"{signature} This run did not estimate how rare twins are in it (too few"
            f" records, or a run made before the estimate existed), {shut}"
        )
    counts = (
        f"This run's households hold {_pairs(households.twin_signature_pairs, 'such pair')}"
        f" and {_pairs(households.sibling_pairs, 'sibling pair')}"
    )
    if households.twin_signature_pairs < MIN_TWIN_SIGNATURE_PAIRS:
        return (
            f"{signature} {counts}; fewer than {MIN_TWIN_SIGNATURE_PAIRS} such pairs are"
            f" no basis for a rate, {shut}"
        )
    if households.twin_share >= 1.0:
        return f"{signature} {counts}, enough for every such pair to be twins, {shut}"
    needed = threshold / (1 - households.twin_share)
    if needed > 1.0:
        verdict = "even a certain match would not reach the threshold, so such a pair never links."
    elif probability is None:
        verdict = f"such a pair links when its match probability is at least {needed:.3f}."
    else:
        reaches = links(households, threshold, probability)
        shown, bar = _told_apart(probability, needed, reaches)
        verdict = (
            f"such a pair links when its match probability is at least {bar}. This pair's"
            f" {shown} {'reaches' if reaches else 'does not reach'} it."
        )
    share = households.twin_share
    at_most = f"at most {share:.1%}" if share >= 0.001 else "under 0.1%"
    return f"{signature} {counts}, so {at_most} of such pairs may be twins; {verdict}"


def _told_apart(probability: float, needed: float, reaches: bool) -> tuple[str, str]:
    """The pair's probability and the bar, with digits enough for the reader to see the
    verdict (0.9090 against 0.9092, not 0.909 against 0.909)."""
    for digits in range(3, 9):
        shown, bar = f"{probability:.{digits}f}", f"{needed:.{digits}f}"
        if (float(shown) >= float(bar)) == reaches and shown != bar:
            return shown, bar
    return shown, bar
