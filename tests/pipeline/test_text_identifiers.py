"""Identifiers in free text: every registration format, phone formats, postcodes, boundaries."""

from __future__ import annotations

import pytest

from relook.pipeline.extract.name_matcher import NameMatcher
from relook.pipeline.extract.text_identifiers import find_identifiers
from relook.pipeline.extract.written_only import WrittenOnlyFinder


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(f.kind, f.value, f.written) for f in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("Seen in a grey car, reg YX61 ABC, outside.", "YX61ABC", "YX61 ABC"),  # current
        ("Vehicle yx61abc seen again.", "YX61ABC", "yx61abc"),  # no space, lower case
        ("Vehicle YC02  SJS was seen.", "YC02SJS", "YC02  SJS"),  # two spaces
        ("A white van L392 VNL was seen.", "L392VNL", "L392 VNL"),  # prefix
        ("A Ford Escort ABC 123A was seen.", "ABC123A", "ABC 123A"),  # suffix
        ("ANPR check requested for VAZ 1240.", "VAZ1240", "VAZ 1240"),  # Northern Ireland
        ("ANPR check requested for VFK 350.", "VFK350", "VFK 350"),  # dateless
        ("A red Toyota Avensis, registration vgz 913.", "VGZ913", "vgz 913"),
    ],
)
def test_registration_marks_of_every_format(text: str, value: str, written: str) -> None:
    assert _found(text) == [("vrm", value, written)]
    start = text.index(written)
    assert find_identifiers(text)[0].start == start


@pytest.mark.parametrize(
    "text",
    [
        "PC 1234 attended the address.",  # a collar number, no vehicle nearby
        "He was 12a on the list.",  # lower-case suffix shape, no vehicle word
        "She was seen on 12 May 2014 at 10.30.",
        "The reference is AB12.",  # a partial mark is not a mark
        "XAB12CDEX",  # inside a longer token
    ],
)
def test_ordinary_text_is_not_a_registration_mark(text: str) -> None:
    assert [f for f in find_identifiers(text) if f.kind == "vrm"] == []


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("07700 900123", "+447700900123"),
        ("07700900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("0044 7700 900 123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("(0161) 496 0000", "+441614960000"),
        ("0161 496 0000", "+441614960000"),
        ("020 7946 0341", "+442079460341"),
        ("0044 20 7946 0341", "+442079460341"),
    ],
)
def test_phone_formats(written: str, e164: str) -> None:
    assert _found(f"Calls made to {written} in March.") == [("phone", e164, written)]


def test_a_year_beside_a_phone_is_not_part_of_it() -> None:
    assert _found("In 2014 07700 900123 was used.") == [("phone", "+447700900123", "07700 900123")]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("M1 1AE", "M1 1AE"),
        ("sw1a1aa", "SW1A 1AA"),
        ("B15 8Uu", "B15 8UU"),
        ("ls21  2hf", "LS21 2HF"),
    ],
)
def test_postcodes_any_spacing_or_case(written: str, canonical: str) -> None:
    assert _found(f"Found near {written} late at night.") == [("postcode", canonical, written)]


def test_names_match_on_word_boundaries_with_longest_match() -> None:
    matcher = NameMatcher(
        [
            ("name", "mohammed khan", "P1"),
            ("name", "muhammad khan", "P1"),
            ("name", "sunny", "P2"),
            ("place", "station hotel", "station hotel"),
        ],
        capitalised={"sunny"},
    )
    text = "Muhammad Khan and Sunny went to the Station Hotel on a sunny day; Khanage is not."
    hits = [(h.kind, h.values, h.written) for h in matcher.find(text)]
    assert hits == [
        ("name", ("P1",), "Muhammad Khan"),
        ("name", ("P2",), "Sunny"),
        ("place", ("station hotel",), "Station Hotel"),
    ]


def test_written_only_names_need_a_known_forename_and_surname() -> None:
    finder = WrittenOnlyFinder(forenames={"steven", "grace"}, surnames={"ward", "lin"})
    found = finder.find("Her friend Steven WARD was there. Station Road. Grace Lin too.")
    assert [(f.kind, f.value) for f in found] == [
        ("name", "written:steven ward"),
        ("name", "written:grace lin"),
    ]


def test_written_only_places_end_in_a_kind_of_place() -> None:
    finder = WrittenOnlyFinder(forenames=(), surnames=())
    found = finder.find("Food was bought from Tasty Grill. Taken to The Palace Kebab House.")
    assert [(f.value, f.written) for f in found] == [
        ("written:tasty grill", "Tasty Grill"),
        ("written:palace kebab house", "Palace Kebab House"),
    ]


# --- precision: nothing found inside something longer (issue 11) ---------------------


@pytest.mark.parametrize(
    "text",
    [
        "Found in a car near WF16 7YX.",
        "car WF16 7YX",
        "ANPR hit; the vehicle was parked at wf167yx.",
    ],
)
def test_no_registration_mark_inside_a_postcode(text: str) -> None:
    assert [kind for kind, _, _ in _found(text)] == ["postcode"]


@pytest.mark.parametrize(
    "text",
    [
        "Exhibit ref 07700 900123 4567 logged.",
        "Crime number 123-07700900123 recorded.",
        "Reference 07700900123/22 filed.",
        "Crime number 01234567890123 recorded.",
    ],
)
def test_no_phone_inside_a_longer_number(text: str) -> None:
    assert [f for f in _found(text) if f[0] == "phone"] == []


def test_a_phone_at_the_end_of_a_sentence_is_still_found() -> None:
    assert _found("Calls from 07700 900123. Then nothing.") == [
        ("phone", "+447700900123", "07700 900123")
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Seen near Bluebell Way.", []),
        ("Ace-high was written on the wall.", []),
        ("Dean Smith-Jones was spoken to.", []),
        ("Dean Smithson was spoken to.", []),
        ("Blue's car was seen.", ["Blue"]),
        ("Dean Smith's phone was seized.", ["Dean Smith"]),
    ],
)
def test_no_name_inside_another_word(text: str, found: list[str]) -> None:
    matcher = NameMatcher(
        [("name", "blue", "P1"), ("name", "dean smith", "P2"), ("name", "ace", "P3")],
        capitalised={"blue", "ace"},
    )
    assert [hit.written for hit in matcher.find(text)] == found
