"""Twins or one person, a parent and child of one name or one person? Asked of the run's
households.

**Twins.** The identity gate (`clusters.IDENTITY_GATE`) refuses to link two records whose
forenames are unrelated, because twins share a surname, a date of birth and a home and
differ only in forename: the model alone scores them far above the threshold. But a
record whose forename was keyed from another field, or replaced by another child's, has
the same *twin signature* (`TWIN_SIGNATURE`), and no rule on the pair tells the two
apart. FEBRL's duplicates are mostly such records (686 true pairs refused on FEBRL3, 0
false).

**A parent and a child of one name.** A victim and her mother, both Hannah Thomas, at
one address: related forenames, the same surname and home, dates of birth a generation
apart. The date of birth disagrees, but names and home outweigh it, and the model joined
them (0.99; 8 such false links at 9,000 generated cases, 34 at 50,000, none true). A
record whose date of birth was replaced has the same *generation signature*
(`GENERATION_SIGNATURE`: 14-50 years apart, not one keystroke).

Which of the two a run's signature pairs are is a question about the run's data, and the
data answers it through its households. Twins come from families, so a force that holds
twins holds many more siblings: about 1.5 % of UK maternities are twins, a few twin pairs
per hundred sibling pairs; a force that holds parents and children of one name holds
many more of other names. relook counts, over the records it resolves (each way a person
is written once; not in a group of more than `HOUSEHOLD_MAX` records under one surname
at one address or postcode, an institution rather than a family), pairs with the same
surname at the same address or postcode:

* `twin_signature_pairs`: unrelated forenames, the same whole date of birth;
* `sibling_pairs`: unrelated forenames, whole dates 1 to 25 years apart;
* `parent_child_pairs`: unrelated forenames, possible years of birth 14 to 50 years apart
  (by date or by age; older siblings too, which errs towards caution);
* `generation_signature_pairs`: related forenames, 14-50 years apart the same way, not
  a slip, no shared nominal. A record born on or after its own date is left out of
  every count.

At most `TWINS_PER_SIBLING_PAIR` (0.1) twin pairs per sibling pair, and
`NAMESAKES_PER_PARENT_PAIR` (0.1) namesake pairs per parent-and-child pair, are
expected, several times the population's rates, each on about the 95 % upper bound of
its count, so a run with few households stays cautious; with fewer than 20 signature
pairs the gate stays shut (too few for a rate). The share of signature pairs that may be
two people is then, for twins,

    twin_share = min(1, TWINS_PER_SIBLING_PAIR * upper(sibling_pairs) / twin_signature_pairs)

and the same for a generation. A twin-signature pair links, and a generation-signature
pair is not refused, when its match probability times (1 - share) is at least the
cluster threshold. On relook's generated forces, which plant families, both shares are 1
(9,000 cases: 1 twin-signature and 618 sibling pairs, 18 generation-signature and 1,095
parent-and-child pairs); on FEBRL, which holds no families, the twin gate opens (FEBRL3:
206 and 13, share 0.011) and so does the generation one (38 and 13, share 0.061), but
not on FEBRL4, whose records with both forename and date of birth replaced count as
parents (53 and 72, share 0.174: 67 true pairs held back). A run with fewer records
than training needs (`training.MIN_RECORDS_TO_TRAIN`) does not estimate: both stay shut.
While the gate holds twin-signature pairs apart, the chain guard does too
(`clusters.find_constraints`): a record with no forename links to each twin, and would
otherwise chain them into one person; a generation-signature pair is a chain conflict
already (`settings.DOB_APART`). The counts and shares are in run.json
(`resolution.households`); `describe` tells a reviewer why a pair did or did not link.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from relook.engine.sql import scalar, table_exists
from relook.pipeline.resolution.settings import (
    ADDRESS_NUMBERS_TOKENS,
    ADDRESS_NUMBERS_WORDS,
    DOB_TYPO,
    FORENAME_RELATED,
    SURNAME_ALIKE,
    on_pair,
)
from relook.pipeline.resolution.types import Households

HOUSEHOLDS_TABLE = "resolve_households"
TWINS_PER_SIBLING_PAIR = 0.1
# A child given a parent's forename: a junior, a daughter named for her mother. Several
# times what UK naming shows, as the twins' rate is.
NAMESAKES_PER_PARENT_PAIR = 0.1
# Fewer signature pairs than this are no basis for a rate: the gate stays shut.
MIN_TWIN_SIGNATURE_PAIRS = 20
# Pair SQL (columns suffixed _l / _r): the same home - written alike, or with the same
# house numbers and the words nearly the same or half of them in common (a slip in keying,
# a locality added) - or the same postcode (two addresses of one street, or one address
# keyed two ways).
SAME_HOME = f"""coalesce("address_l" = "address_r"
                 OR (len("address_numbers_l") > 0 AND {ADDRESS_NUMBERS_WORDS})
                 OR ({ADDRESS_NUMBERS_TOKENS})
                 OR "postcode_l" = "postcode_r", FALSE)"""
_BOTH_FORENAMES = '"forename1_l" IS NOT NULL AND "forename1_r" IS NOT NULL'
# What twins have in common, the forename apart: both forenames recorded and unrelated,
# surnames alike, the same whole date of birth, the same home.
TWIN_SIGNATURE = f"""({_BOTH_FORENAMES}
    AND "dob_precision_l" = 'day' AND "dob_precision_r" = 'day'
    AND NOT coalesce({FORENAME_RELATED}, FALSE)
    AND coalesce({SURNAME_ALIKE}, FALSE)
    AND "dob_iso_l" = "dob_iso_r"
    AND {SAME_HOME})"""
# What a parent and a child of one name have in common: related forenames, surnames alike,
# the same home, possible years of birth a generation apart (at least `GENERATION_YEARS`
# years between the latest of one and the earliest of the other: whole dates, or the
# years an age at offence allows - a missing episode records no home, so never; not one
# keystroke apart: 1985 keyed 1965 is a slip), and no shared nominal. More than
# `GENERATION_MAX_YEARS` apart is no parent (a century slip, 1900-01-01 as a placeholder),
# and a date of birth on or after the record's own date (the reporting date keyed as the
# birth date; a year after the record's year) is a keying error, not a generation.
GENERATION_YEARS = 14
GENERATION_MAX_YEARS = 50
GENERATION_APART = f"""greatest("birth_year_min_l" - "birth_year_max_r",
                                "birth_year_min_r" - "birth_year_max_l")
    BETWEEN {GENERATION_YEARS} AND {GENERATION_MAX_YEARS}"""


def _born_before_the_record(side: str = "") -> str:
    """A whole date before the record's date; a partial one no later than its year."""
    return (
        f'coalesce(try_cast("dob_iso{side}" AS DATE) < "event_date{side}",'
        f' "birth_year_min{side}" <= year("event_date{side}"), TRUE)'
    )


