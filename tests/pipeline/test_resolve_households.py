"""Twins or a replaced forename: the identity gate's exception, estimated from households.

The unit tests pin the estimate (`households.twin_share`). The others resolve about 2,300
records, enough to train, so the estimate is made as a run makes it: a population where
each person is recorded twice and some second records carry another forename, once with
no families in it (as FEBRL) and once with sibling households and twins (as a force).
"""

from __future__ import annotations

import random
from typing import Any

import duckdb
import pytest
from test_resolve import persons
from test_resolve_records import make_con, person

from relook.pipeline.resolution import households
from relook.pipeline.resolution.records import RECORDS_TABLE, build_records
from relook.pipeline.resolve import Households, explain_pair, resolve
from relook.synth.names import draw_forename, draw_surname

PEOPLE = 1_100
REPLACED = 60


def test_no_twin_signature_pairs_leave_the_gate_shut() -> None:
    assert households.twin_share(0, 0) == 1.0
    assert households.twin_share(0, 500) == 1.0


def test_households_full_of_siblings_explain_the_twin_signature_pairs() -> None:
    # 346 sibling pairs allow about 38 twin pairs: one twin-signature pair is a twin pair
    assert households.twin_share(1, 346) == 1.0
    assert households.twin_share(30, 346) == 1.0


def test_twin_signature_pairs_without_households_are_not_twins() -> None:
    # FEBRL3: 59 twin-signature pairs and one sibling pair
    assert households.twin_share(59, 1) == pytest.approx(0.1 * (1 + 2 + 3) / 59)
    # nothing seen is still taken as up to three sibling pairs
    assert households.twin_share(20, 0) == pytest.approx(0.1 * 3 / 20)


def test_a_handful_of_twin_signature_pairs_is_no_basis_for_a_rate() -> None:
    assert households.twin_share(19, 0) == 1.0


def test_the_reviewer_is_told_why_the_gate_stayed_shut_or_opened() -> None:
    def said(twins: int, siblings: int, *, estimated: bool = True) -> str:
        share = households.twin_share(twins, siblings)
        return households.describe(Households(twins, siblings, share, estimated), 0.9)

    assert "too few records" in said(0, 0, estimated=False)
    assert "no basis for a rate" in said(5, 0)
    assert "enough for every such pair to be twins" in said(30, 346)
    # 30 sibling pairs allow 4.4 of 20 to be twins: a pair would need 0.9 / 0.78 > 1
    assert "even a certain match would not reach the threshold" in said(20, 30)
    assert "at most 1.0% of such pairs may be twins" in said(59, 1)
    assert "at least 0.909" in said(59, 1)
    assert "1 such pair and 1 sibling pair;" in said(1, 1)
    assert "59 such pairs and 2 sibling pairs," in said(59, 2)
    assert all(said(*counts).endswith(".") for counts in ((5, 0), (30, 346), (20, 30), (59, 1)))


def test_households_full_of_parents_hold_the_generation_signature_apart() -> None:
    # a force: many parents and children, a few records a generation apart under one name
    assert households.generation_share(25, 400) == 1.0
    # no families: a date of birth replaced by another, not a parent of one name
    assert households.generation_share(93, 20) == pytest.approx(0.1 * (20 + 2 * 20**0.5 + 3) / 93)
    assert households.generation_share(19, 0) == 1.0


def test_the_reviewer_is_told_about_a_generation_signature_pair() -> None:
    found = Households(10, 1, 1.0, generation_signature_pairs=93, parent_child_pairs=20,
                       generation_share=households.generation_share(93, 20))  # fmt: skip
    said = households.describe(found, 0.9, 0.95, households.GENERATION)
    assert said.startswith("Generation signature: forenames related")
    assert "93 such pairs and 20 parent-and-child pairs" in said
    assert "may be a parent and a child of one name" in said
    assert said.endswith("This pair's 0.950 reaches it.")
    assert households.links(found, 0.9, 0.95, households.GENERATION)
    assert not households.links(found, 0.9, 0.95)  # the twin share is its own
    shut = Households(0, 0, 1.0, generation_signature_pairs=25, parent_child_pairs=400)
    assert "enough for every such pair to be a parent and a child of one name" in (
        households.describe(shut, 0.9, 0.99, households.GENERATION)
    )


