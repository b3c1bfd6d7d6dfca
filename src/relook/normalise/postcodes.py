"""UK postcodes: canonical form, district and sector.

A postcode is an outward code (area + district, e.g. ``SW1A``) and an inward code
(sector digit + unit letters, e.g. ``1AA``). The canonical form is upper case with exactly
one space between them: ``SW1A 1AA``.

Format rules (Royal Mail / BS 7666), checked position by position:

* outward code shapes ``A9``, ``A99``, ``AA9``, ``AA99``, ``A9A``, ``AA9A``;
* 1st letter: any but Q, V, X; 2nd letter: any but I, J, Z;
* 3rd position letter (``A9A``): A B C D E F G H J K P S T U W;
* 4th position letter (``AA9A``): A B E H M N P R V W X Y;
* inward code: a digit then two letters, neither of them C I K M O V;
* ``GIR 0AA`` (Girobank) is the one historic exception and is accepted.

The check is of format, not of existence: a well-formed postcode that was never issued
still normalises. British Forces, overseas-territory and other non-geographic codes
(``BFPO 1``, ``ASCN 1ZZ``) are not in the format and give None.
"""

from __future__ import annotations

import re

__all__ = [
    "POSTCODE_PATTERN",
    "is_uk_postcode",
    "normalise_postcode",
    "normalise_postcode_text",
    "postcode_district",
    "postcode_sector",
]

_A1 = "[A-PR-UWYZ]"
_A2 = "[A-HK-Y]"
_A3 = "[A-HJKPSTUW]"
_A4 = "[ABEHMNPRV-Y]"
_INWARD_LETTER = "[ABD-HJLNP-UW-Z]"

_OUTWARD = rf"{_A1}(?:[0-9][0-9]?|[0-9]{_A3}|{_A2}[0-9][0-9]?|{_A2}[0-9]{_A4})"
_INWARD = rf"[0-9]{_INWARD_LETTER}{{2}}"
# Horizontal whitespace only: a postcode split over two lines of a note is far more
# likely to be two unrelated tokens than one postcode.
_GAP = r"[^\S\r\n]*"

POSTCODE_PATTERN: str = rf"(?:GIR{_GAP}0AA|{_OUTWARD}{_GAP}{_INWARD})"
"""Regex source for a UK postcode in free text.

No anchors and no capturing groups, so it can be embedded in a larger pattern. Compile
it with ``re.IGNORECASE``. It does not assert word boundaries: wrap it, for example in
``(?<![A-Za-z0-9])`` … ``(?![A-Za-z0-9])``, so that it does not match inside longer
tokens. Confirm and canonicalise every match with :func:`normalise_postcode`.
"""

_OUTWARD_RE = re.compile(_OUTWARD)
_INWARD_RE = re.compile(_INWARD)
_GIRO = ("GIR", "0AA")


def _split(raw: str) -> tuple[str, str] | None:
    compact = "".join(raw.split()).upper()
    # The inward code always has exactly three characters, so the split point is known
    # even when the postcode was written without its space.
    outward, inward = compact[:-3], compact[-3:]
    if (outward, inward) == _GIRO:
        return outward, inward
    if _OUTWARD_RE.fullmatch(outward) and _INWARD_RE.fullmatch(inward):
        return outward, inward
    return None


def normalise_postcode(raw: str | None) -> str | None:
    """Canonical form (``"SW1A 1AA"``) of a postcode in any spacing or case, else None.

    Whitespace anywhere is ignored (``" sw1a  1aa "``, ``"SW1A1AA"``); any other
    character, or a string that breaks the format rules, gives None.
    """
    if raw is None:
        return None
    parts = _split(raw)
    if parts is None:
        return None
    return f"{parts[0]} {parts[1]}"


def is_uk_postcode(raw: str | None) -> bool | None:
    """Whether a postcode as recorded is a UK one; None when it is blank."""
    if raw is None or not raw.strip():
        return None
    return _split(raw) is not None


def normalise_postcode_text(raw: str | None) -> str | None:
    """The form used for matching, for any postcode: never None for a recorded value.

    A UK postcode gets its canonical form (``"sw1a1aa"`` → ``"SW1A 1AA"``); any other
    (``"75008 Paris"``, ``"D02 x285"`` written oddly, ``"BFPO 1"``) is kept as written in
    upper case with single spaces (``"75008 PARIS"``), so that no recorded value vanishes
    and two records of the same foreign postcode still meet. None only for a blank value.
    """
    if raw is None:
        return None
    canonical = normalise_postcode(raw)
    if canonical is not None:
        return canonical
    text = " ".join(raw.split()).upper()
    return text or None


def _parts(postcode: str) -> tuple[str, str]:
    parts = _split(postcode)
    if parts is None:
        raise ValueError(f"not a UK postcode: {postcode!r}")
    return parts


def postcode_district(canonical: str) -> str:
    """The outward code (postcode district): ``"SW1A 1AA"`` → ``"SW1A"``.

    Accepts any form :func:`normalise_postcode` accepts; raises ValueError otherwise.
    """
    return _parts(canonical)[0]


def postcode_sector(canonical: str) -> str:
    """The postcode sector: ``"SW1A 1AA"`` → ``"SW1A 1"``.

    Accepts any form :func:`normalise_postcode` accepts; raises ValueError otherwise.
    """
    outward, inward = _parts(canonical)
    return f"{outward} {inward[0]}"
