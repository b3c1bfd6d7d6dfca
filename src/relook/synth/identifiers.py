"""Phone numbers, registration marks and postcodes: their canonical forms and the many
ways an officer writes them down.

Canonical forms are what the ground truth records: phones in E.164 (`+447700900123`),
registration marks upper case without spaces (`AB12CDE`), postcodes upper case with one
space (`SW1A 1AA`).

Phone numbers come only from Ofcom's ranges reserved for drama, so no real subscriber is
ever named: mobiles 07700 900000-900999 and 1,000 numbers in each of 0113 496, 0114 496,
0115 496, 0116 496, 0117 496, 0118 496, 0121 496, 0131 496, 0141 496, 0151 496, 0161 496,
0191 498 and 020 7946. That is 1,000 mobiles and 13,000 landlines: when the mobiles run
out, fresh landlines are issued, and when every number is gone (between 12,000 and
15,000 cases; never at 9,000) nobody else gets one. Each number is held by one person,
network or household. Issuing them again made strangers share numbers, and at 150,000
cases that chained 66,739 cases into one network in the ground truth; a large force
records fewer phones instead. Note that `phonenumbers.is_valid_number` rejects the drama
mobiles (they are "possible" but not "valid"), so a normaliser must not insist on validity.
"""

from __future__ import annotations

import random

from relook.synth.codes import between_ints, pick, weighted

_DRAMA_MOBILES = tuple(f"+447700900{n:03d}" for n in range(1000))
_DRAMA_LANDLINE_PREFIXES = (
    "113496", "114496", "115496", "116496", "117496", "118496", "121496", "131496", "141496",
    "151496", "161496", "191498", "207946",
)  # fmt: skip


class PhoneBook:
    """Issues each drama-range number once; None when none is left."""

    def __init__(self, rng: random.Random) -> None:
        self._mobiles = list(_DRAMA_MOBILES)
        self._landlines = [f"+44{p}{n:04d}" for p in _DRAMA_LANDLINE_PREFIXES for n in range(1000)]
        rng.shuffle(self._mobiles)
        rng.shuffle(self._landlines)

    def mobile(self) -> str | None:
        # Real people rarely share a number: once the 1,000 drama mobiles are gone, issue
        # fresh landlines rather than hand a mobile to a second, unrelated person.
        if self._mobiles:
            return self._mobiles.pop()
        return self.landline()

    def landline(self) -> str | None:
        return self._landlines.pop() if self._landlines else None


def _national_parts(e164: str) -> tuple[str, str]:
    """Split `+44...` into the trunk-prefixed area code and the local number."""
    national = "0" + e164[3:]
    if national.startswith("07"):
        return national[:5], national[5:]
    if national.startswith("02"):
        return national[:3], national[3:]
    return national[:4], national[4:]


def render_phone(rng: random.Random, e164: str) -> str:
    """The number as somebody might have typed it: spacing, +44, 0044, brackets."""
    area, local = _national_parts(e164)
    intl = area[1:]
    if area == "020":
        spaced = f"{local[:4]} {local[4:]}"
        forms = (
            f"020 {spaced}", f"020{local}", f"0{intl}{local[0]} {local[1:4]} {local[4:]}",
            f"+44 20 {spaced}", f"+4420{local}", f"(020) {spaced}", f"0044 20 {spaced}",
        )  # fmt: skip
    elif area.startswith("07"):
        forms = (
            f"{area} {local}", f"{area}{local}", f"+44 {intl} {local}", f"+44{intl}{local}",
            f"0044 {intl} {local}", f"{area} {local[:3]} {local[3:]}", f"{area}-{local}",
        )  # fmt: skip
    else:
        spaced = f"{local[:3]} {local[3:]}"
        forms = (
            f"{area} {spaced}", f"{area}{local}", f"+44 {intl} {spaced}", f"+44{intl}{local}",
            f"({area}) {spaced}", f"0044 {intl} {spaced}", f"{area} {local}",
        )  # fmt: skip
    return weighted(rng, forms, (34, 24, 14, 6, 8, 5, 9))


