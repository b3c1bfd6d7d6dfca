"""Phone numbers as recorded → E.164.

Forces record numbers in every layout (``07700 900123``, ``+44 (0)7700 900123``,
``0044 7700 900 123``, ``(0161) 496 0000``). Matching and linking need one form, so every
number is parsed with ``phonenumbers`` and written as E.164 (``+447700900123``).

Acceptance uses *possibility* (the digit count fits the country's numbering plan), not
validity: Ofcom reserves ranges for drama and documentation (``07700 900xxx``,
``0161 496 0xxx``, ``020 7946 0xxx``) that ``phonenumbers`` does not treat as valid, and
synthetic and training data use exactly those ranges.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType, ValidationResult

__all__ = ["phone_kind", "to_e164"]

_UK_COUNTRY_CODE = 44
_UK_LEADING_DIGITS = frozenset("1235789")

# An extension ends the number proper; its digits must not be glued onto the subscriber
# number when the letters around them are dropped below.
_EXTENSION = re.compile(r"(?:\bext(?:n|ension)?\b\.?|\bx\.?(?=\s*\d)|#)", re.IGNORECASE)
# Letters are labels ("mob", "tel:", "(home)"). Left in, phonenumbers would read them as
# a vanity number (``0800 FLOWERS``) and invent digits that were never recorded.
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d")

_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE})
_GEOGRAPHIC_TYPES = frozenset({PhoneNumberType.FIXED_LINE})


def _digits(text: str) -> str:
    return "".join(_DIGITS.findall(text))


def _parse(raw: str, region: str) -> PhoneNumber | None:
    text = _EXTENSION.split(raw, maxsplit=1)[0]
    text = _LETTERS.sub(" ", text)
    if not _digits(text):
        return None
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def _plausible_uk(number: PhoneNumber) -> bool:
    # phonenumbers keeps a leading zero it could not strip as a trunk prefix
    # ("italian leading zero"); UK national numbers never start with 0, so such a parse
    # means a malformed entry like "0800" or "00000000000".
    if number.italian_leading_zero:
        return False
    if phonenumbers.is_valid_number(number):
        return True
    # Unallocated numbers (the drama ranges among them) are only checked for shape:
    # 9 or 10 national digits, in a range the numbering plan uses (04 and 06 are unused).
    # Without this a local-only fragment such as "496 0000" would pass as +444960000.
    national = str(number.national_number)
    return len(national) in {9, 10} and national[0] in _UK_LEADING_DIGITS


def to_e164(raw: str | None, region: str = "GB") -> str | None:
    """Return the number in E.164 form, or None when it cannot be a phone number.

    ``region`` is the country assumed for numbers written without an international
    prefix. Blank input gives None, as does anything that is not a *possible* number
    for its country (too short, too long, or an impossible leading digit).
    """
    if raw is None or not raw.strip():
        return None
    number = _parse(raw, region)
    if number is None or number.national_number == 0:
        return None
    # Local-only numbers (no area code) cannot be placed, so they cannot be linked.
    if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
        return None
    # phonenumbers keeps a leading zero it could not strip as a trunk prefix
    # ("italian leading zero"); UK national numbers never start with 0, so such a parse
    # means a malformed entry like "0800" or "00000000000", not a real number.
    if number.country_code == _UK_COUNTRY_CODE and not _plausible_uk(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164 if e164.startswith("+") and e164[1:].isdigit() else None


def _uk_kind_by_prefix(e164: str) -> str:
    # Ofcom national numbering plan: 01/02 geographic; 071-075 and 077-079 mobile
    # (070 is personal numbering, 076 pagers). Used when phonenumbers cannot classify
    # the number, which is always the case for the drama ranges.
    national = e164[3:]
    if national[:1] in {"1", "2"}:
        return "geographic"
    if national[:1] == "7" and national[1:2] not in {"0", "6"}:
        return "mobile"
    return "other"


def phone_kind(e164: str) -> str:
    """Classify an E.164 number as ``"mobile"``, ``"geographic"`` or ``"other"``.

    Input that does not parse as E.164 is ``"other"``. Numbers that ``phonenumbers``
    knows are classified by its number type; for unknown UK numbers (drama ranges) the
    leading digits decide. Numbers whose type is ambiguous (``FIXED_LINE_OR_MOBILE``,
    common outside the UK) are ``"other"`` unless they are UK numbers.
    """
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return "other"
    is_uk = number.country_code == _UK_COUNTRY_CODE
    canonical = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(number):
        kind = phonenumbers.number_type(number)
        if kind in _MOBILE_TYPES:
            return "mobile"
        if kind in _GEOGRAPHIC_TYPES:
            return "geographic"
        if kind == PhoneNumberType.FIXED_LINE_OR_MOBILE and is_uk:
            return _uk_kind_by_prefix(canonical)
        return "other"
    if is_uk:
        return _uk_kind_by_prefix(canonical)
    return "other"