GENERATION_SIGNATURE = f"""({_BOTH_FORENAMES}
    AND coalesce({FORENAME_RELATED}, FALSE)
    AND coalesce({SURNAME_ALIKE}, FALSE)
    AND {GENERATION_APART}
    AND NOT coalesce({DOB_TYPO}, FALSE)
    AND {_born_before_the_record("_l")} AND {_born_before_the_record("_r")}
    AND NOT coalesce("nominal_id_l" = "nominal_id_r", FALSE)
    AND {SAME_HOME})"""
# A household is a few people; more records than this at one address under one surname
# are an institution or a placeholder ("no fixed abode"), not a family, and are not counted.
HOUSEHOLD_MAX = 20
# The columns the forename comparison reads, and those the count needs.
_COUNTED_COLUMNS = (
    "forename1", "forename_variants", "aliases", "full_name", "forename_key",
    "forename_tokens", "forenames_compact", "surname", "surname_key", "surname_compact",
    "alias_surnames", "address", "postcode", "dob_iso", "dob_year", "dob_precision",
    "birth_year_min", "birth_year_max",
)  # fmt: skip


def _reaches(threshold: float, share: float, probability: str) -> str:
    """SQL: `probability` reaches `threshold` once the `share` that may be two people is
    taken off (the rule `links` applies to one pair)."""
    return f"{probability} * {1.0 - share} >= {threshold}"


def let_through(threshold: float, twin_share: float, probability: str) -> str:
    """Pair SQL (record columns of aliases l and r): the gate's exception, a pair with the
    twin signature whose `probability` (a SQL expression) times (1 - `twin_share`) reaches
    `threshold`."""
    return f"({_reaches(threshold, twin_share, probability)} AND {on_pair(TWIN_SIGNATURE)})"


