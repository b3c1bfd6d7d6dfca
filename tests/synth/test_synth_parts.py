"""Properties of the generator's building blocks."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from synth_force import (
    canonical_phone,
    canonical_postcode,
    canonical_vrm,
    earliest_dob,
    latest_dob,
)

from relook.synth.background import KINDS, allocate_kinds
from relook.synth.dates import add_years, age_on, written_dob_is_child
from relook.synth.identifiers import (
    PhoneBook,
    VrmIssuer,
    new_postcode,
    render_phone,
    render_postcode,
    render_vrm,
)
from relook.synth.noise import written_dob
from relook.synth.text import Phrase, Planted, TextBuilder

seeds = st.integers(min_value=0, max_value=2**32)
days = st.dates(min_value=date(1950, 1, 1), max_value=date(2026, 11, 1))


@given(seeds)
def test_written_phones_normalise_to_their_canonical_form(seed: int) -> None:
    rng = random.Random(seed)
    book = PhoneBook(rng)
    for number in (book.mobile(), book.landline()):
        assert number is not None
        assert canonical_phone(render_phone(rng, number)) == number


@given(seeds)
def test_written_postcodes_and_marks_normalise_back(seed: int) -> None:
    rng = random.Random(seed)
    postcode = new_postcode(rng)
    assert canonical_postcode(render_postcode(rng, postcode)) == postcode
    vrm = VrmIssuer(rng).new()
    assert canonical_vrm(render_vrm(rng, vrm)) == vrm


def test_a_number_is_issued_once_and_then_the_book_runs_dry() -> None:
    # 1,000 mobiles and 13,000 landlines: a stranger never gets a number already held,
    # which at national size chained unrelated cases into one network.
    book = PhoneBook(random.Random(1))
    issued = [book.mobile() if i % 3 else book.landline() for i in range(14_000)]
    assert None not in issued
    assert len(set(issued)) == 14_000
    assert book.mobile() is None
    assert book.landline() is None


def test_marks_are_unique() -> None:
    issuer = VrmIssuer(random.Random(2))
    marks = [issuer.new() for _ in range(5000)]
    assert len(set(marks)) == len(marks)


@given(seeds, days, st.integers(min_value=1, max_value=80))
def test_written_dob_never_crosses_the_age_of_18(seed: int, on: date, age: int) -> None:
    rng = random.Random(seed)
    dob = add_years(on, -age)
    written, age_text = written_dob(rng, dob, on, needs_age=True)
    child = age_on(dob, on) < 18
    if written:
        assert (age_on(latest_dob(written), on) < 18) == child
        assert (age_on(earliest_dob(written), on) < 18) == child
        assert written_dob_is_child(written, on) is child
    else:
        assert int(age_text) == age_on(dob, on)


def test_text_builder_records_offsets() -> None:
    out = TextBuilder()
    out.sentence("First.")
    out.sentence(
        "Seen in {v} with {p}.",
        v=Planted("vrm", "ab12 cde", "AB12CDE"),
        p=Phrase("boyfriend", "boyfriend", True),
    )
    text = out.text
    assert text == "First. Seen in ab12 cde with boyfriend."
    for placed in out.placed:
        assert text[placed.start : placed.end] == placed.item.written


@given(st.integers(min_value=0, max_value=3000), seeds)
def test_kinds_are_allocated_exactly(count: int, seed: int) -> None:
    kinds = allocate_kinds(random.Random(seed), count)
    assert len(kinds) == count
    if count >= len(KINDS):
        assert set(kinds) == set(KINDS)
    if count >= 1000:
        for kind, spec in KINDS.items():
            assert abs(kinds.count(kind) / count - spec.share) < 0.01
