"""The Splink model: comparisons, blocking rules and prior parameters.

Everything here is data (plain Splink settings dicts), so that a trained model saves to
JSON, loads back, and can be read by a reviewer.

Comparisons
-----------
Each comparison is a ladder of levels, checked top to bottom; the first level whose SQL
holds gives the pair its weight. The records table (`records.py`) has already folded
names, replaced placeholders ("unknown", "male 2") by NULL and derived the keys used here.

* forename: exact · nickname (bob / robert) · alias (one record's forename or full name
  is among the other's aliases) · swapped with the surname (both names crossed) ·
  phonetic key (mohammed / muhammad) · Jaro-Winkler ≥ 0.92 · another recorded forename
  agrees · JW ≥ 0.8 · one name only crossed with the other's surname · only an initial
  recorded, and it agrees · else.
* surname: exact · phonetic key · JW ≥ 0.92 · swapped with the forename (no weight: the
  swap is weighed under the forename) · alias surname · JW ≥ 0.8 · else.
* date of birth, aware of partial dates: exact day · day and month transposed · one
  character apart · year one apart with the same day and month · partial date agrees to
  the month · agrees to the year · years within one (any precision, or a year derived
  from age at offence) · the possible years of birth overlap (a missing child with no
  date of birth was 6 to 17 then) · else: the dates cannot be the same person's.
* address and postcode, one comparison (a shared address comes with its postcode; two
  comparisons would count it twice): same normalised address · same numbers, words
  nearly the same · address Jaro-Winkler >= 0.9 · same numbers, half the words · same
  postcode · same UK sector · postcode one character apart (any country) · same UK
  district · else.
* phone (E.164), nominal_id: exact · else.
* care setting (folded): same home within a year of each other (record dates) · within
  three years · same home · else. The home alone is weak on purpose: many children
  share it; at one home at one time, namesakes are rare.
* episode time: two missing episodes within a year · within three years · within six
  years · else (further apart than most of a childhood); not counted where both records
  name the same home (the care setting has weighed the time then).
* forename and surname also have "the same letters without spaces" ("wil liam").

Term-frequency adjustments are on the exact levels of forename, surname, address,
postcode, phone and care setting: "khan" or a children's home's phone agreeing is worth
less than a rare value agreeing.

Protected characteristics (ethnicity, nationality, religion, sex) are not in the records
table at all and no comparison or blocking rule names them (a test checks this).

Blocking
--------
Rules on common values are capped (`blocking.py`, `CAPPED_RULES`): a block of more than
20 records (10 for the rules on one name and a year) is compared only on a refinement
(year of birth, care setting, postcode district, the time of the record, an initial), so
that the comparisons grow with the records rather than with their square. On a generated
force: 232,556 comparisons at 9,000 cases and 2.9 million at 50,000, against 379,594 and
(uncapped) a 20-fold growth of the name blocks; true pairs never compared 668 of 37,697
and 5,083 of 219,740. The table below is of the uncapped rules.

Issue 10 added place rules (phonetic forename or surname + postcode, address + forename
or surname initial, phonetic forename or surname + care setting): true pairs never
compared fell from 304 to 136 on FEBRL3 and from 139 to 38 on FEBRL4 (606 -> 601 on the
generated force below, whose table predates them). Originally chosen with
`splink.blocking_analysis.count_comparisons_from_blocking_rules` (exact
counts) on a generated 9,000-case force: 47,266 records, 45,981 identifiable, 1.06e9
possible pairs, 42,218 true matching pairs (`bench/bench_resolve.py --blocking` prints
the counts again). "true" is the number of true pairs a rule finds that the rules above
it did not:

    rule                                               comparisons (marginal)   true
    forename_key + surname_key (phonetic full name)          82,538           34,644
    dob_iso (full date of birth)                              31,928            3,088
    surname + birth_year                                     126,688            1,279
    forename1 + birth_year                                    52,262              201
    surname + initial, forenames related at all               60,135            1,558
    forename1 + care_setting                                   5,401              195
    forename_key = other's surname_key, both ways              3,352              471
    nominal_id                                                    40               39
    phone + forename_key                                          12                0
    total                                                    362,356    98.3% of true

Every rule is an equi-join on one or two keys (DuckDB hashes it, no rule is a cross
join with a filter), so the comparisons grow with the sum of the squared block sizes, not
with the square of the records. On a later version of the generator (same seed): 354,454
at 9,000 cases (0.034% of the possible pairs), 1,310,297 at 18,000 cases (0.032%; 3.7
times, because the generator's name pool is fixed so every block doubles - real names are
more varied). The surname + initial rule made
407,046 comparisons before its filter. The phone rule finds nothing on generated data
(phones there always come with a name another rule finds) but is cheap and catches a
renamed suspect with the same phone.
"""