def held_back(threshold: float, generation_share: float, probability: str) -> str:
    """Pair SQL (record columns of aliases l and r): a pair with the generation signature
    that the gate refuses, its `probability` times (1 - `generation_share`) short of
    `threshold` (every such pair while the share is 1)."""
    reaches = _reaches(threshold, generation_share, probability)
    return f"({on_pair(GENERATION_SIGNATURE)} AND NOT ({reaches}))"


SHUT = Households(twin_signature_pairs=0, sibling_pairs=0, twin_share=1.0, estimated=False)


def upper_count(observed: int) -> float:
    """About the 95 % upper bound of a Poisson count (3 when nothing was seen)."""
    return observed + 2 * math.sqrt(observed) + 3


def _share(signature_pairs: int, reference_pairs: int, rate: float) -> float:
    """The share of `signature_pairs` that `rate` per reference pair (on about its upper
    bound) could make two people; 1 below `MIN_TWIN_SIGNATURE_PAIRS`."""
    if signature_pairs < MIN_TWIN_SIGNATURE_PAIRS:
        return 1.0
    return min(1.0, rate * upper_count(reference_pairs) / signature_pairs)


def twin_share(twin_signature_pairs: int, sibling_pairs: int) -> float:
    """The share of twin-signature pairs that the run's households could make twins."""
    return _share(twin_signature_pairs, sibling_pairs, TWINS_PER_SIBLING_PAIR)


def generation_share(generation_signature_pairs: int, parent_child_pairs: int) -> float:
    """The share of generation-signature pairs that the run's households could make a
    parent and a child of one name."""
    return _share(generation_signature_pairs, parent_child_pairs, NAMESAKES_PER_PARENT_PAIR)


def estimate(con: duckdb.DuckDBPyConnection, records: str) -> Households:
    """Count the households of `records` (a table of resolve records).

    A household is one surname at one address, or at one postcode (the places the twin
    signature accepts, so that twins and siblings are counted over the same places).
    Each pair of people counts once, however many ways each was written (a person
    recorded ten times is not ten siblings), and groups of more than `HOUSEHOLD_MAX`
    written people (with a date of birth or an age) are left out.
    """
    columns = ", ".join(_COUNTED_COLUMNS)
    # One person as written: the name with the date of birth, or with the years of birth
    # an age allows (two "Tom Zhang"s aged 8 and 12 are two people).
    person = "concat_ws('|', full_name, coalesce(dob_iso, birth_year_min || '-' || birth_year_max))"
    [(twins, siblings, generations, parents)] = con.execute(
        f"""
        WITH written AS (
            SELECT {columns}, list(DISTINCT nominal_id) FILTER (nominal_id IS NOT NULL)
                       AS nominals
            FROM {records}
            WHERE birth_year_min IS NOT NULL AND forename1 IS NOT NULL AND surname IS NOT NULL
              AND (address IS NOT NULL OR postcode IS NOT NULL)
              AND {_born_before_the_record()}
            GROUP BY ALL
        ), household AS MATERIALIZED (
            SELECT *, row_number() OVER () AS written_id, {person} AS person,
                   count(address) OVER (PARTITION BY surname, address) AS at_address,
                   count(postcode) OVER (PARTITION BY surname, postcode) AS at_postcode
            FROM written
        ), pairs AS (
            SELECT l.written_id AS id_l, r.written_id AS id_r
            FROM household l JOIN household r
              ON l.surname = r.surname AND l.address = r.address AND l.person < r.person
            WHERE l.at_address <= {HOUSEHOLD_MAX}
            UNION
            SELECT l.written_id, r.written_id
            FROM household l JOIN household r
              ON l.surname = r.surname AND l.postcode = r.postcode AND l.person < r.person
            WHERE l.at_postcode <= {HOUSEHOLD_MAX}
        ), counted AS (
            SELECT l.person AS person_l, r.person AS person_r,
                   coalesce({on_pair(FORENAME_RELATED)}, FALSE) AS related,
                   coalesce(l.dob_precision = 'day' AND r.dob_precision = 'day', FALSE)
                       AS whole,
                   abs(l.dob_year - r.dob_year) AS years,
                   coalesce(l.dob_iso = r.dob_iso, FALSE) AS same_day,
                   coalesce({on_pair(GENERATION_APART)}, FALSE) AS generation_apart,
                   coalesce({on_pair(DOB_TYPO)}, FALSE) AS slip,
                   coalesce(len(list_intersect(l.nominals, r.nominals)) > 0, FALSE)
                       AS same_nominal
            FROM pairs p JOIN household l ON l.written_id = p.id_l
            JOIN household r ON r.written_id = p.id_r
        ), people AS (
            -- one pair of people however many ways each was written (with and without a
            -- postcode, at two addresses): a person recorded ten times is not ten siblings
            SELECT bool_or(NOT related AND whole AND same_day) AS twins,
                   bool_or(NOT related AND whole AND years BETWEEN 1 AND 25) AS siblings,
                   bool_or(related AND generation_apart AND NOT slip AND NOT same_nominal)
                       AS generation,
                   bool_or(NOT related AND generation_apart) AS parent_and_child
            FROM counted GROUP BY person_l, person_r
        )
        SELECT count(*) FILTER (WHERE twins), count(*) FILTER (WHERE siblings),
               count(*) FILTER (WHERE generation), count(*) FILTER (WHERE parent_and_child)
        FROM people
        """
    ).fetchall()
    return Households(
        twin_signature_pairs=int(twins),
        sibling_pairs=int(siblings),
        twin_share=twin_share(int(twins), int(siblings)),
        estimated=True,
        generation_signature_pairs=int(generations),
        parent_child_pairs=int(parents),
        generation_share=generation_share(int(generations), int(parents)),
    )