def test_the_reviewer_is_told_whether_this_pair_reaches_what_it_needs() -> None:
    found = Households(59, 1, households.twin_share(59, 1), estimated=True)
    assert households.describe(found, 0.9, 0.95).endswith("This pair's 0.950 reaches it.")
    assert households.describe(found, 0.9, 0.905).endswith("This pair's 0.905 does not reach it.")
    assert households.links(found, 0.9, 0.95) and not households.links(found, 0.9, 0.905)
    # digits enough to see the verdict: 0.9090 does not reach 0.9092 (both 0.909)
    close = households.describe(found, 0.9, 0.909)
    assert "at least 0.9092" in close and "This pair's 0.9090 does not reach it." in close
    few = Households(10_000, 1, households.twin_share(10_000, 1), estimated=True)
    assert "so under 0.1% of such pairs may be twins" in households.describe(few, 0.9)
    shut = Households(30, 346, households.twin_share(30, 346), estimated=True)
    assert not households.links(shut, 0.9, 1.0)
    assert "This pair's" not in households.describe(shut, 0.9, 1.0)


def _address(rng: random.Random) -> dict[str, str]:
    number, street = rng.randint(1, 180), rng.choice(["Mill Lane", "Park Road", "Elm Grove"])
    town = rng.choice(["Bradford", "Keighley", "Shipley", "Bingley", "Ilkley", "Otley"])
    postcode = (
        f"BD{rng.randint(1, 24)} {rng.randint(1, 9)}{rng.choice('ABDEFG')}{rng.choice('HJLNP')}"
    )
    return {"address": f"{number} {street}, {town}", "postcode": postcode}


def _next_door(home: dict[str, str]) -> dict[str, str]:
    """Another house of the same street and postcode (a move, or a number keyed wrong)."""
    number, rest = home["address"].split(" ", 1)
    return {"address": f"{int(number) + 2} {rest}", "postcode": home["postcode"]}


def _dob(rng: random.Random, year: int | None = None) -> str:
    return f"{year or rng.randint(1975, 2008)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _other_forename(rng: random.Random, forename: str, sex: str) -> str:
    """Another forename, not a spelling of this one (another first letter)."""
    while (other := draw_forename(rng, sex))[0] == forename[0]:
        pass
    return other


def _population(rng: random.Random) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Each person recorded twice; the second record of `REPLACED` of them under another
    forename. Returns the rows and those pairs."""
    rows: list[dict[str, Any]] = []
    replaced: list[tuple[str, str]] = []
    for i in range(PEOPLE):
        sex = rng.choice("FM")
        forename, surname, dob, home = (
            draw_forename(rng, sex),
            draw_surname(rng),
            _dob(rng),
            _address(rng),
        )
        second = _other_forename(rng, forename, sex) if i < REPLACED else forename
        rows.append(person(f"p{i}a", forename, surname, dob, case_id=f"A{i}", **home))
        rows.append(person(f"p{i}b", second, surname, dob, case_id=f"B{i}", **home))
        if i < REPLACED:
            replaced.append((f"p{i}a", f"p{i}b"))
    return rows, replaced


def _families(rng: random.Random) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """150 households of two siblings, and 5 pairs of twins each recorded twice, the
    second time next door for one of them. Returns the rows and one record of each twin
    (and the same for the second records)."""
    rows: list[dict[str, Any]] = []
    twins: list[tuple[str, str]] = []
    for i in range(150):
        surname, home, year = draw_surname(rng), _address(rng), rng.randint(1985, 2000)
        older, younger = draw_forename(rng, "F"), draw_forename(rng, "M")
        rows.append(person(f"s{i}a", older, surname, _dob(rng, year), case_id=f"S{i}", **home))
        rows.append(person(f"s{i}b", younger, surname, _dob(rng, year + rng.randint(2, 8)),
                           case_id=f"T{i}", **home))  # fmt: skip
    for i in range(5):
        surname, home, dob = draw_surname(rng), _address(rng), _dob(rng)
        first = draw_forename(rng, "F")
        second = _other_forename(rng, first, "F")
        for twin, forename in (("x", first), ("y", second)):
            for copy in range(2):
                where = _next_door(home) if (twin, copy) == ("y", 1) else home
                rows.append(person(f"w{i}{twin}{copy}", forename, surname, dob,
                                   case_id=f"W{i}{twin}{copy}", **where))  # fmt: skip
        twins.extend([(f"w{i}x0", f"w{i}y0"), (f"w{i}x1", f"w{i}y1")])
    return rows, twins


def test_a_household_is_one_surname_at_one_address_or_one_postcode() -> None:
    """Pairs counted at one address, or at two houses of one postcode; a person written
    several ways counts once; a year keyed one digit out is a slip, not a generation."""
    home = {"address": "14 Mill Lane, Bradford", "postcode": "BD7 1AA"}
    door = _next_door(home)
    elsewhere = {"address": "3 Other Street, Leeds", "postcode": "LS1 1AA"}
    con = make_con(
        [
            person("a", "Aisha", "Begum", "2006-02-11", case_id="C1", **home),
            person("a2", "Aisha", "Begum", "2006-02-11", case_id="C2", **home),
            person("b", "Amira", "Begum", "2006-02-11", case_id="C3", **door),  # twin
            person("c", "Yusuf", "Begum", "2009-06-01", case_id="C4", **door),  # sibling
            # the same Yusuf again, once with no postcode, once with a nominal: still one
            person("c2", "Yusuf", "Begum", "2009-06-01", case_id="C9", address=door["address"]),
            person("c3", "Yusuf", "Begum", "2009-06-01", case_id="C10", nominal_id="N77", **door),
            person("d", "Shazia", "Begum", "1980-01-20", case_id="C5", **home),  # parent
            person("e", "Aisha", "Begum", "1979-04-03", case_id="C6", **door),  # generation
            person("f", "Aisha", "Begum", "1996-02-11", case_id="C7", **home),  # 2006 keyed 1996
            person("g", "Amir", "Begum", "2001-01-01", case_id="C8", **elsewhere),
        ]
    )
    build_records(con)
    found = households.estimate(con, RECORDS_TABLE)
    # unrelated forenames: the same day a-b (twins); 1-25 years a-c, b-c, b-f, c-f, d-e,
    # d-f (siblings); 14-50 years a-d, b-d, b-e, c-d, c-e, d-f (parent and child; d-f is
    # both). Related forenames 14 or more years apart: a-e, e-f (not a-f, a slip); g is
    # elsewhere
    assert found.twin_signature_pairs == 1
    assert found.sibling_pairs == 6
    assert found.parent_child_pairs == 6
    assert found.generation_signature_pairs == 2


def test_people_recorded_by_age_are_counted_by_their_years_of_birth() -> None:
    """Every case here is reported on 2015-06-01. Two Toms aged 8 and 12 are two people;
    a father and son of one name by age alone are a generation; a year of birth after
    the case's own is a keying error and counts for nothing."""
    home = {"address": "3 Dock Street, Hull", "postcode": "HU1 1AA"}
    con = make_con(
        [
            person("tom8", "Tom", "Zhang", None, case_id="C1", age_at_offence=8, **home),
            person("tom12", "Tom", "Zhang", None, case_id="C2", age_at_offence=12, **home),
            person("mary", "Mary", "Zhang", "1960-03-01", case_id="C3", **home),
            person("andre40", "Andre", "Zhang", None, case_id="C4", age_at_offence=40, **home),
            person("andre7", "Andre", "Zhang", None, case_id="C5", age_at_offence=7, **home),
            person("keyed", "Andre", "Zhang", "2016", case_id="C6", **home),
        ]
    )
    build_records(con)
    found = households.estimate(con, RECORDS_TABLE)
    # generation: andre40-andre7 (not andre-keyed: born after the case)
    assert found.generation_signature_pairs == 1
    # parent and child (unrelated forenames, 14-50 years): mary (1960) with each Tom, with
    # andre7 and with andre40 (born 1974-75); andre40 with each Tom
    assert found.parent_child_pairs == 6
    assert found.twin_signature_pairs == 0 and found.sibling_pairs == 0  # whole dates only