from __future__ import annotations

import re
from typing import Any

from relook.pipeline.resolution.blocking import SECONDARY_CAP, CappedRule

# Columns that must never appear in matching (design: "Protected characteristics never
# drive a decision").
PROTECTED_COLUMNS = ("ethnicity", "nationality", "religion", "sex")

UNIQUE_ID = "record_id"

# Level SQL, shared between the comparisons and the cluster guard (`clusters.py`), so
# that "the forenames are related" means the same thing in both places.
FORENAME_EXACT = '"forename1_l" = "forename1_r"'
# Keyed in two pieces, or two forenames run together: the same letters once the spaces
# are taken out ("wil liam" / "william").
FORENAME_COMPACT = '"forenames_compact_l" = "forenames_compact_r"'
FORENAME_NICKNAME = 'list_has_any("forename_variants_l", "forename_variants_r")'
FORENAME_ALIAS = (
    '(list_contains("aliases_l", "forename1_r") OR list_contains("aliases_r", "forename1_l")'
    ' OR list_contains("aliases_l", "full_name_r")'
    ' OR list_contains("aliases_r", "full_name_l")'
    ' OR list_has_any("aliases_l", "aliases_r"))'
)


# Written into each other's fields, sometimes with a slip as well. A swap is both names
# crossed: one name crossed alone ("Thomas Williams" beside "Bogdan Thomas") is one
# coincidence, and scored as a swap it counted in both name comparisons, which with a
# shared date of birth merged strangers at 150,000 cases. One cross must be close (0.9),
# the other may carry a slip (0.8: "Seng Wiol" beside "Will Seng"), and a record with
# one name only crosses on the name it has.
def _forename_is_surname(forename_side: str, surname_side: str, at_least: float) -> str:
    """One record's first forename written as the other record's surname."""
    return (
        f'jaro_winkler_similarity("forename1_{forename_side}", "surname_{surname_side}")'
        f" >= {at_least}"
    )


def _swapped(first: str, second: str) -> str:
    """`first`'s forename close to `second`'s surname, and the other cross near (or not
    recorded on either side)."""
    close = _forename_is_surname(first, second, 0.9)
    near = _forename_is_surname(second, first, 0.8)
    return f"(({close}) AND coalesce({near}, TRUE))"


NAMES_SWAPPED = f"({_swapped('l', 'r')} OR {_swapped('r', 'l')})"
# One name crossed: a level of its own (weighed under the forename only), and for the
# chain guard enough for the names not to conflict.
NAME_CROSSED = f"({_forename_is_surname('l', 'r', 0.9)} OR {_forename_is_surname('r', 'l', 0.9)})"
FORENAME_PHONETIC = '"forename_key_l" = "forename_key_r"'
FORENAME_JW_HIGH = 'jaro_winkler_similarity("forename1_l", "forename1_r") >= 0.92'
FORENAME_OTHER_TOKEN = 'list_has_any("forename_tokens_l", "forename_tokens_r")'
FORENAME_JW_LOW = 'jaro_winkler_similarity("forename1_l", "forename1_r") >= 0.8'
FORENAME_INITIAL = (
    '((length("forename1_l") = 1 OR length("forename1_r") = 1)'
    ' AND left("forename1_l", 1) = left("forename1_r", 1))'
)

FORENAME_RELATED = " OR ".join(
    f"({sql})"
    for sql in (
        FORENAME_EXACT,
        FORENAME_COMPACT,
        FORENAME_NICKNAME,
        FORENAME_ALIAS,
        NAME_CROSSED,
        FORENAME_PHONETIC,
        FORENAME_OTHER_TOKEN,
        FORENAME_JW_LOW,
        FORENAME_INITIAL,
    )
)

