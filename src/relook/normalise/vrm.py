"""UK vehicle registration marks (VRMs): canonical form and format class.

A mark is normalised by deleting whitespace, hyphens and dots and upper-casing what is
left; that string is the *canonical* form (``"ab12 cde"`` → ``"AB12CDE"``). The canonical
form is kept for every non-blank input, even one that fits no format, because partial and
mistyped marks still have to be searched for.

The format class is decided on the canonical form alone, by the first rule that matches,
in this order:

``current`` (Great Britain since September 2001), ``AB12 CDE``
    Two memory-tag letters, neither I, Q nor Z; a two-digit age identifier; three random
    letters, neither I nor Q (Z is used). The age identifier is the year (``02``–``49``,
    issued from March) or the year + 50 (``51``–``99``, issued from September). ``01`` was
    never issued and ``00`` / ``50`` belong to 2050, so ``00``, ``01`` and ``50`` are
    rejected; identifiers that are well formed but not yet issued are accepted, so that
    the rule does not depend on today's date.
    The region letter (first letter) is not checked against the list of DVLA offices.

``prefix`` (1983–2001), ``A123 BCD``
    Year letter, a number 1–999 without leading zero, three letters. Year letters are A–Y
    except I, O, U and Z. Q is accepted in that position too: ``Q123 ABC`` marks are issued
    to vehicles of undetermined age and have the same layout. The three letters are a
    serial letter and a two-letter area code; none of them is I, Q or Z (I and Z were
    reserved for Ireland, Q for Q marks).

``suffix`` (1963–1983), ``ABC 123A``
    Three letters (not I, Q, Z, as for prefix), a number 1–999 without leading zero, and a
    year letter A–Y except I, O, Q, U and Z.

``northern_ireland``, ``ABZ 1234``
    Northern Ireland never adopted age identifiers. Its county codes are the two-letter
    codes containing I or Z (``IA``, ``IB``, …, ``AZ``–``YZ``). A mark is classed as NI when
    it is two or three letters whose last two (the county code, after an optional serial
    letter) contain I or Z, followed by a number 1–9999 (``ABZ 1234``, ``LIB 1234``,
    ``AIZ 123``, ``IA 12``), or the reversed form, a number 1–9999 followed by such a
    two-letter code (``1234 IA``).

``dateless``, ``ABC 123`` or ``1 ABC``
    One to three letters and a number 1–9999 without leading zero, in either order.

``invalid``
    Anything else: symbols, non-Latin letters, partial marks (``AB12``, ``A123``,
    ``AB12C``), numbers with leading zeros.

Ambiguities, and how they are settled:

* NI versus dateless. An NI mark *is* a dateless mark; the NI class is checked first and
  takes every dateless-shaped mark whose county-code letters contain I or Z. Great
  Britain never issued codes with I or Z, so such a mark is from the NI series even when
  it has been transferred to a vehicle registered elsewhere. A single letter I or Z with
  a number (``Z 123``) is classed as dateless, since NI codes have two letters.
* Partial marks versus dateless marks. ``AB12`` could be the dateless mark ``AB 12`` or
  the first half of ``AB12 CDE`` written down by a witness who saw only part of the
  plate; ``A123`` could be the dateless ``A 123`` or the first half of ``A123 BCD``. A
  string that is exactly the first display group of a current mark (valid memory tag and
  age identifier) or of a prefix mark (year letter and 1-999) is classed ``invalid``, as
  a partial mark: those two series cover nearly every vehicle in the period under review
  and partial sightings are common, while dateless marks of those shapes are rare
  cherished plates. Everything else keeps its NI or dateless class: ``AI 12`` (NI),
  ``AB 50`` and ``A 1234`` (dateless). The first group of a suffix mark (``ABC``) is
  letters only and so is ``invalid`` anyway; ``ABC 123`` stays dateless.
* The class describes the *layout* of the mark, not where or when the vehicle was
  registered: cherished transfers put any series on any vehicle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["VRM_CANDIDATE_PATTERN", "Vrm", "VrmFormat", "classify_vrm", "normalise_vrm"]


class VrmFormat(StrEnum):
    """Layout class of a registration mark; see the module docstring for the rules."""

    CURRENT = "current"
    PREFIX = "prefix"
    SUFFIX = "suffix"
    DATELESS = "dateless"
    NORTHERN_IRELAND = "northern_ireland"
    INVALID = "invalid"


# Letters without I, Q, Z: current memory tags, prefix/suffix serial and area letters.
_TAG = "[A-HJ-PR-Y]"
# Current-format random letters: I and Q are never used, Z is.
_RANDOM = "[A-HJ-PR-Z]"
# Age identifier 02-49 and 51-99: see the module docstring.
_AGE = "(?:0[2-9]|[1-4][0-9]|5[1-9]|[6-9][0-9])"
# Suffix year letters: A-Y without I, O, Q, U, Z. Prefix letters add Q (Q marks).
_YEAR = "[A-HJ-NPR-TV-Y]"
_PREFIX_YEAR = "[A-HJ-NP-TV-Y]"
_NUM3 = "[1-9][0-9]{0,2}"
_NUM4 = "[1-9][0-9]{0,3}"
_NI_CODE = "(?:[IZ][A-Z]|[A-Z][IZ])"

_RULES: tuple[tuple[VrmFormat, re.Pattern[str]], ...] = (
    (VrmFormat.CURRENT, re.compile(rf"{_TAG}{{2}}{_AGE}{_RANDOM}{{3}}")),
    (VrmFormat.PREFIX, re.compile(rf"{_PREFIX_YEAR}{_NUM3}{_TAG}{{3}}")),
    (VrmFormat.SUFFIX, re.compile(rf"{_TAG}{{3}}{_NUM3}{_YEAR}")),
    (
        VrmFormat.NORTHERN_IRELAND,
        re.compile(rf"[A-Z]?{_NI_CODE}{_NUM4}|{_NUM4}{_NI_CODE}"),
    ),
    # Checked before dateless on purpose: see "Partial marks" in the module docstring.
    (VrmFormat.INVALID, re.compile(rf"{_TAG}{{2}}{_AGE}|{_PREFIX_YEAR}{_NUM3}")),
    (VrmFormat.DATELESS, re.compile(rf"[A-Z]{{1,3}}{_NUM4}|{_NUM4}[A-Z]{{1,3}}")),
)

_REMOVED = re.compile(r"[\s.\-\u2010-\u2015]+")
_LETTERS_DIGITS = re.compile(r"([A-Z]+)([0-9]+)|([0-9]+)([A-Z]+)")

VRM_CANDIDATE_PATTERN: str = (
    rf"(?:{_TAG}{{2}}{_AGE} {{0,2}}{_RANDOM}{{3}}"
    rf"|{_PREFIX_YEAR}{_NUM3} {{0,2}}{_TAG}{{3}}"
    rf"|{_TAG}{{3}} {{0,2}}{_NUM3}{_YEAR})"
)
"""Regex source for current, prefix and suffix marks in free text.

