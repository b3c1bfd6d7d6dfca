"""Phone numbers → E.164 and their kind."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relook.normalise.phones import phone_kind, to_e164

E164 = re.compile(r"\+[0-9]+")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07700 900123", "+447700900123"),
        ("07700900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("0044 7700 900 123", "+447700900123"),
        ("(0161) 496 0000", "+441614960000"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("07700-900-123", "+447700900123"),
        ("07700.900.123", "+447700900123"),
        ("(+44) 7700 900123", "+447700900123"),
        ("447700900123", "+447700900123"),
        ("020 7946 0000", "+442079460000"),
        ("0113 496 0000", "+441134960000"),
        ("028 9649 6000", "+442896496000"),
        ("0800 123 4567", "+448001234567"),
        ("07624 123456", "+447624123456"),
        ("+33 1 23 45 67 89", "+33123456789"),
        # Labels and extensions are recorded around the number; neither changes it.
        ("tel 07700900123", "+447700900123"),
        ("07700 900123 (mobile)", "+447700900123"),
        ("0161 496 0000 ext 12", "+441614960000"),
        ("0161 496 0000 x12", "+441614960000"),
    ],
)
def test_formats_as_recorded(raw: str, expected: str) -> None:
    assert to_e164(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "n/k",
        "12",
        "999",
        "0800",  # a fragment, not a number
        "00000000000",
        "496 0000",  # local number without its area code
        "07700 9001234",  # one digit too many
        "0800 FLOWERS",  # letters are never read as digits
        "07700 900123 / 0161 496 0000",  # two numbers in one field
    ],
)
def test_not_a_possible_number(raw: str | None) -> None:
    assert to_e164(raw) is None


def test_region_is_used_for_national_numbers() -> None:
    assert to_e164("01 23 45 67 89", region="FR") == "+33123456789"
    assert to_e164("+44 7700 900123", region="FR") == "+447700900123"


@pytest.mark.parametrize(
    ("e164", "kind"),
    [
        ("+447700900123", "mobile"),  # drama range: unknown to phonenumbers
        ("+447911123456", "mobile"),
        ("+447624123456", "mobile"),  # Isle of Man mobile
        ("+441614960000", "geographic"),
        ("+442079460000", "geographic"),
        ("+442896496000", "geographic"),
        ("+448001234567", "other"),  # freephone
        ("+447000123456", "other"),  # personal numbering
        ("+443001234567", "other"),
        ("+33123456789", "geographic"),
        ("+33612345678", "mobile"),
        ("+12025550143", "other"),  # US numbers do not say fixed or mobile
        ("not a number", "other"),
        ("", "other"),
    ],
)
def test_phone_kind(e164: str, kind: str) -> None:
    assert phone_kind(e164) == kind


_mobile_subscriber = st.from_regex(r"7[1-57-9][0-9]{8}", fullmatch=True)


@st.composite
def _written_mobile(draw: st.DrawFn) -> tuple[str, str]:
    """A UK mobile in one of the layouts seen in records, with its E.164 form."""
    national = draw(_mobile_subscriber)
    head, tail = national[:4], national[4:]
    sep = draw(st.sampled_from(["", " ", "-", ".", "  "]))
    layout = draw(
        st.sampled_from(
            [
                f"0{head}{sep}{tail}",
                f"0{head}{sep}{tail[:3]}{sep}{tail[3:]}",
                f"+44{sep}{head}{sep}{tail}",
                f"0044{sep}{head}{sep}{tail}",
                f"+44 (0){head}{sep}{tail}",
                f" 0{head} {tail} ",
            ]
        )
    )
    return layout, f"+44{national}"


@given(_written_mobile())
def test_any_layout_of_a_mobile_gives_its_e164(case: tuple[str, str]) -> None:
    raw, expected = case
    assert to_e164(raw) == expected
    assert phone_kind(expected) == "mobile"


@given(st.text())
def test_output_is_e164_and_stable(raw: str) -> None:
    e164 = to_e164(raw)
    if e164 is not None:
        assert E164.fullmatch(e164)
        assert to_e164(e164) == e164
        assert phone_kind(e164) in {"mobile", "geographic", "other"}


@given(st.from_regex(r"[0-9+() .\-]{0,20}", fullmatch=True))
def test_digit_strings_give_e164_or_none(raw: str) -> None:
    e164 = to_e164(raw)
    assert e164 is None or (E164.fullmatch(e164) and to_e164(e164) == e164)