SURNAME_EXACT = '"surname_l" = "surname_r"'
SURNAME_COMPACT = '"surname_compact_l" = "surname_compact_r"'
SURNAME_PHONETIC = '"surname_key_l" = "surname_key_r"'
SURNAME_JW_HIGH = 'jaro_winkler_similarity("surname_l", "surname_r") >= 0.92'
SURNAME_ALIAS = (
    '(list_contains("alias_surnames_l", "surname_r")'
    ' OR list_contains("alias_surnames_r", "surname_l"))'
)
SURNAME_JW_LOW = 'jaro_winkler_similarity("surname_l", "surname_r") >= 0.8'
SURNAME_RELATED = " OR ".join(
    f"({sql})"
    for sql in (
        SURNAME_EXACT, SURNAME_COMPACT, SURNAME_PHONETIC, NAME_CROSSED, SURNAME_ALIAS,
        SURNAME_JW_LOW,
    )
)  # fmt: skip

DOB_EXACT = '"dob_iso_l" = "dob_iso_r"'
DOB_TRANSPOSED = (
    "\"dob_precision_l\" = 'day' AND \"dob_precision_r\" = 'day'"
    ' AND "dob_year_l" = "dob_year_r"'
    ' AND "dob_month_l" = "dob_day_r" AND "dob_day_l" = "dob_month_r"'
)
DOB_TYPO = 'damerau_levenshtein("dob_iso_l", "dob_iso_r") <= 1'
DOB_YEAR_SLIP = (
    '"dob_month_l" = "dob_month_r" AND "dob_day_l" = "dob_day_r"'
    ' AND abs("dob_year_l" - "dob_year_r") = 1'
)
DOB_MONTH = (
    '"dob_year_l" = "dob_year_r" AND "dob_month_l" = "dob_month_r"'
    " AND (\"dob_precision_l\" = 'month' OR \"dob_precision_r\" = 'month')"
)
DOB_YEAR = (
    '"dob_year_l" = "dob_year_r" AND ("dob_precision_l" = \'year\' OR "dob_precision_r" = \'year\')'
)
# Recorded dates of birth slip in more than one way at once (a partial date of a
# year-slipped one, a transposed date of a year-slipped one): within a year is a level of
# its own, weaker than the ones above.
DOB_NEAR_YEAR = 'abs("birth_year_l" - "birth_year_r") <= 1'
# Ranges of possible birth years overlap (a missing child's age, an age at offence).
DOB_POSSIBLE = (
    '"birth_year_min_l" <= "birth_year_max_r" AND "birth_year_min_r" <= "birth_year_max_l"'
)


def _level(
    sql: str,
    label: str,
    m: float,
    u: float,
    tf_column: str | None = None,
    *,
    fix_m: bool = False,
    fix_u: bool = False,
) -> dict[str, Any]:
    level: dict[str, Any] = {
        "sql_condition": sql,
        "label_for_charts": label,
        "m_probability": m,
        "u_probability": u,
    }
    if fix_m:
        level["fix_m_probability"] = True
    if fix_u:
        level["fix_u_probability"] = True
    if tf_column:
        level["tf_adjustment_column"] = tf_column
        level["tf_adjustment_weight"] = 1.0
    return level


def _comparison(
    name: str, description: str, null_sql: str, levels: list[dict[str, Any]]
) -> dict[str, Any]:
    """A comparison dict; the 'else' level takes the probability mass left over."""
    m_else = max(1.0 - sum(lv["m_probability"] for lv in levels), 0.001)
    u_else = max(1.0 - sum(lv["u_probability"] for lv in levels), 0.001)
    return {
        "output_column_name": name,
        "comparison_description": description,
        "comparison_levels": [
            {"sql_condition": null_sql, "label_for_charts": "not recorded", "is_null_level": True},
            *levels,
            _level("ELSE", "different", m_else, u_else),
        ],
    }


def _null(*columns: str) -> str:
    return " OR ".join(f'"{c}_l" IS NULL OR "{c}_r" IS NULL' for c in columns)