def _linked(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]]) -> int:
    ids = persons(con)
    return sum(ids[a] == ids[b] for a, b in pairs)


@pytest.mark.slow
def test_without_families_a_replaced_forename_is_the_same_person() -> None:
    rows, replaced = _population(random.Random(7))
    con = make_con(rows)
    result = resolve(con, seed=42)
    assert result.trained
    assert result.households.sibling_pairs < 10
    assert result.households.twin_share < 0.2
    assert _linked(con, replaced) >= 0.9 * REPLACED
    assert (
        "such a pair links when its match probability is at least"
        in explain_pair(con, *replaced[0]).note
    )


@pytest.mark.slow
def test_with_families_twins_stay_apart_and_the_gate_stays_shut() -> None:
    rng = random.Random(7)
    rows, replaced = _population(rng)
    family_rows, twins = _families(rng)
    con = make_con([*rows, *family_rows])
    result = resolve(con, seed=42)
    assert result.trained
    assert result.households.sibling_pairs >= 150
    assert result.households.twin_share > 0.1
    assert _linked(con, twins) == 0
    assert _linked(con, replaced) == 0


def test_a_run_stored_before_the_generation_count_says_it_did_not_count() -> None:
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE {households.HOUSEHOLDS_TABLE} (twin_signature_pairs BIGINT,"
        " sibling_pairs BIGINT, twin_share DOUBLE, estimated BOOLEAN)"
    )
    con.execute(f"INSERT INTO {households.HOUSEHOLDS_TABLE} VALUES (59, 1, 0.01, TRUE)")
    found = households.stored(con)
    assert found.twin_share == 0.01 and found.generation_share == 1.0
    assert not found.generation_estimated
    assert "did not estimate" in households.describe(found, 0.9, 0.95, households.GENERATION)
    assert "did not estimate" not in households.describe(found, 0.9, 0.95)
