"""Personal names: folding, aliases, phonetic keys, forename groups and placeholders.

Every function here works on *folded* names (see :func:`fold_name`): lower-case ASCII
letters and digits separated by single spaces. The functions that take a folded name fold
it again first, which costs little and makes them safe on raw input too.

Phonetic key (:func:`name_key`)
    Metaphone (``jellyfish.metaphone``) of a pre-simplified string. Metaphone already
    drops non-initial vowels, merges doubled letters and maps ``ph``/``f``, ``c``/``k``,
    ``q``/``k``, ``z``/``s``, so Mohammed, Muhammad, Mohamad and Mohammad all give
    ``MHMT`` and Yusuf, Yousaf and Yousef give ``YSF``. The pre-simplification covers what
    metaphone misses in transliterated names:

    1. spaces and digits are removed, so ``abdul rahman`` = ``abdulrahman`` and
       ``o connor`` = ``oconnor``;
    2. a leading ``i`` before a vowel becomes ``y`` (Iurii = Yuri);
    3. ``y`` after the first letter becomes ``i`` (Zubayr = Zubair, Ayesha = Aisha);
    4. ``h`` after ``k``, ``d``, ``b`` or ``j`` is dropped, and a leading ``gh`` becomes
       ``g`` (Khan = Kahn, Chaudhry = Choudhury = Chowdhury, Ghulam = Gulam);
    5. a leading vowel becomes ``a`` (Osman = Usman, Omar = Umar, Ibrahim = Ebrahim,
       Oleksandr = Aleksandr = Alexander).

    NYSIIS was tried and rejected: it keeps vowel positions, so Ayesha and Aisha, or
    Chaudhry and Choudhury, get different keys. Keys are deterministic and collide for
    unrelated names more often than exact matching does (Ahmed and Amit both give ``AMT``):
    use them for blocking and as one comparison level, never as proof of identity.

Forename group (:func:`forename_group`)
    Maps each word of a forename to a canonical form so that nicknames, diminutives and
    transliterations of one name agree. For each word, in order:

    1. the shipped table ``name_variants.csv`` (``variant,canonical``), if it lists the
       word. The table holds transliteration variants (Mohammed → muhammad,
       Oleksandr → alexander, Kasia → katarzyna), common English diminutives where the
       ``nicknames`` data is ambiguous or folds the name into a rare one (Bill → william,
       not robert), and *pins*, rows whose variant equals the canonical, for common full
       names that the ``nicknames`` data records as nicknames of rarer names (Ali, Mark,
       Laura, Lee);
    2. a word that has nicknames of its own in the ``nicknames`` package data is a full
       name and is its own group;
    3. a word that is only a nickname there goes to the full name it belongs to; when it
       belongs to several, preferably one that starts with the same two letters (Len →
       leonard, not jalen), then the one with most recorded nicknames (a proxy for the
       most common full name), then the alphabetically first; the result goes through the
       table again, so a full name the table re-maps stays consistent (katherine →
       catherine);
    4. any other word is its own group.

    The result is deterministic and idempotent (``forename_group`` of a group is the group
    itself); the tests check that over every name in both data sources. The
    ``nicknames`` data is American and historical, so some mappings are surprising for
    names not in the table (Al → the full name with most nicknames among Alan, Albert,
    Alexander…): treat a group match as evidence, not identity. Gender-ambiguous
    diminutives are mapped to the more common full name in England and Wales (Chris →
    christopher, Sam → samuel, Alex → alexander); sex is compared separately.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib.resources import files

import jellyfish
from nicknames import NickNamer
from unidecode import unidecode

__all__ = [
    "fold_name",
    "forename_group",
    "forename_variants",
    "is_placeholder_name",
    "name_key",
    "split_aliases",
]

_APOSTROPHES = re.compile(r"['`´ʼʹ‘’′]")
# Lone surrogates come from bytes decoded with surrogateescape; unidecode warns on them
# and they carry no letter, so they are dropped first.
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold_name(raw: str | None) -> str | None:
    """Lower-case ASCII form of a name for comparison; None if nothing is left.

    Accents are transliterated (Zoë → zoe, Łukasz → lukasz), apostrophes are removed
    (O'Brien → obrien), every other non-alphanumeric character separates words
    (Smith-Jones → smith jones), and whitespace is collapsed.
    """
    if raw is None:
        return None
    # Apostrophes go before and after transliteration: unidecode turns some letters
    # (e.g. the Cyrillic soft sign) into an apostrophe.
    text = unidecode(_APOSTROPHES.sub("", _SURROGATES.sub("", raw))).lower()
    text = _APOSTROPHES.sub("", text)
    text = _NON_ALNUM.sub(" ", text).strip()
    return text or None


# "n/a" and "n/k" are single placeholders, not two aliases "n" and "a".
_SLASHED_PLACEHOLDER = re.compile(r"\bn\s*/\s*[ak]\b", re.IGNORECASE)
_ALIAS_SEPARATORS = re.compile(r"[;,/]")


def split_aliases(raw: str | None) -> list[str]:
    """Folded aliases from a ``;``-separated field (``,`` and ``/`` are tolerated too).

    Empty entries are dropped, duplicates removed, order kept. Placeholders such as
    ``n/a`` are kept as one entry (``"n a"``); filter with :func:`is_placeholder_name`.
    """
    if raw is None:
        return []
    text = _SLASHED_PLACEHOLDER.sub(lambda m: m.group(0).replace("/", " "), raw)
    seen: dict[str, None] = {}
    for part in _ALIAS_SEPARATORS.split(text):
        folded = fold_name(part)
        if folded is not None:
            seen.setdefault(folded, None)
    return list(seen)


_VOWELS = "aeiou"
_SILENT_H = re.compile(r"(?<=[kdbj])h")
_NON_LETTERS = re.compile(r"[^a-z]+")


def _simplify(word: str) -> str:
    if len(word) > 1 and word[0] == "i" and word[1] in _VOWELS:
        word = "y" + word[1:]
    word = word[:1] + word[1:].replace("y", "i")
    word = _SILENT_H.sub("", word)
    if word.startswith("gh"):
        word = "g" + word[2:]
    if word[:1] in _VOWELS:
        word = "a" + word[1:]
    return word


def name_key(folded: str) -> str:
    """Phonetic key robust to transliteration: ``"mohammed"`` and ``"muhammad"`` → ``"MHMT"``.

    Empty string when the name has no letters. See the module docstring for the rules.
    """
    word = _NON_LETTERS.sub("", fold_name(folded) or "")
    if not word:
        return ""
    return jellyfish.metaphone(_simplify(word))


@cache
def _variants() -> dict[str, str]:
    text = files("relook.normalise").joinpath("name_variants.csv").read_text(encoding="utf-8")
    return {
        row["variant"].strip(): row["canonical"].strip()
        for row in csv.DictReader(text.splitlines())
    }


@cache
def _nickname_tables() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    namer = NickNamer()
    nicknames_of = {name: frozenset(nicks) for name, nicks in namer.nickname_lookup.items()}
    canonicals_of = {name: frozenset(full) for name, full in namer.canonical_lookup.items()}
    return nicknames_of, canonicals_of


@cache
def _group_word(word: str) -> str:
    variants = _variants()
    if word in variants:
        return variants[word]
    nicknames_of, canonicals_of = _nickname_tables()
    if word in nicknames_of:
        return word
    full_names = canonicals_of.get(word)
    if not full_names:
        return word
    # Clipped diminutives (Len, Mel, Kim) begin like their full name, which picks the
    # right one among unrelated candidates far more often than the nickname count does.
    best = min(
        full_names,
        key=lambda name: (
            not name.startswith(word[:2]),
            -len(nicknames_of.get(name, ())),
            name,
        ),
    )
    return variants.get(best, best)


def forename_group(folded: str) -> str:
    """Canonical group of a forename: ``"bob"`` → ``"robert"``, ``"kasia"`` → ``"katarzyna"``.

    Each word is mapped separately (``"mo ali"``-style double forenames keep two words);
    an empty name gives ``""``. See the module docstring for the rules.
    """
    text = fold_name(folded)
    if text is None:
        return ""
    return " ".join(_group_word(word) for word in text.split())


@cache
def _members_by_group() -> dict[str, frozenset[str]]:
    """Every forename the variant table and nickname data know, by forename group."""
    nicknames_of, canonicals_of = _nickname_tables()
    words = set(_variants()) | set(_variants().values()) | set(nicknames_of) | set(canonicals_of)
    groups: dict[str, set[str]] = {}
    for word in sorted(words):
        if word.isalpha():
            groups.setdefault(_group_word(word), set()).add(word)
    return {group: frozenset(members) for group, members in groups.items()}


def forename_variants(folded: str) -> frozenset[str]:
    """Every one-word forename in the same group as this one, itself included.

    ``"daniel"`` → {"daniel", "dan", "danny", …}; used to look for a person's name in free
    text however it is written.
    """
    text = fold_name(folded)
    if text is None or " " in text:
        return frozenset({text} if text else ())
    return _members_by_group().get(_group_word(text), frozenset()) | {text}


# A word in this set is enough, with only weak words or numbers beside it, to make the
# whole name a placeholder.
_PLACEHOLDER_WORDS = frozenset(
    {
        "unknown", "unk", "unkn", "nk", "na", "none", "nil", "null", "tbc", "tba", "tbd",
        "unnamed", "unidentified", "unspecified", "undisclosed", "anon", "anonymous",
        "withheld", "redacted", "refused", "various", "not", "no", "known", "name",
        "given", "stated", "recorded", "provided", "supplied", "applicable", "details",
        "male", "female", "woman", "girl", "boy", "person", "suspect", "victim",
        "witness", "offender", "nominal", "subject", "individual",
    }
)  # fmt: skip
# Words that may sit beside a placeholder ("unknown asian male") but are names or
# ordinary words on their own ("White", "Young", "Man"), so they never decide alone.
_WEAK_WORDS = frozenset(
    {
        "man", "child", "youth", "adult", "teen", "teenage", "teenager", "young", "older",
        "elderly", "asian", "white", "black", "mixed", "other", "mr", "mrs", "ms", "miss",
        "mx", "dr", "the", "of", "and", "aka", "associate", "friend",
    }
)  # fmt: skip
_PLACEHOLDER_PHRASES = frozenset({"n a", "n k"})
_NUMBER = re.compile(r"[0-9]+(?:st|nd|rd|th)?")
_CROSSES = re.compile(r"x+")
_IC_CODE = re.compile(r"ic[0-9]")


def is_placeholder_name(folded: str | None) -> bool:
    """True for a name that identifies nobody: "unknown", "male 2", "n/a", "xx", "tbc".

    Blank input (None, or nothing left after folding) is a placeholder too. A name is a
    placeholder when every word is a placeholder word (unknown, male, suspect, tbc…), a
    number (``2``, ``2nd``), a run of x, a single letter, or a describing word (asian,
    white, young, man, mr…), and at least one word is of the first three kinds. So
    "unknown asian male" and "suspect b" are placeholders, but "White", "Young" and
    "J" are not.
    """
    text = fold_name(folded)
    if text is None or text in _PLACEHOLDER_PHRASES:
        return True
    decisive = False
    for word in text.split():
        if word in _PLACEHOLDER_WORDS or _NUMBER.fullmatch(word) or _CROSSES.fullmatch(word):
            decisive = True
        elif not (word in _WEAK_WORDS or len(word) == 1 or _IC_CODE.fullmatch(word)):
            return False
    return decisive