# Prior m and u probabilities: an analyst's estimates, used as they are when there are
# too few records to train (tests, a very small force) and as the starting point of EM.
def forename_comparison() -> dict[str, Any]:
    return _comparison(
        "forename",
        "First forename, with nicknames, aliases and transliterations",
        _null("forename1"),
        [
            _level(FORENAME_EXACT, "exact", 0.70, 0.01, "forename1"),
            _level(FORENAME_COMPACT, "same letters without spaces", 0.01, 0.0002),
            _level(FORENAME_NICKNAME, "nickname", 0.06, 0.002),
            _level(FORENAME_ALIAS, "alias", 0.05, 0.0005),
            # m learnt: how often a force keys names into the wrong fields is a fact
            # about the force (EM learns 0.02 on the default generated force, 0.04-0.06
            # with name slips x3).
            _level(NAMES_SWAPPED, "swapped with surname", 0.01, 0.0002),
            _level(FORENAME_PHONETIC, "phonetic / transliteration", 0.06, 0.003),
            _level(FORENAME_JW_HIGH, "Jaro-Winkler >= 0.92", 0.04, 0.002),
            _level(FORENAME_OTHER_TOKEN, "another forename agrees", 0.02, 0.001),
            _level(FORENAME_JW_LOW, "Jaro-Winkler >= 0.8", 0.02, 0.02),
            # One name in the other's field, the other name different: learnt from the
            # data, since it is a swap with a slip in one force and chance in another.
            _level(NAME_CROSSED, "one name crossed with the surname", 0.01, 0.002),
            _level(FORENAME_INITIAL, "initial agrees", 0.01, 0.004),
        ],
    )


def surname_comparison() -> dict[str, Any]:
    return _comparison(
        "surname",
        "Surname, with transliterations and swapped names",
        _null("surname"),
        [
            _level(SURNAME_EXACT, "exact", 0.80, 0.005, "surname"),
            _level(SURNAME_COMPACT, "same letters without spaces", 0.01, 0.0002),
            _level(SURNAME_PHONETIC, "phonetic / transliteration", 0.06, 0.003),
            _level(SURNAME_JW_HIGH, "Jaro-Winkler >= 0.92", 0.05, 0.002),
            # One swap is one fact: weighed under the forename; here it only keeps the
            # surnames from counting as different (m = u; -0.03 bits once the m floor
            # renormalises the comparison).
            _level(
                NAMES_SWAPPED,
                "swapped with forename (weighed under forename)",
                0.01,
                0.01,
                fix_m=True,
                fix_u=True,
            ),
            _level(SURNAME_ALIAS, "alias surname", 0.02, 0.0002),
            _level(SURNAME_JW_LOW, "Jaro-Winkler >= 0.8", 0.02, 0.02),
        ],
    )


def dob_comparison() -> dict[str, Any]:
    return _comparison(
        "dob",
        "Date of birth, partial dates and age at offence allowed",
        _null("birth_year_min"),
        [
            _level(DOB_EXACT, "exact", 0.62, 0.0002),
            _level(DOB_TRANSPOSED, "day and month transposed", 0.02, 0.000005),
            _level(DOB_TYPO, "one character apart", 0.05, 0.002),
            _level(DOB_YEAR_SLIP, "year one apart, same day and month", 0.04, 0.0003),
            _level(DOB_MONTH, "partial date agrees to month", 0.06, 0.0008),
            _level(DOB_YEAR, "partial date agrees to year", 0.08, 0.01),
            _level(DOB_NEAR_YEAR, "year within 1", 0.08, 0.03),
            # Not a penalty: EM finds it positive evidence (+3.8 bits on a generated
            # force: a child of 6 to 17 against records of adults), and the prior says so;
            # only "cannot be the same" counts against a pair.
            _level(DOB_POSSIBLE, "possible years of birth overlap", 0.03, 0.003),
        ],
    )


