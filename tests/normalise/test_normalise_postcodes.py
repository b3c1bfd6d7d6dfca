"""UK postcodes: canonical form, district, sector and the free-text pattern."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relook.normalise.postcodes import (
    POSTCODE_PATTERN,
    is_uk_postcode,
    normalise_postcode,
    normalise_postcode_text,
    postcode_district,
    postcode_sector,
)

PATTERN = re.compile(POSTCODE_PATTERN, re.IGNORECASE)
BOUNDED = re.compile(rf"(?<![A-Za-z0-9]){POSTCODE_PATTERN}(?![A-Za-z0-9])", re.IGNORECASE)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        (" SW1A  1AA ", "SW1A 1AA"),
        ("m1 1ae", "M1 1AE"),  # A9
        ("B33 8TH", "B33 8TH"),  # A99
        ("CR2 6XH", "CR2 6XH"),  # AA9
        ("DN55 1PT", "DN55 1PT"),  # AA99
        ("W1A 0AX", "W1A 0AX"),  # A9A
        ("EC1A 1BB", "EC1A 1BB"),  # AA9A
        ("ec1a\t1bb", "EC1A 1BB"),
        ("S W 1 A 1 A A", "SW1A 1AA"),
        ("GIR 0AA", "GIR 0AA"),
        ("gir0aa", "GIR 0AA"),
        ("E1W 1AA", "E1W 1AA"),
        ("NW1W 9ZZ", "NW1W 9ZZ"),
    ],
)
def test_canonical_form(raw: str, canonical: str) -> None:
    assert normalise_postcode(raw) == canonical


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "SW1A",  # outward code only
        "1AA",
        "SW1A 1CA",  # C never in the inward code
        "SW1A 1AI",
        "SW1A 1AK",
        "SW1A 1MA",
        "SW1A 1AO",
        "SW1A 1VA",
        "QA1 1AA",  # Q, V, X never first
        "V1 1AA",
        "X1 1AA",
        "AI1 1AA",  # I, J, Z never second
        "AJ1 1AA",
        "AZ1 1AA",
        "W1I 1AA",  # I not allowed third in A9A
        "EC1C 1AA",  # C not allowed fourth in AA9A
        "SW1A-1AA",  # other characters are not ignored
        "SW1A 1AAA",
        "SWW1 1AA",
        "BFPO 1",
        "ASCN 1ZZ",
    ],
)
def test_not_a_postcode(raw: str | None) -> None:
    assert normalise_postcode(raw) is None


@pytest.mark.parametrize(
    ("postcode", "district", "sector"),
    [
        ("SW1A 1AA", "SW1A", "SW1A 1"),
        ("M1 1AE", "M1", "M1 1"),
        ("B33 8TH", "B33", "B33 8"),
        ("dn551pt", "DN55", "DN55 1"),
        ("GIR 0AA", "GIR", "GIR 0"),
    ],
)
def test_district_and_sector(postcode: str, district: str, sector: str) -> None:
    assert postcode_district(postcode) == district
    assert postcode_sector(postcode) == sector


@pytest.mark.parametrize("function", [postcode_district, postcode_sector])
def test_district_and_sector_reject_non_postcodes(function: object) -> None:
    assert callable(function)
    with pytest.raises(ValueError, match="not a UK postcode"):
        function("nonsense")


def test_pattern_finds_postcodes_in_text() -> None:
    text = "Found at m1 1ae, then seen near SW1A1AA and (EC1A  1BB); not at SW1A1AAX."
    assert [normalise_postcode(m) for m in BOUNDED.findall(text)] == [
        "M1 1AE",
        "SW1A 1AA",
        "EC1A 1BB",
    ]


def test_pattern_has_no_capturing_groups() -> None:
    assert re.compile(POSTCODE_PATTERN).groups == 0


_A1 = "ABCDEFGHIJKLMNOPRSTUWYZ"
_A2 = "ABCDEFGHKLMNOPQRSTUVWXY"
_A3 = "ABCDEFGHJKPSTUW"
_A4 = "ABEHMNPRVWXY"
_UNIT = "ABDEFGHJLNPQRSTUWXYZ"
_DIGIT = "0123456789"


@st.composite
def valid_postcodes(draw: st.DrawFn) -> str:
    """A well-formed postcode in canonical form, built from the format rules."""

    def pick(alphabet: str) -> str:
        return draw(st.sampled_from(alphabet))

    shape = draw(st.sampled_from(["A9", "A99", "AA9", "AA99", "A9A", "AA9A"]))
    outward = {
        "A9": lambda: pick(_A1) + pick(_DIGIT),
        "A99": lambda: pick(_A1) + pick(_DIGIT) + pick(_DIGIT),
        "AA9": lambda: pick(_A1) + pick(_A2) + pick(_DIGIT),
        "AA99": lambda: pick(_A1) + pick(_A2) + pick(_DIGIT) + pick(_DIGIT),
        "A9A": lambda: pick(_A1) + pick(_DIGIT) + pick(_A3),
        "AA9A": lambda: pick(_A1) + pick(_A2) + pick(_DIGIT) + pick(_A4),
    }[shape]()
    return f"{outward} {pick(_DIGIT)}{pick(_UNIT)}{pick(_UNIT)}"


@st.composite
def respaced(draw: st.DrawFn, canonical: str) -> str:
    """The same postcode with arbitrary whitespace and letter case."""
    chars = canonical.replace(" ", "")
    out = draw(st.sampled_from(["", " ", "\t"]))
    for char in chars:
        out += char.lower() if draw(st.booleans()) else char
        out += draw(st.sampled_from(["", "", "", " ", "  ", "\t"]))
    return out


@given(valid_postcodes().flatmap(lambda pc: st.tuples(st.just(pc), respaced(pc))))
def test_any_spacing_or_case_gives_the_canonical_form(case: tuple[str, str]) -> None:
    canonical, variant = case
    assert normalise_postcode(variant) == canonical


@given(valid_postcodes())
def test_canonical_postcodes_are_found_by_the_pattern(canonical: str) -> None:
    assert normalise_postcode(canonical) == canonical
    assert PATTERN.fullmatch(canonical)
    assert PATTERN.fullmatch(canonical.replace(" ", "").lower())
    assert postcode_sector(canonical).startswith(postcode_district(canonical) + " ")


@given(st.text())
def test_normalising_is_idempotent(raw: str) -> None:
    once = normalise_postcode(raw)
    if once is not None:
        assert normalise_postcode(once) == once
        assert re.fullmatch(r"[A-Z0-9]{2,4} [0-9][A-Z]{2}", once)


@given(st.from_regex(r"[A-Za-z0-9 ]{2,9}", fullmatch=True))
def test_pattern_and_normaliser_agree(raw: str) -> None:
    matches_pattern = PATTERN.fullmatch(raw.strip()) is not None
    if matches_pattern:
        assert normalise_postcode(raw) is not None


@pytest.mark.parametrize(
    ("raw", "text", "uk"),
    [
        (" sw1a1aa ", "SW1A 1AA", True),
        ("75008  paris", "75008 PARIS", False),
        ("d02\tx285", "D02 X285", False),
        ("BFPO 1", "BFPO 1", False),
        ("10115", "10115", False),
        ("   ", None, None),
        (None, None, None),
    ],
)
def test_every_recorded_postcode_keeps_a_matching_form(
    raw: str | None, text: str | None, uk: bool | None
) -> None:
    # A postcode that is not a UK one is never blanked: upper case, single spaces.
    assert normalise_postcode_text(raw) == text
    assert is_uk_postcode(raw) is uk


@given(st.text(max_size=20))
def test_only_a_blank_postcode_has_no_matching_form(raw: str) -> None:
    text = normalise_postcode_text(raw)
    assert (text is None) == (not raw.split())
    if text is not None:
        assert text == text.upper().strip() and "  " not in text
        assert is_uk_postcode(raw) == (normalise_postcode(raw) is not None)