Each mark may be written with one or two spaces between its two display groups
(``AB12 CDE``, ``A123 BCD``, ``ABC 123A``) or with none. No anchors and no capturing
groups; compile with ``re.IGNORECASE`` and wrap it in boundaries such as
``(?<![A-Za-z0-9])`` … ``(?![A-Za-z0-9])`` so that it does not match inside longer
tokens. Dateless and NI marks are left out: in prose their shape (``AB 12``) matches too
many ordinary tokens. Even so, a case-insensitive search finds some ordinary words with a
spaced suffix or prefix shape (``was 12a``); an extractor should weigh lower-case or
spaced matches by their context. Confirm every match with :func:`normalise_vrm`.
"""


@dataclass(frozen=True)
class Vrm:
    """A registration mark in canonical form with its layout class."""

    canonical: str
    format: VrmFormat

    @property
    def display(self) -> str:
        """The mark spaced as it appears on a plate (``"AB12 CDE"``)."""
        mark = self.canonical
        match self.format:
            case VrmFormat.CURRENT:
                return f"{mark[:4]} {mark[4:]}"
            case VrmFormat.PREFIX:
                return f"{mark[:-3]} {mark[-3:]}"
            case VrmFormat.SUFFIX:
                return f"{mark[:3]} {mark[3:]}"
            case VrmFormat.NORTHERN_IRELAND | VrmFormat.DATELESS:
                groups = _LETTERS_DIGITS.fullmatch(mark)
                if groups is None:  # pragma: no cover - the format rules guarantee a match
                    return mark
                return " ".join(g for g in groups.groups() if g)
            case _:
                return mark


def classify_vrm(canonical: str) -> VrmFormat:
    """Format class of a mark already in canonical form (no spaces, upper case)."""
    for fmt, pattern in _RULES:
        if pattern.fullmatch(canonical):
            return fmt
    return VrmFormat.INVALID


def normalise_vrm(raw: str | None) -> Vrm | None:
    """Canonical form and format class of a mark as recorded; None if blank.

    Whitespace, hyphens and dots are removed and the rest upper-cased. Any other
    character is kept in the canonical form and makes the mark ``invalid``.
    """
    if raw is None:
        return None
    canonical = _REMOVED.sub("", raw).upper()
    if not canonical:
        return None
    return Vrm(canonical=canonical, format=classify_vrm(canonical))