# A postcode keyed with one slip (a digit wrong, two transposed), in any country.
POSTCODE_TYPO = 'damerau_levenshtein("postcode_l", "postcode_r") <= 1'
# Address, normalised (lower-case letters and digits): the same numbers (house, flat) and
# nearly the same words is the same address with a slip.
ADDRESS_EXACT = '"address_l" = "address_r"'
ADDRESS_NUMBERS_WORDS = (
    '"address_numbers_l" = "address_numbers_r"'
    ' AND jaro_winkler_similarity("address_words_l", "address_words_r") >= 0.88'
)
ADDRESS_FUZZY = 'jaro_winkler_similarity("address_l", "address_r") >= 0.9'
# The same numbers and at least half the words in common, in any order (a locality
# written before the street, a word dropped or added).
ADDRESS_NUMBERS_TOKENS = (
    '"address_numbers_l" = "address_numbers_r" AND len("address_numbers_l") > 0'
    ' AND len(list_intersect("address_tokens_l", "address_tokens_r"))'
    ' >= 0.5 * len(list_distinct(list_concat("address_tokens_l", "address_tokens_r")))'
)


def address_comparison() -> dict[str, Any]:
    """Address and postcode as one comparison, best evidence first.

    One comparison, not two: a shared address almost always comes with its postcode, and
    two comparisons would count the one fact twice (Splink assumes comparisons are
    independent given a match). The postcode speaks where the addresses are not both
    recorded or do not agree.
    """
    return _comparison(
        "address",
        "Address (normalised) and postcode (UK canonical; other countries as text)",
        f"({_null('address')}) AND ({_null('postcode')})",
        [
            _level(ADDRESS_EXACT, "same address", 0.45, 0.0003, "address"),
            _level(ADDRESS_NUMBERS_WORDS, "same numbers, address nearly the same", 0.1, 0.0001),
            _level(ADDRESS_FUZZY, "address Jaro-Winkler >= 0.9", 0.05, 0.0005),
            _level(ADDRESS_NUMBERS_TOKENS, "same numbers, half the words", 0.04, 0.0002),
            _level('"postcode_l" = "postcode_r"', "same postcode", 0.1, 0.0005, "postcode"),
            _level('"postcode_sector_l" = "postcode_sector_r"', "same postcode sector", 0.04,
                   0.002),
            # A slip level: within the block on name keys EM drove its m below what
            # Splink accepts (1e-300); retrained from the prior the model lost precision
            # (bench/RESULTS.md), so its m is the prior's.
            _level(POSTCODE_TYPO, "postcode one character apart", 0.03, 0.005, fix_m=True),
            _level('"postcode_district_l" = "postcode_district_r"', "same postcode district",
                   0.06, 0.01),
        ],
    )  # fmt: skip


# At the same home at the same time: two records of one care setting made within a
# year (or three) of each other. Namesakes are common; namesakes at one home at one time
# are not, so for a missing episode without a date of birth this is the corroboration.
CARE_SAME_YEAR = (
    '"care_setting_l" = "care_setting_r"'
    ' AND abs(date_diff(\'day\', "event_date_l", "event_date_r")) <= 365'
)
CARE_SAME_3_YEARS = (
    '"care_setting_l" = "care_setting_r"'
    ' AND abs(date_diff(\'day\', "event_date_l", "event_date_r")) <= 3 * 365'
)


def care_setting_comparison() -> dict[str, Any]:
    """Care setting, kept weak alone; stronger at the same home within a year or three.

    m is learnt by EM, with "different" floored as an address is (`training.ELSE_M_FLOOR`:
    EM alone would learn that a child never changes home). Until 2026-12-04 m was fixed
    at these priors, and "same home" at any time then cost about 1.3-1.8 bits on a force
    with few homes (u 0.24 against m 0.1): the same child at the same home four years
    apart scored lower than with no home recorded at all. The home alone stays weak
    through u and the term-frequency adjustment (many children share a home). No
    term-frequency adjustment on the time levels: a home's frequency ignores time and
    would undo them.
    """
    comparison = _comparison(
        "care_setting",
        "Care setting (weak alone; at the same home at the same time)",
        _null("care_setting"),
        [
            _level(CARE_SAME_YEAR, "same home within a year", 0.35, 0.02),
            _level(CARE_SAME_3_YEARS, "same home within three years", 0.15, 0.03),
            _level('"care_setting_l" = "care_setting_r"', "same home", 0.1, 0.04,
                   "care_setting"),
        ],
    )  # fmt: skip
    return comparison