_STORED_COLUMNS = {
    "twin_signature_pairs": "BIGINT",
    "sibling_pairs": "BIGINT",
    "twin_share": "DOUBLE",
    "estimated": "BOOLEAN",
    "generation_signature_pairs": "BIGINT",
    "parent_child_pairs": "BIGINT",
    "generation_share": "DOUBLE",
}


def store(con: duckdb.DuckDBPyConnection, households: Households) -> None:
    """Keep the estimate with the run (`recluster` and the guard reports read it)."""
    columns = ", ".join(f"{name} {kind}" for name, kind in _STORED_COLUMNS.items())
    con.execute(f"CREATE OR REPLACE TABLE {HOUSEHOLDS_TABLE} ({columns})")
    con.execute(
        f"INSERT INTO {HOUSEHOLDS_TABLE} ({', '.join(_STORED_COLUMNS)})"
        f" VALUES ({', '.join('?' for _ in _STORED_COLUMNS)})",
        [getattr(households, name) for name in _STORED_COLUMNS],
    )


def stored(con: duckdb.DuckDBPyConnection) -> Households:
    """The last resolve's estimate (the gate shut when there is none; a run stored before
    the generation count had it shut for that signature)."""
    if not table_exists(con, HOUSEHOLDS_TABLE):
        return SHUT
    cursor = con.execute(f"SELECT * FROM {HOUSEHOLDS_TABLE}")
    names = [column[0] for column in cursor.description or ()]
    rows = cursor.fetchall()
    if not rows:
        return SHUT
    found = dict(zip(names, rows[0], strict=True))
    return Households(
        twin_signature_pairs=int(found["twin_signature_pairs"]),
        sibling_pairs=int(found["sibling_pairs"]),
        twin_share=float(found["twin_share"]),
        estimated=bool(found["estimated"]),
        generation_signature_pairs=int(found.get("generation_signature_pairs", 0)),
        parent_child_pairs=int(found.get("parent_child_pairs", 0)),
        generation_share=float(found.get("generation_share", 1.0)),
        generation_estimated="generation_share" in found,
    )


def signature_of(
    con: duckdb.DuckDBPyConnection, records: str, record_a: str, record_b: str
) -> Signature | None:
    """Which signature two records of `records` carry (`TWIN`, `GENERATION`), if any."""
    for signature in (TWIN, GENERATION):
        found = scalar(
            con,
            f"""SELECT coalesce({on_pair(signature.sql)}, FALSE) FROM {records} l, {records} r
                WHERE l.record_id = ? AND r.record_id = ?""",
            [record_a, record_b],
        )
        if found:
            return signature
    return None


