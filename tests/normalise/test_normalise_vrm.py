"""UK registration marks: canonical form, format class, display form, candidate pattern."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relook.normalise.vrm import VRM_CANDIDATE_PATTERN, Vrm, VrmFormat, normalise_vrm

CANDIDATES = re.compile(rf"(?<![A-Za-z0-9]){VRM_CANDIDATE_PATTERN}(?![A-Za-z0-9])", re.IGNORECASE)

C, P, S = VrmFormat.CURRENT, VrmFormat.PREFIX, VrmFormat.SUFFIX
NI, D, X = VrmFormat.NORTHERN_IRELAND, VrmFormat.DATELESS, VrmFormat.INVALID


@pytest.mark.parametrize(
    ("raw", "canonical", "fmt", "display"),
    [
        # current
        ("AB12 CDE", "AB12CDE", C, "AB12 CDE"),
        ("ab12cde", "AB12CDE", C, "AB12 CDE"),
        ("AB-12-CDE", "AB12CDE", C, "AB12 CDE"),
        ("a.b.1.2.c.d.e", "AB12CDE", C, "AB12 CDE"),
        (" LM02 XYZ ", "LM02XYZ", C, "LM02 XYZ"),  # first March identifier; Z is random
        ("YR51 ABC", "YR51ABC", C, "YR51 ABC"),  # first September identifier
        ("AB49 CDE", "AB49CDE", C, "AB49 CDE"),
        ("AB99 CDE", "AB99CDE", C, "AB99 CDE"),
        # prefix
        ("A123 BCD", "A123BCD", P, "A123 BCD"),
        ("a1bcd", "A1BCD", P, "A1 BCD"),
        ("Y99 ABC", "Y99ABC", P, "Y99 ABC"),
        ("Q123 ABC", "Q123ABC", P, "Q123 ABC"),  # vehicle of undetermined age
        # suffix
        ("ABC 123A", "ABC123A", S, "ABC 123A"),
        ("xyw1y", "XYW1Y", S, "XYW 1Y"),
        ("ABC 99K", "ABC99K", S, "ABC 99K"),
        # Northern Ireland
        ("ABZ 1234", "ABZ1234", NI, "ABZ 1234"),
        ("AIZ 123", "AIZ123", NI, "AIZ 123"),
        ("LIB 1234", "LIB1234", NI, "LIB 1234"),
        ("IA 12", "IA12", NI, "IA 12"),
        ("AI12", "AI12", NI, "AI 12"),  # I cannot start a current mark
        ("BZ 9999", "BZ9999", NI, "BZ 9999"),
        ("1234 IA", "1234IA", NI, "1234 IA"),
        # dateless
        ("ABC 123", "ABC123", D, "ABC 123"),
        ("1 ABC", "1ABC", D, "1 ABC"),
        ("A1234", "A1234", D, "A 1234"),  # too many digits for a prefix mark
        ("O 1", "O1", D, "O 1"),  # O is never a year letter
        ("AB 1234", "AB1234", D, "AB 1234"),
        ("9999 AB", "9999AB", D, "9999 AB"),
        ("Z 123", "Z123", D, "Z 123"),  # NI codes have two letters
        ("QA12", "QA12", D, "QA 12"),  # cannot begin a current mark
        ("AB50", "AB50", D, "AB 50"),
        # invalid
        ("AB12", "AB12", X, "AB12"),  # partial current mark
        ("ab 12", "AB12", X, "AB12"),
        ("A123", "A123", X, "A123"),  # partial prefix mark
        ("A 1", "A1", X, "A1"),
        ("ABC", "ABC", X, "ABC"),  # partial suffix mark
        ("AB12C", "AB12C", X, "AB12C"),
        ("AB12 CD", "AB12CD", X, "AB12CD"),
        ("AB01 CDE", "AB01CDE", X, "AB01CDE"),  # 01 never issued
        ("AB00 CDE", "AB00CDE", X, "AB00CDE"),
        ("AB50 CDE", "AB50CDE", X, "AB50CDE"),
        ("IB12 CDE", "IB12CDE", X, "IB12CDE"),  # I, Q, Z never in a memory tag
        ("AZ12 CDE", "AZ12CDE", X, "AZ12CDE"),
        ("QA12 CDE", "QA12CDE", X, "QA12CDE"),
        ("AB12 CDI", "AB12CDI", X, "AB12CDI"),  # I, Q never random letters
        ("AB12 QDE", "AB12QDE", X, "AB12QDE"),
        ("O123 ABC", "O123ABC", X, "O123ABC"),  # O, I, U, Z never year letters
        ("U123 ABC", "U123ABC", X, "U123ABC"),
        ("A123 BIZ", "A123BIZ", X, "A123BIZ"),
        ("A0123 BCD", "A0123BCD", X, "A0123BCD"),
        ("ABC 123O", "ABC123O", X, "ABC123O"),
        ("ABC 123Z", "ABC123Z", X, "ABC123Z"),
        ("XYZ 123A", "XYZ123A", X, "XYZ123A"),  # I, Q, Z never in the three letters
        ("AB01", "AB01", X, "AB01"),  # dateless numbers have no leading zero
        ("ABC 0123", "ABC0123", X, "ABC0123"),
        ("ABCD 123", "ABCD123", X, "ABCD123"),
        ("AB 12345", "AB12345", X, "AB12345"),
        ("AB12 CD€", "AB12CD€", X, "AB12CD€"),
        ("AB12_CDE", "AB12_CDE", X, "AB12_CDE"),
        ("ÅB12 CDE", "ÅB12CDE", X, "ÅB12CDE"),
        ("123", "123", X, "123"),
    ],
)
def test_classification(raw: str, canonical: str, fmt: VrmFormat, display: str) -> None:
    vrm = normalise_vrm(raw)
    assert vrm == Vrm(canonical=canonical, format=fmt)
    assert vrm.display == display


@pytest.mark.parametrize("raw", [None, "", "   ", "-", " . - "])
def test_blank_is_none(raw: str | None) -> None:
    assert normalise_vrm(raw) is None


def test_format_values_are_the_documented_strings() -> None:
    assert [f.value for f in VrmFormat] == [
        "current",
        "prefix",
        "suffix",
        "dateless",
        "northern_ireland",
        "invalid",
    ]
    assert str(VrmFormat.NORTHERN_IRELAND) == "northern_ireland"


def test_vrm_is_frozen() -> None:
    vrm = Vrm("AB12CDE", VrmFormat.CURRENT)
    with pytest.raises(AttributeError):
        vrm.canonical = "XY12ZZZ"  # type: ignore[misc]


def test_candidate_pattern_in_free_text() -> None:
    text = (
        "Silver Astra ab12 cde seen twice; earlier a red Escort A123BCD and a van "
        "XYW 123A. Not a mark: XAB12CDE9 or 2 cars."
    )
    found = [normalise_vrm(m) for m in CANDIDATES.findall(text)]
    assert found == [
        Vrm("AB12CDE", C),
        Vrm("A123BCD", P),
        Vrm("XYW123A", S),
    ]


def test_candidate_pattern_has_no_capturing_groups() -> None:
    assert re.compile(VRM_CANDIDATE_PATTERN).groups == 0


_TAG = "ABCDEFGHJKLMNOPRSTUVWXY"
_RANDOM = _TAG + "Z"
_YEAR = "ABCDEFGHJKLMNPRSTVWXY"
_AGES = [f"{n:02d}" for n in range(2, 100) if n != 50]


def _number(draw: st.DrawFn, max_digits: int) -> str:
    return str(draw(st.integers(min_value=1, max_value=10**max_digits - 1)))


def _letters(draw: st.DrawFn, alphabet: str, count: int) -> str:
    return "".join(draw(st.sampled_from(alphabet)) for _ in range(count))


@st.composite
def valid_marks(draw: st.DrawFn) -> tuple[str, VrmFormat]:
    """A canonical mark of a known format, built from the format rules."""
    fmt = draw(st.sampled_from([C, P, S, NI, D]))
    if fmt is C:
        mark = _letters(draw, _TAG, 2) + draw(st.sampled_from(_AGES)) + _letters(draw, _RANDOM, 3)
    elif fmt is P:
        mark = _letters(draw, _YEAR + "Q", 1) + _number(draw, 3) + _letters(draw, _TAG, 3)
    elif fmt is S:
        mark = _letters(draw, _TAG, 3) + _number(draw, 3) + _letters(draw, _YEAR, 1)
    elif fmt is NI:
        code = draw(st.sampled_from(["IA", "IB", "IJ", "IL", "IW", "AZ", "BZ", "DZ", "KZ"]))
        serial = draw(st.sampled_from(["", "A", "L", "M", "X"]))
        mark = serial + code + _number(draw, 4)
    else:
        # Letters from the mainland area codes (no I or Z), and numbers long enough that
        # the mark cannot be the first half of a current or prefix mark (see "Partial
        # marks" in relook.normalise.vrm).
        letters = _letters(draw, "ABCDEFGHJKLMNOPRSTUVWXY", draw(st.integers(1, 3)))
        number = _number(draw, 4 if len(letters) < 3 else 3)
        if len(letters) == 2 and len(number) == 2:
            number = "1" + number
        if len(letters) == 1:
            number = number.ljust(4, "0")
        mark = letters + number if draw(st.booleans()) else number + letters
    return mark, fmt


@st.composite
def rewritten(draw: st.DrawFn, canonical: str) -> str:
    """The same mark as someone might record it: any case, spaces, hyphens, dots."""
    out = draw(st.sampled_from(["", " "]))
    for char in canonical:
        out += char.lower() if draw(st.booleans()) else char
        out += draw(st.sampled_from(["", "", "", " ", "-", ".", "  ", "\t"]))
    return out


@given(valid_marks().flatmap(lambda m: st.tuples(st.just(m), rewritten(m[0]))))
def test_any_spacing_or_case_gives_the_same_mark(case: tuple[tuple[str, VrmFormat], str]) -> None:
    (canonical, fmt), variant = case
    assert normalise_vrm(variant) == Vrm(canonical, fmt)


@given(valid_marks())
def test_display_form_round_trips(case: tuple[str, VrmFormat]) -> None:
    canonical, fmt = case
    vrm = Vrm(canonical, fmt)
    assert normalise_vrm(vrm.display) == vrm
    assert vrm.display.replace(" ", "") == canonical
    assert vrm.display.count(" ") == 1


@given(valid_marks())
def test_candidate_pattern_finds_current_prefix_and_suffix(case: tuple[str, VrmFormat]) -> None:
    canonical, fmt = case
    display = Vrm(canonical, fmt).display
    for written in (canonical, display, display.lower()):
        found = CANDIDATES.findall(f"seen {written} near the park")
        if fmt in {C, P, S}:
            assert [normalise_vrm(m) for m in found] == [Vrm(canonical, fmt)]
        else:
            assert found == []


@given(st.text())
def test_normalising_is_idempotent(raw: str) -> None:
    vrm = normalise_vrm(raw)
    if vrm is not None:
        assert normalise_vrm(vrm.canonical) == vrm
        assert vrm.canonical == vrm.canonical.upper()
        assert not re.search(r"[\s.\-]", vrm.canonical)


@given(st.from_regex(r"[A-Za-z0-9 ]{1,9}", fullmatch=True))
def test_every_candidate_is_confirmed(raw: str) -> None:
    vrm = normalise_vrm(raw)
    if CANDIDATES.fullmatch(raw):
        assert vrm is not None
        assert vrm.format in {C, P, S}