# Two missing episodes of one child fall within that child's childhood, most within a few
# years; two namesakes' episodes fall anywhere in the force's years. Where the home does
# not already say when (care settings not both recorded, or different), the time between
# two episodes is evidence of its own: on a generated force with a small name pool, two
# episodes with agreeing names and no home recorded were 80 % the same child within a
# year of each other and 10 % when more than six years apart.
_BOTH_EPISODES = "\"record_kind_l\" = 'missing_episode' AND \"record_kind_r\" = 'missing_episode'"
_EPISODE_DAYS = 'abs(date_diff(\'day\', "event_date_l", "event_date_r"))'


def episode_time_comparison() -> dict[str, Any]:
    """Time between two missing episodes, when the care setting has not weighed it."""
    return _comparison(
        "episode_time",
        "Time between two missing episodes (where the same home does not already say)",
        f"NOT ({_BOTH_EPISODES}) OR {_null('event_date')}"
        ' OR coalesce("care_setting_l" = "care_setting_r", FALSE)',
        [
            _level(f"{_EPISODE_DAYS} <= 365", "within a year", 0.4, 0.1),
            _level(f"{_EPISODE_DAYS} <= 3 * 365", "within three years", 0.35, 0.2),
            _level(f"{_EPISODE_DAYS} <= 6 * 365", "within six years", 0.2, 0.3),
        ],
    )


# Two mentions on one case in the same role, their names written alike and their dates
# of birth not against it: a person entered twice on the record (who must count once:
# "two or more suspects" decides scope). A case holds a handful of people, so the same
# name there is far stronger evidence than across a force. The names must be alike for
# the level to hold (a forename only written where the other has the surname, as family
# members on one case often are, is not enough), and dates of birth more than a year
# apart keep it from holding (a father and son of one name).
FORENAME_ALIKE = " OR ".join(
    f"({sql})"
    for sql in (
        FORENAME_EXACT, FORENAME_COMPACT, FORENAME_NICKNAME, FORENAME_ALIAS, FORENAME_PHONETIC,
        FORENAME_JW_HIGH, FORENAME_OTHER_TOKEN, FORENAME_INITIAL,
    )
)  # fmt: skip
SURNAME_ALIKE = " OR ".join(
    f"({sql})"
    for sql in (SURNAME_EXACT, SURNAME_COMPACT, SURNAME_PHONETIC, SURNAME_JW_HIGH, SURNAME_ALIAS)
)
# Possible years of birth more than a year apart, and not one typing slip apart.
DOB_APART = f"""(coalesce("birth_year_min_l" > "birth_year_max_r" + 1
                     OR "birth_year_min_r" > "birth_year_max_l" + 1, FALSE)
            AND NOT coalesce({DOB_TYPO}, FALSE))"""
SAME_CASE_SAME_ROLE = (
    '"case_id_l" = "case_id_r" AND "role_l" = "role_r"'
    f' AND ("forename1_l" IS NULL OR "forename1_r" IS NULL OR {FORENAME_ALIKE})'
    f' AND ("surname_l" IS NULL OR "surname_r" IS NULL OR {SURNAME_ALIKE})'
    f" AND NOT {DOB_APART}"
)


def case_comparison() -> dict[str, Any]:
    """The same case, the same role, names alike (mentions only; episodes have no case).

    m is fixed, like the care setting's: EM learns it from pairs blocked on a full name or
    a date of birth, among which a person's two entries on one case are over-represented
    (it found 0.06 on a generated 50,000-case force, where 0.009 of true pairs are of this
    kind). u is not sampled (a random sample of a million pairs holds two or three such
    pairs) but counted on each run's records (`training.count_case_u`).
    """
    comparison = _comparison(
        "case",
        "Recorded on the same case in the same role, names alike",
        _null("case_id"),
        [_level(SAME_CASE_SAME_ROLE, "same case, same role, names alike", 0.01, 0.000001)],
    )
    for level in comparison["comparison_levels"][1:]:
        level["fix_m_probability"] = True
    return comparison


def exact_comparison(
    name: str, description: str, m: float, u: float, *, tf: bool, fix_m: bool = False
) -> dict[str, Any]:
    comparison = _comparison(
        name,
        description,
        _null(name),
        [_level(f'"{name}_l" = "{name}_r"', "exact", m, u, name if tf else None)],
    )
    if fix_m:
        for level in comparison["comparison_levels"][1:]:
            level["fix_m_probability"] = True
    return comparison