@dataclass(frozen=True)
class Signature:
    """A pair the model scores high that may yet be two people of one family, and how the
    run's households are read about it."""

    sql: str
    sentence: str
    reference: str  # the household pairs it is weighed against
    who: str  # what such a pair would be, were it two people
    pairs: Callable[[Households], int]
    reference_pairs: Callable[[Households], int]
    share: Callable[[Households], float]
    estimated: Callable[[Households], bool]


TWIN = Signature(
    sql=TWIN_SIGNATURE,
    sentence=(
        "Twin signature: surnames alike, the same date of birth, the same home or postcode,"
        " another forename."
    ),
    reference="sibling pair",
    who="twins",
    pairs=lambda h: h.twin_signature_pairs,
    reference_pairs=lambda h: h.sibling_pairs,
    share=lambda h: h.twin_share,
    estimated=lambda h: h.estimated,
)
GENERATION = Signature(
    sql=GENERATION_SIGNATURE,
    sentence=(
        "Generation signature: forenames related, surnames alike, the same home or postcode,"
        f" years of birth {GENERATION_YEARS} to {GENERATION_MAX_YEARS} years apart (by date"
        " of birth or by age)."
    ),
    reference="parent-and-child pair",
    who="a parent and a child of one name",
    pairs=lambda h: h.generation_signature_pairs,
    reference_pairs=lambda h: h.parent_child_pairs,
    share=lambda h: h.generation_share,
    estimated=lambda h: h.estimated and h.generation_estimated,
)


def _pairs(n: int, kind: str) -> str:
    return f"{n:,} {kind}{'' if n == 1 else 's'}"


def links(
    households: Households, threshold: float, probability: float, signature: Signature = TWIN
) -> bool:
    """Whether a pair with `signature` scored `probability` links: the gate's own rule
    (`clusters._gate`, `let_through`, `held_back`). A run without an estimate, or with too
    few pairs for a rate, has a share of 1 (`twin_share`, `SHUT`)."""
    share = signature.share(households)
    return share < 1.0 and probability * (1.0 - share) >= threshold


def describe(
    households: Households,
    threshold: float,
    probability: float | None = None,
    signature: Signature = TWIN,
) -> str:
    """For a reviewer, in sentences: why a pair with `signature` did or did not link at
    `threshold` (a twin-signature pair has already failed the identity gate's other
    tests); with the pair's `probability`, whether this pair reaches what it needs."""
    shut = "so the identity gate stays shut and such a pair never links."
    if not signature.estimated(households):
        return (
            f"{signature.sentence} This run did not estimate how rare {signature.who} are"
            f" in it (too few records, or a run made before the estimate existed), {shut}"
        )
    pairs = signature.pairs(households)
    counts = (
        f"This run's households hold {_pairs(pairs, 'such pair')}"
        f" and {_pairs(signature.reference_pairs(households), signature.reference)}"
    )
    if pairs < MIN_TWIN_SIGNATURE_PAIRS:
        return (
            f"{signature.sentence} {counts}; fewer than {MIN_TWIN_SIGNATURE_PAIRS} such pairs"
            f" are no basis for a rate, {shut}"
        )
    share = signature.share(households)
    if share >= 1.0:
        return (
            f"{signature.sentence} {counts}, enough for every such pair to be {signature.who},"
            f" {shut}"
        )
    needed = threshold / (1 - share)
    if needed > 1.0:
        verdict = "even a certain match would not reach the threshold, so such a pair never links."
    elif probability is None:
        verdict = f"such a pair links when its match probability is at least {needed:.3f}."
    else:
        reaches = links(households, threshold, probability, signature)
        shown, bar = _told_apart(probability, needed, reaches)
        verdict = (
            f"such a pair links when its match probability is at least {bar}. This pair's"
            f" {shown} {'reaches' if reaches else 'does not reach'} it."
        )
    at_most = f"at most {share:.1%}" if share >= 0.001 else "under 0.1%"
    return (
        f"{signature.sentence} {counts}, so {at_most} of such pairs may be {signature.who};"
        f" {verdict}"
    )


def _told_apart(probability: float, needed: float, reaches: bool) -> tuple[str, str]:
    """The pair's probability and the bar, with digits enough for the reader to see the
    verdict (0.9090 against 0.9092, not 0.909 against 0.909)."""
    for digits in range(3, 9):
        shown, bar = f"{probability:.{digits}f}", f"{needed:.{digits}f}"
        if (float(shown) >= float(bar)) == reaches and shown != bar:
            return shown, bar
    return shown, bar
