"""Registration marks, phone numbers and postcodes written in free text.

Each finder returns the canonical value with the span as written, so that a reviewer sees
the evidence highlighted in its text. Candidates are found with patterns and confirmed by
the same normalisers ingest uses, so a mark in a note and a mark in the vehicles table
compare equal.

Registration marks: current (`AB12 CDE`), prefix (`A123 BCD`) and suffix (`ABC 123A`)
marks in any case, spaced or not. Written in lower case with a space, a suffix or prefix
shape is also ordinary prose ("was 12a"), so such a match counts only near a vehicle word
("reg", "car", "vehicle", …). Dateless and Northern Ireland marks (`ABZ 1234`, `A 123`)
look like collar numbers and references ("PC 1234"), so they count only when written in
capitals with a vehicle word ("car", "ANPR", a make or model) shortly before them, or in
any case right after a label ("registration vgz 913").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from relook.normalise.phones import to_e164
from relook.normalise.postcodes import POSTCODE_PATTERN, normalise_postcode
from relook.normalise.vrm import VRM_CANDIDATE_PATTERN, VrmFormat, normalise_vrm

VEHICLE_WORDS = (
    r"reg(?:istration)?(?:\s+(?:no|number|mark|plate))?\.?|vrm|index|plates?|car|vehicle|van|"
    r"taxi|cab|hatchback|saloon|estate|motorbike|4x4|bmw|audi|mercedes|vauxhall|ford|"
    r"toyota|nissan|honda|volkswagen|vw|seat|skoda|kia|hyundai|peugeot|renault|citroen|fiat|"
    r"mini|range rover|land rover|prius|corsa|golf|astra|focus|fiesta|polo|octavia|qashqai|"
    r"anpr"
)
_EDGE_BEFORE = r"(?<![A-Za-z0-9])"
_EDGE_AFTER = r"(?![A-Za-z0-9])"
_VRM = re.compile(_EDGE_BEFORE + f"(?:{VRM_CANDIDATE_PATTERN})" + _EDGE_AFTER, re.IGNORECASE)
_OTHER_VRM = re.compile(
    _EDGE_BEFORE + r"(?P<mark>[A-Z]{1,3} ?[0-9]{1,4}|[0-9]{1,4} ?[A-Z]{1,3})" + _EDGE_AFTER,
    re.IGNORECASE,
)
_MARK_LABEL = re.compile(
    r"\b(?:reg(?:istration)?(?: (?:no|number|mark))?|vrm|plate)[\s.:,-]*$", re.I
)
_VEHICLE_CUE = re.compile(rf"\b(?:{VEHICLE_WORDS})\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0044\s?|\(?0)\d[\d\s\-()]{7,14}\d(?![\w])")
_POSTCODE = re.compile(_EDGE_BEFORE + f"(?:{POSTCODE_PATTERN})" + _EDGE_AFTER, re.IGNORECASE)
CUE_DISTANCE = 40


@dataclass(frozen=True)
class Found:
    kind: str  # vrm, phone, postcode
    value: str  # canonical
    written: str
    start: int
    end: int


def _has_vehicle_cue(text: str, start: int) -> bool:
    return _VEHICLE_CUE.search(text, max(0, start - CUE_DISTANCE), start) is not None


def find_vrms(text: str) -> list[Found]:
    found = []
    for match in _VRM.finditer(text):
        written = match.group(0)
        spaced_lower = " " in written and not written.isupper()
        vrm = normalise_vrm(written)
        if vrm is None or vrm.format is VrmFormat.INVALID:
            continue
        if (
            spaced_lower
            and vrm.format is not VrmFormat.CURRENT
            and not _has_vehicle_cue(text, match.start())
        ):
            continue
        found.append(Found("vrm", vrm.canonical, written, match.start(), match.end()))
    taken = [(f.start, f.end) for f in found]
    for match in _OTHER_VRM.finditer(text):
        written = match.group("mark")
        start, end = match.start("mark"), match.end("mark")
        if any(s < end and start < e for s, e in taken):
            continue
        labelled = _MARK_LABEL.search(text, max(0, start - 20), start) is not None
        if not (labelled or (written.isupper() and _has_vehicle_cue(text, start))):
            continue
        vrm = normalise_vrm(written)
        if vrm and vrm.format in (VrmFormat.DATELESS, VrmFormat.NORTHERN_IRELAND):
            found.append(Found("vrm", vrm.canonical, written, start, end))
    return sorted(found, key=lambda f: f.start)


def _longest_phone(candidate: str) -> tuple[str, str] | None:
    """The longest leading run of the candidate's tokens that is a phone number."""
    tokens = candidate.split()
    for count in range(len(tokens), 0, -1):
        written = " ".join(tokens[:count])
        digits = sum(ch.isdigit() for ch in written)
        if not 10 <= digits <= 15:  # 0xxxx xxxxxx up to 0044 (0)xxxx xxxxxx
            continue
        e164 = to_e164(written)
        if e164:
            return written, e164
    return None


# Digits joined to the number by a hyphen, slash or dot before it, or by at most one space,
# hyphen, slash or dot after it: the number is part of a longer one (a crime reference,
# an exhibit number), not a phone.
_JOINED_BEFORE = re.compile(r"\d[-/.]$")
_JOINED_AFTER = re.compile(r"^[ \-/.]?\d")


def find_phones(text: str) -> list[Found]:
    found = []
    for match in _PHONE.finditer(text):
        result = _longest_phone(match.group(0))
        if result:
            written, e164 = result
            start = match.start()
            end = start + len(written)
            if _JOINED_BEFORE.search(text, 0, start) or _JOINED_AFTER.match(text[end : end + 2]):
                continue
            found.append(Found("phone", e164, written, start, end))
    return found


def find_postcodes(text: str) -> list[Found]:
    found = []
    for match in _POSTCODE.finditer(text):
        canonical = normalise_postcode(match.group(0))
        if canonical:
            found.append(Found("postcode", canonical, match.group(0), match.start(), match.end()))
    return found


def find_identifiers(text: str) -> list[Found]:
    """Every mark, phone and postcode in the text; overlapping finds keep the first kind.
    Postcodes come first: their format is strict, and the inward half of one ("7YX" of
    "WF16 7YX") also has the shape of a dateless registration mark."""
    results: list[Found] = []
    for finder in (find_postcodes, find_vrms, find_phones):
        for item in finder(text):
            if not any(f.start < item.end and item.start < f.end for f in results):
                results.append(item)
    return sorted(results, key=lambda f: (f.start, f.kind))