def comparisons() -> list[dict[str, Any]]:
    return [
        forename_comparison(),
        surname_comparison(),
        dob_comparison(),
        address_comparison(),
        exact_comparison("phone", "Phone number (E.164)", 0.6, 0.0002, tf=True),
        exact_comparison("nominal_id", "Nominal (person) reference", 0.95, 0.00005, tf=False),
        episode_time_comparison(),
        care_setting_comparison(),
        case_comparison(),
    ]


def on_pair(level_sql: str) -> str:
    """A level's SQL ("x_l", "x_r") rewritten for a blocking rule (l."x", r."x")."""
    return re.sub(r'"(\w+)_([lr])"', r'\2."\1"', level_sql)


# Each rule is an equi-join: DuckDB hashes it, and the comparisons it makes are bounded by
# the size of its largest blocks. Rules on common values are capped (`blocking.py`): a
# block larger than the cap is compared only on a refinement. Figures: in the module
# docstring and in docs/resolution.md.
_PLACES = ("care_setting", "postcode_area")
_TIMES = ("event_period", "event_period_shifted")
_BIRTH = ("birth_period", "birth_period_shifted")
CAPPED_RULES: tuple[CappedRule, ...] = (
    CappedRule("full_name", ("forename_key", "surname_key"), (*_BIRTH, *_PLACES, *_TIMES)),
    CappedRule("dob", ("dob_iso",), ("forename_initial", "surname_initial", "postcode_area")),
    # rules on one name and a year find what the full name missed (a forename or surname
    # re-keyed): a smaller cap
    CappedRule(
        "surname_year", ("surname", "birth_year"), ("forename_initial", *_PLACES), cap=SECONDARY_CAP
    ),
    CappedRule(
        "forename_year",
        ("forename1", "birth_year"),
        ("surname_initial", *_PLACES),
        cap=SECONDARY_CAP,
    ),
    # a child missing from one home again and again, names slipping and no date of birth:
    # in a large home, the same home within a year or so (two overlapping two-year periods)
    CappedRule(
        "forename_care",
        ("forename_key", "care_setting"),
        ("surname_initial", "birth_year", "event_period", "event_period_shifted"),
    ),
    CappedRule(
        "surname_care",
        ("surname_key", "care_setting"),
        ("forename_initial", "birth_year", "event_period", "event_period_shifted"),
    ),
    # where a name and a date were both re-keyed, the place still holds them together
    CappedRule(
        "forename_postcode", ("forename_key", "postcode"), ("birth_year", "surname_initial")
    ),
    CappedRule("surname_postcode", ("surname_key", "postcode"), ("birth_year", "forename_initial")),
    CappedRule(
        "address_forename", ("address", "forename_initial"), ("birth_year", "surname_initial")
    ),
    CappedRule(
        "address_surname", ("address", "surname_initial"), ("birth_year", "forename_initial")
    ),
    # same surname and initial, scored only when the forenames are related at all (an
    # initial, a nickname, a typo): last, because every later rule would evaluate its
    # filter again to leave out the pairs it made
    CappedRule(
        "surname_initial",
        ("surname", "forename_initial"),
        ("birth_year", *_PLACES, *_TIMES),
        condition=on_pair(FORENAME_RELATED),
        cap=SECONDARY_CAP,
    ),
)
_UNCAPPED_RULES: tuple[str, ...] = (
    # forename and surname swapped: two different keys, small blocks
    'l."forename_key" = r."surname_key" AND l."surname_key" = r."forename_key"',
    'l."nominal_id" = r."nominal_id"',
    'l."phone" = r."phone" AND l."forename_key" = r."forename_key"',
    # the people of one case in one role: a handful of pairs per case (82,290 at 50,000
    # cases), and where a person entered twice is found whatever the size of the name block
    'l."case_id" = r."case_id" AND l."role" = r."role"',
)
BLOCKING_RULES: tuple[str, ...] = (
    *(rule for capped in CAPPED_RULES[:-1] for rule in capped.rules()),
    *_UNCAPPED_RULES,
    *CAPPED_RULES[-1].rules(),
)