_CURRENT_FIRST = "ABCDEFGHJKLMNOPRSTUVWXY"  # no I, Q or Z at the start
_CURRENT_LAST = "ABCDEFGHJKLMNOPRSTUVWXYZ"  # no I or Q in the random letters
_PREFIX_LETTERS = "ABCDEFGHJKLMNPRSTVWXY"
_NI_CODES = (
    "AZ", "BZ", "CZ", "DZ", "EZ", "FZ", "GZ", "HZ", "IA", "IB", "IG", "IJ", "IL", "IW", "JZ",
    "KZ", "LZ", "MZ", "NZ", "OI", "OZ", "PZ", "RZ", "SZ", "TZ", "UI", "UZ", "VZ", "WZ", "XI",
)  # fmt: skip
_AGE_IDENTIFIERS = tuple(f"{n:02d}" for n in (*range(2, 26), *range(51, 76)))


def _letters(rng: random.Random, alphabet: str, k: int) -> str:
    return "".join([pick(rng, alphabet) for _ in range(k)])


def _new_vrm(rng: random.Random) -> str:
    style = rng.random()
    if style < 0.80:  # current, since 2001: AB12 CDE
        return (
            _letters(rng, _CURRENT_FIRST, 2)
            + pick(rng, _AGE_IDENTIFIERS)
            + _letters(rng, _CURRENT_LAST, 3)
        )
    if style < 0.90:  # prefix, 1983-2001: A123 BCD
        number = between_ints(rng, 1, 999)
        return f"{pick(rng, _PREFIX_LETTERS)}{number}{_letters(rng, _PREFIX_LETTERS, 3)}"
    if style < 0.93:  # suffix, 1963-1983: ABC 123A
        number = between_ints(rng, 1, 999)
        return f"{_letters(rng, _PREFIX_LETTERS, 3)}{number}{pick(rng, _PREFIX_LETTERS)}"
    if style < 0.95:  # dateless: ABC 123
        return f"{_letters(rng, _PREFIX_LETTERS, 3)}{between_ints(rng, 1, 999)}"
    # Northern Ireland: a letter, an I/Z code, up to four digits
    return f"{pick(rng, _PREFIX_LETTERS)}{pick(rng, _NI_CODES)}{between_ints(rng, 1, 9999)}"


class VrmIssuer:
    """Issues registration marks, each to one vehicle only."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._issued: set[str] = set()  # membership only: never iterated

    def new(self) -> str:
        while True:
            vrm = _new_vrm(self._rng)
            if vrm not in self._issued:
                self._issued.add(vrm)
                return vrm


def spaced_vrm(vrm: str) -> str:
    """The mark as printed on the plate, e.g. `AB12CDE` -> `AB12 CDE`."""
    if len(vrm) == 7 and vrm[:2].isalpha() and vrm[2:4].isdigit() and vrm[4:].isalpha():
        return f"{vrm[:4]} {vrm[4:]}"
    if vrm[0].isalpha() and vrm[1].isdigit() and vrm[-3:].isalpha():
        return f"{vrm[:-3]} {vrm[-3:]}"
    return f"{vrm[:3]} {vrm[3:]}"


def render_vrm(rng: random.Random, vrm: str) -> str:
    """The mark as written: with or without its space, in any case."""
    spaced = spaced_vrm(vrm)
    forms = (
        spaced, vrm, spaced.lower(), vrm.lower(), spaced.title(), spaced.replace(" ", "  "),
    )  # fmt: skip
    return weighted(rng, forms, (55, 25, 8, 5, 4, 3))


def partial_vrm(vrm: str) -> str:
    """A partial mark as a witness might give it: the plate's first half only."""
    return spaced_vrm(vrm).split(" ")[0]


_POSTCODE_AREAS = ("LS", "BD", "HX", "WF", "HD", "OL", "M", "S", "B", "L")
_CENTRAL_DISTRICTS = ("EC1A", "WC2H", "SW1A", "W1D", "EC2M", "SE1P")
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # never C, I, K, M, O or V


def new_postcode(rng: random.Random) -> str:
    """A postcode in a valid format (the areas are real, the codes are made up)."""
    if rng.random() < 0.02:
        outward = pick(rng, _CENTRAL_DISTRICTS)
    else:
        area = pick(rng, _POSTCODE_AREAS)
        outward = f"{area}{between_ints(rng, 1, 29 if len(area) == 2 else 40)}"
    return f"{outward} {between_ints(rng, 0, 9)}{_letters(rng, _INWARD_LETTERS, 2)}"


def render_postcode(rng: random.Random, postcode: str) -> str:
    """The postcode as typed: any spacing and any case."""
    compact = postcode.replace(" ", "")
    forms = (
        postcode, compact, postcode.lower(), compact.lower(), postcode.replace(" ", "  "),
        postcode.title(),
    )  # fmt: skip
    return weighted(rng, forms, (60, 14, 10, 6, 5, 5))