# EM runs once per rule; each rule leaves the comparisons it blocks on untrained, so the
# two rules between them train every comparison.
TRAINING_RULES: tuple[str, ...] = (
    'l."dob_iso" = r."dob_iso"',
    'l."forename_key" = r."forename_key" AND l."surname_key" = r."surname_key"',
)

# Rules that admit almost no false positives, for a first estimate of how often two random
# records match (lambda); DETERMINISTIC_RECALL is the share of true pairs they are assumed
# to find. The estimate only starts `training.calibrate_lambda`.
DETERMINISTIC_RULES: tuple[str, ...] = (
    'l."forename1" = r."forename1" AND l."surname" = r."surname" AND l."dob_iso" = r."dob_iso"',
    'l."nominal_id" = r."nominal_id"',
)
DETERMINISTIC_RECALL = 0.6
PRIOR_PROBABILITY_TWO_RANDOM_RECORDS_MATCH = 0.0005


def without_term_frequencies(model: dict[str, Any]) -> dict[str, Any]:
    """The model with term-frequency adjustments off.

    Used with the prior parameters on small inputs: value frequencies counted over a few
    dozen records are noise (every value is at least 1 in 30 there), and they would
    swamp the prior u probabilities.
    """
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    return model


def settings(*, probability_two_random_records_match: float | None = None) -> dict[str, Any]:
    """The full model with prior parameters, ready to train or to use as it is."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": UNIQUE_ID,
        "probability_two_random_records_match": (
            probability_two_random_records_match or PRIOR_PROBABILITY_TWO_RANDOM_RECORDS_MATCH
        ),
        "comparisons": comparisons(),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule in BLOCKING_RULES
        ],
        # the comparison levels (gamma_*) and weights (mw_*) of each pair are kept in
        # resolve_pairs: the identity gate reads the levels, reviewers the weights
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
        "max_iterations": 20,
    }


# The baseline: a plain configuration with none of the police-record features (no
# nicknames, aliases, transliterations, partial dates, hub guard), for the benchmark.
BASELINE_BLOCKING_RULES: tuple[str, ...] = (
    'l."forenames_raw" = r."forenames_raw" AND l."surname_raw" = r."surname_raw"',
    'l."dob_raw" = r."dob_raw"',
    'l."surname_raw" = r."surname_raw" AND l."postcode" = r."postcode"',
    'l."phone" = r."phone"',
)
BASELINE_TRAINING_RULES: tuple[str, ...] = (
    'l."dob_raw" = r."dob_raw"',
    'l."forenames_raw" = r."forenames_raw" AND l."surname_raw" = r."surname_raw"',
)
BASELINE_DETERMINISTIC_RULES: tuple[str, ...] = (
    'l."forenames_raw" = r."forenames_raw" AND l."surname_raw" = r."surname_raw"'
    ' AND l."dob_raw" = r."dob_raw"',
)


def _jw_comparison(name: str, description: str) -> dict[str, Any]:
    return _comparison(
        name,
        description,
        _null(name),
        [
            _level(f'"{name}_l" = "{name}_r"', "exact", 0.75, 0.01),
            _level(f'jaro_winkler_similarity("{name}_l", "{name}_r") >= 0.92', "JW >= 0.92",
                   0.1, 0.005),
            _level(f'jaro_winkler_similarity("{name}_l", "{name}_r") >= 0.8', "JW >= 0.8",
                   0.05, 0.03),
        ],
    )  # fmt: skip


def baseline_settings() -> dict[str, Any]:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": UNIQUE_ID,
        "probability_two_random_records_match": PRIOR_PROBABILITY_TWO_RANDOM_RECORDS_MATCH,
        "comparisons": [
            _jw_comparison("forenames_raw", "Forenames"),
            _jw_comparison("surname_raw", "Surname"),
            exact_comparison("dob_raw", "Date of birth as recorded", 0.8, 0.0005, tf=False),
            exact_comparison("postcode", "Postcode", 0.45, 0.0005, tf=False),
            exact_comparison("phone", "Phone", 0.6, 0.0002, tf=False),
        ],
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule in BASELINE_BLOCKING_RULES
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
    }
