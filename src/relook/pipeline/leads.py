"""Lines of enquiry (`leads`): what the review exists to find.

Reads `text_mentions` (from the extract stage) and the structured tables, and writes one
row per case and thing (an identifier, a person, a network), with every place it was
found as its evidence. Everything is SQL in the engine; no row passes through Python.

Specificity first: for every identifier, name and alias written in free text, how many
cases carry it (recorded or written) and how many resolved people bear it. One that is
too common (`LeadRules.common`) links nothing on its own: a street alias that a hundred
people use, a children's home's phone. It is reported once per case, as
`common_identifier`, and counts towards a person only beside a second identifier of
that person in the same case.

Lead kinds:
- `corroboration`: an identifier written in the case's free text (or in a missing-episode
  record of its victim) that equals one the case recorded for a suspect: the victim's
  phone shows the suspect's recorded number, the suspect's car is in the victim's
  missing-episode record. Dropped when the words around it say it was followed up.
- `text_identifier`: a registration mark, phone, postcode, name or place written in the
  case's free text (or a missing episode of its victim) that its records never captured.
- `identifier_elsewhere`: a suspect, suspect phone or vehicle of this case written in the
  free text of another case or of another child's missing episode.
- `episode_names_network`: children's missing-episode records that name members of the
  case's network (one lead per case).
- `suspect_later_cases`, `missing_after_closure`: from the structured records.
- `common_identifier`: the one summary of what was too common to link.

Each lead has a `strength` (0-100) from its kind, the kind of identifier, how many
records carry it, whether another case records it, and the words around it ("not
attributed", "no PNC check" raise it); `reasons` shows the sum. `rank` orders a case's
leads, strongest first. `lead_id` is derived from (case, kind, value), so it is stable
across re-runs. `evidence` is in words ("note of 2012-07-15 by the investigating officer:
“AB12 CDE”"); `evidence_ids` gives the same items as `notes N0000123 text[34:42]`, and
the first one's source and span are in their own columns for highlighting.
"""

from __future__ import annotations

import duckdb

from relook.engine.dialect import distinct_joined
from relook.engine.duckdb_engine import sql_literal
from relook.engine.sql import count
from relook.pipeline.probable_episodes import (
    POSSIBLE_TABLE,
    PROBABLE_TABLE,
    possible_episode_cases_sql,
    probable_episode_cases,
)
from relook.rules.leads import LeadRules, load_lead_rules

# Every free text, with the words a reviewer uses for it.
_SOURCES_SQL = """
SELECT 'notes' AS source_table, note_id AS source_id, 'text' AS source_field, text,
    'note of ' || coalesce(strftime(recorded_on, '%Y-%m-%d'), 'unknown date')
        || coalesce(' by the ' || replace(nullif(trim(author_role), ''), '_', ' '), '')
        AS described
FROM notes WHERE text IS NOT NULL
UNION ALL
SELECT 'cases', case_id, 'summary', summary, 'case summary' FROM cases WHERE summary IS NOT NULL
UNION ALL
SELECT 'missing_episodes', episode_id, 'found_with', found_with,
    'missing-episode record of ' || coalesce(strftime(missing_from, '%Y-%m-%d'), 'unknown date')
        || ' (found with)'
FROM missing_episodes WHERE found_with IS NOT NULL
UNION ALL
SELECT 'missing_episodes', episode_id, 'found_location', found_location,
    'missing-episode record of ' || coalesce(strftime(missing_from, '%Y-%m-%d'), 'unknown date')
        || ' (where found)'
FROM missing_episodes WHERE found_location IS NOT NULL
"""

# Every mention with its source's description, the term it was written as (names folded,
# other kinds canonical) and the words around it (the sentence and the next, roughly).
_MENTIONS_SQL = """
SELECT m.*, s.described,
    CASE WHEN m.kind = 'name'
         THEN trim(regexp_replace(lower(strip_accents(m.written)), '[^a-z0-9]+', ' ', 'g'))
         ELSE m.value END AS term,
    lower(substr(s.text, greatest(1, m.span_start + 1 - 60), m.span_end - m.span_start + 160))
        AS context
FROM text_mentions m JOIN _sources s USING (source_table, source_id, source_field)
"""

# Every value the case's own structured records hold, by kind.
_CASE_VALUES_SQL = """
SELECT p.case_id, 'phone' AS kind, p.phone_e164 AS value FROM people p
      WHERE p.phone_e164 IS NOT NULL
UNION SELECT p.case_id, 'postcode', p.postcode_norm FROM people p
      WHERE p.postcode_norm IS NOT NULL
UNION SELECT l.case_id, 'postcode', l.postcode_norm FROM locations l
      WHERE l.postcode_norm IS NOT NULL
UNION SELECT v.case_id, 'vrm', v.vrm_canonical FROM vehicles v WHERE v.vrm_canonical IS NOT NULL
UNION SELECT p.case_id, 'name', r.person_id FROM people p
      JOIN persons r ON r.record_id = p.mention_id
UNION SELECT p.case_id, 'name', 'written:' || p.forenames_folded || ' ' || p.surname_folded
      FROM people p WHERE p.forenames_folded IS NOT NULL AND p.surname_folded IS NOT NULL
UNION SELECT l.case_id, 'place', l.name_folded FROM locations l WHERE l.name_folded IS NOT NULL
UNION SELECT l.case_id, 'place', 'written:' || l.name_folded FROM locations l
      WHERE l.name_folded IS NOT NULL
UNION SELECT p.case_id, 'place', p.care_setting_folded FROM people p
      WHERE p.care_setting_folded IS NOT NULL
UNION SELECT p.case_id, 'place', 'written:' || p.care_setting_folded FROM people p
      WHERE p.care_setting_folded IS NOT NULL
"""

# Offender-side values of each case: what ties a case (and its network) to other records.
# A vehicle tied to a victim's record is the victim's, not the offender's.
_OFFENDER_VALUES_SQL = """
SELECT p.case_id, 'name' AS kind, r.person_id AS value
FROM people p JOIN persons r ON r.record_id = p.mention_id WHERE p.role = 'suspect'
UNION SELECT p.case_id, 'phone', p.phone_e164 FROM people p
      WHERE p.role = 'suspect' AND p.phone_e164 IS NOT NULL
UNION SELECT v.case_id, 'vrm', v.vrm_canonical FROM vehicles v
      LEFT JOIN people o ON o.mention_id = v.mention_id
      WHERE v.vrm_canonical IS NOT NULL AND v.vrm_format <> 'invalid'
        AND o.role IS DISTINCT FROM 'victim'
"""

# The phones, postcodes and vehicles recorded for each resolved person, and the person
# itself as a name. A phone or vehicle is a second identifier that makes a common alias
# count; a postcode is not (households and children's homes share one).
_PERSON_VALUES_SQL = """
SELECT r.person_id, 'phone' AS kind, p.phone_e164 AS value
FROM people p JOIN persons r ON r.record_id = p.mention_id WHERE p.phone_e164 IS NOT NULL
UNION SELECT r.person_id, 'postcode', p.postcode_norm
FROM people p JOIN persons r ON r.record_id = p.mention_id WHERE p.postcode_norm IS NOT NULL
UNION SELECT r.person_id, 'vrm', v.vrm_canonical
FROM vehicles v JOIN persons r ON r.record_id = v.mention_id WHERE v.vrm_canonical IS NOT NULL
UNION SELECT DISTINCT person_id, 'name', person_id FROM persons
"""

# How a person is named in words: their role and name as first recorded (suspect records
# first), and up to three of their cases. Victims are not named: "a victim in C000123".
_PERSON_LABELS_SQL = """
WITH records AS (
    SELECT r.person_id, p.case_id, p.role, p.mention_id,
        trim(coalesce(p.forenames, '') || ' ' || coalesce(p.surname, '')) AS name
    FROM people p JOIN persons r ON r.record_id = p.mention_id
)
SELECT person_id,
    first(nullif(name, '') ORDER BY role <> 'suspect', mention_id) AS name,
    CASE WHEN bool_or(role = 'suspect') THEN
        'suspect ' || first(nullif(name, '') ORDER BY role <> 'suspect', mention_id)
        ELSE 'a ' || first(role ORDER BY mention_id) END
    || ' in ' || array_to_string(list_slice(list(DISTINCT case_id ORDER BY case_id), 1, 3), ', ')
    || CASE WHEN count(DISTINCT case_id) > 3
            THEN ' and ' || (count(DISTINCT case_id) - 3) || ' more' ELSE '' END AS label
FROM records GROUP BY person_id
"""

# Text mentions tied to cases: a note or summary to its case; a missing episode to every
# case in which its child (the resolved person) is a victim.
_MENTIONS_BY_CASE_SQL = """
SELECT m.*, m.case_id AS lead_case, NULL::VARCHAR AS link
FROM _mentions m WHERE m.case_id IS NOT NULL
UNION ALL
SELECT DISTINCT m.*, v.case_id, NULL FROM _mentions m
JOIN persons e ON e.record_id = m.source_id AND m.source_table = 'missing_episodes'
JOIN persons vp ON vp.person_id = e.person_id AND vp.record_kind = 'mention'
JOIN people v ON v.mention_id = vp.record_id AND v.role = 'victim'
UNION ALL
SELECT m.* REPLACE (m.described || ', probably of this case''s victim (' || p.link || ')'
                    AS described), p.case_id, p.link
FROM _mentions m JOIN _possible_episode_cases p
    ON p.episode_id = m.source_id AND m.source_table = 'missing_episodes'
"""

# Specificity, per kind and term: the cases that record or write it, the people who bear
# it (names: every resolved person the term can stand for), the episodes that write it.
_SPECIFICITY_SQL = """
WITH term_values AS (SELECT DISTINCT kind, term, value FROM _mentions),
cases_ AS (
    SELECT kind, term, lead_case AS case_id FROM _mentions_by_case
    UNION SELECT t.kind, t.term, c.case_id FROM term_values t
    JOIN _case_values c ON c.kind = t.kind AND c.value = t.value
)
SELECT t.kind, t.term,
    (SELECT count(DISTINCT c.case_id) FROM cases_ c WHERE c.kind = t.kind AND c.term = t.term)
        AS n_cases,
    count(DISTINCT t.value) FILTER (WHERE t.kind = 'name' AND t.value NOT LIKE 'written:%')
        AS n_persons,
    (SELECT count(DISTINCT m.source_id) FROM _mentions m
     WHERE m.kind = t.kind AND m.term = t.term AND m.source_table = 'missing_episodes')
        AS n_episodes
FROM term_values t GROUP BY t.kind, t.term
"""

# A span that names someone or somewhere the case does hold is accounted for, whichever
# other people share that name: "Blue was arrested" on the case of the suspect called Blue
# is not a lead for every other suspect nicknamed Blue. A name counts as the case's when it
# is a known name of one of the case's people, is close to one (a typo: Jaro-Winkler at
# least 0.9), is an initial and surname of one ("W Cooper"), or has a surname close to a
# recorded one and the same initial, either way round: "Layla Henry" for Leila Henry,
# "Obinna Hussain" for Obi Hussein, "Noor Hoxha" for forenames Hoxha and surname Noor.
_CASE_WRITTEN_NAMES_SQL = """
WITH case_people AS (
    SELECT DISTINCT p.case_id, r.person_id
    FROM people p JOIN persons r ON r.record_id = p.mention_id
),
known AS (
    SELECT r.person_id, o.forenames_folded AS forenames, o.surname_folded AS surname,
           o.aliases_folded AS aliases
    FROM persons r JOIN people o ON o.mention_id = r.record_id
)
SELECT DISTINCT cp.case_id, k.forenames, k.surname,
       k.forenames || ' ' || k.surname AS full_name, k.aliases,
       split_part(k.forenames, ' ', 1) AS first
FROM case_people cp JOIN known k USING (person_id)
"""

_ACCOUNTED_SPANS_SQL = """
SELECT DISTINCT m.lead_case, m.source_table, m.source_id, m.source_field, m.span_start
FROM _mentions_by_case m
WHERE m.kind IN ('name', 'place') AND (
    EXISTS (SELECT 1 FROM _case_values c
            WHERE c.case_id = m.lead_case AND c.kind = m.kind AND c.value = m.value)
    OR (m.kind = 'name' AND EXISTS (
        SELECT 1 FROM _case_written_names w
        WHERE w.case_id = m.lead_case AND (
            jaro_winkler_similarity(w.full_name, m.term) >= 0.9
            OR jaro_winkler_similarity(w.first || ' ' || w.surname, m.term) >= 0.9
            OR list_contains(coalesce(w.aliases, []), m.term)
            OR m.term = w.forenames
            OR (m.term = left(w.forenames, 1) || ' ' || w.surname)
            -- a surname close to the recorded one and the same initial, either way round
            OR (jaro_winkler_similarity(string_split(m.term, ' ')[-1], w.surname) >= 0.9
                AND left(string_split(m.term, ' ')[1], 1) = left(w.first, 1))
            OR (jaro_winkler_similarity(string_split(m.term, ' ')[1], w.surname) >= 0.9
                AND left(string_split(m.term, ' ')[-1], 1) = left(w.first, 1))))))
"""

# One row per span written in a case's text that the case did not record: the people (or
# the value) it can stand for, and whether its term is too common to link. (The rows of
# one span agree on everything but the value; max() keeps the output the same run to run.)
_OPEN_SPANS_SQL = """
SELECT m.lead_case, m.source_table, m.source_id, m.source_field, m.span_start,
    max(m.span_end) AS span_end, m.kind, max(m.written) AS written,
    max(m.term) AS term, max(m.described) AS described,
    max(m.context) AS context, list(DISTINCT m.value ORDER BY m.value) AS targets,
    bool_or(s.common) AS common, bool_and(s.linkable) AS linkable, max(s.n_cases) AS n_cases,
    max(s.n_persons) AS n_persons
FROM _mentions_by_case m JOIN _specificity s USING (kind, term)
WHERE NOT EXISTS (SELECT 1 FROM _case_values c
                  WHERE c.case_id = m.lead_case AND c.kind = m.kind AND c.value = m.value)
  AND NOT EXISTS (SELECT 1 FROM _accounted_spans a
                  WHERE a.lead_case = m.lead_case AND a.source_table = m.source_table
                    AND a.source_id = m.source_id AND a.source_field = m.source_field
                    AND a.span_start = m.span_start)
GROUP BY m.lead_case, m.source_table, m.source_id, m.source_field, m.span_start, m.kind
"""

# Every span anywhere (not tied to a case), for leads on the case whose value it names.
_ALL_SPANS_SQL = """
SELECT m.case_id, m.source_table, m.source_id, m.source_field, m.span_start,
    max(m.span_end) AS span_end, m.kind, max(m.written) AS written,
    max(m.term) AS term, max(m.described) AS described,
    max(m.context) AS context, list(DISTINCT m.value ORDER BY m.value) AS targets,
    bool_or(s.common) AS common, bool_and(s.linkable) AS linkable, max(s.n_cases) AS n_cases,
    max(s.n_persons) AS n_persons
FROM _mentions m JOIN _specificity s USING (kind, term)
GROUP BY m.case_id, m.source_table, m.source_id, m.source_field, m.span_start, m.kind
"""

_KIND_WORDS = (
    "CASE {k} WHEN 'vrm' THEN 'registration mark' WHEN 'phone' THEN 'phone'"
    " WHEN 'postcode' THEN 'postcode' WHEN 'name' THEN 'name' ELSE 'place' END"
)


def _kind_words(column: str) -> str:
    return _KIND_WORDS.format(k=column)


def _evidence(alias: str, prefix: str = "") -> tuple[str, str]:
    """(evidence in words, evidence as ids) of one span."""
    words = f"{prefix}{alias}.described || ': “' || {alias}.written || '”'"
    ids = (
        f"{alias}.source_table || ' ' || {alias}.source_id || ' ' || {alias}.source_field"
        f" || '[' || {alias}.span_start || ':' || {alias}.span_end || ']'"
    )
    return words, ids


def _ordering(alias: str) -> str:
    return f"{alias}.source_table || {alias}.source_id || lpad({alias}.span_start::VARCHAR, 8, '0')"


def _span_columns(alias: str) -> str:
    return (
        f"{alias}.source_table, {alias}.source_id, {alias}.source_field, {alias}.span_start,"
        f" {alias}.span_end"
    )


_LEAD_ROWS = """CREATE OR REPLACE TEMP TABLE _lead_rows (
    case_id VARCHAR, kind VARCHAR, value VARCHAR, headline VARCHAR, evidence VARCHAR,
    evidence_id VARCHAR, source_table VARCHAR, source_id VARCHAR, source_field VARCHAR,
    span_start INTEGER, span_end INTEGER, ordering VARCHAR, id_kind VARCHAR,
    context VARCHAR, recorded_elsewhere BOOLEAN)"""


def _create_candidates(con: duckdb.DuckDBPyConnection, rules: LeadRules) -> None:
    limits = rules.common
    # `linkable`: specific enough to tie one case to another's person or value.
    # `common`: too common to be a lead of its own; a full name is graded by what is
    # written (see leads.yaml), every other value by the same limits as linking.
    unlinkable = f"n_cases > {int(limits.max_cases)} OR n_persons > {int(limits.max_persons)}"
    full_name_cases = (
        f"greatest({int(limits.max_cases)},"
        f" {float(limits.full_name_case_share)} * (SELECT count(*) FROM cases))"
    )
    graded = (
        f"NOT ({unlinkable}) AS linkable, CASE WHEN kind = 'name' AND contains(term, ' ')"
        f" THEN n_cases > {full_name_cases} ELSE {unlinkable} END AS common"
    )
    steps = (
        ("_sources", _SOURCES_SQL),
        ("_mentions", _MENTIONS_SQL),
        ("_case_values", _CASE_VALUES_SQL),
        ("_offender_values", _OFFENDER_VALUES_SQL),
        ("_person_values", _PERSON_VALUES_SQL),
        ("_person_labels", _PERSON_LABELS_SQL),
        (POSSIBLE_TABLE, possible_episode_cases_sql(con, rules.episodes)),
        ("_mentions_by_case", _MENTIONS_BY_CASE_SQL),
        ("_specificity", f"SELECT *, {graded} FROM ({_SPECIFICITY_SQL})"),
        ("_case_written_names", _CASE_WRITTEN_NAMES_SQL),
        ("_accounted_spans", _ACCOUNTED_SPANS_SQL),
        ("_open_spans", _OPEN_SPANS_SQL),
        ("_all_spans", _ALL_SPANS_SQL),
        (
            "_open_span_values",
            "SELECT s.*, t.value FROM _open_spans s, unnest(s.targets) AS t(value)",
        ),
        (
            "_all_span_values",
            "SELECT s.*, t.value FROM _all_spans s, unnest(s.targets) AS t(value)",
        ),
    )
    for name, sql in steps:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
    con.execute(_LEAD_ROWS)


# Per set of values a span can stand for: who they are in words ("suspect Dean Smith in
# C000027") and the cases that record any of them. Computed once per distinct set.
_TARGET_INFO_SQL = """
WITH sets AS (SELECT DISTINCT kind, {column} AS targets FROM {table}),
u AS (SELECT kind, targets, unnest(targets) AS value FROM sets)
SELECT u.kind, u.targets,
    CASE WHEN u.kind <> 'name' THEN NULL
         WHEN count(DISTINCT pl.person_id) = 0 THEN 'a name recorded nowhere'
         WHEN count(DISTINCT pl.person_id) <= 3
         THEN string_agg(DISTINCT pl.label, '; ' ORDER BY pl.label)
         -- a name many people share: say how many, and name a few
         ELSE 'one of ' || count(DISTINCT pl.person_id) || ' people of that name: '
              || array_to_string(list_slice(list(DISTINCT pl.label ORDER BY pl.label), 1, 3), '; ')
              || ' and others' END AS words,
    coalesce(list(DISTINCT c.case_id ORDER BY c.case_id) FILTER (WHERE c.case_id IS NOT NULL), [])
        AS recorded_cases
FROM u LEFT JOIN _person_labels pl ON u.kind = 'name' AND pl.person_id = u.value
LEFT JOIN _case_values c ON c.kind = u.kind AND c.value = u.value
GROUP BY u.kind, u.targets
"""


def _target_info(con: duckdb.DuckDBPyConnection, name: str, table: str, column: str) -> None:
    sql = _TARGET_INFO_SQL.format(table=table, column=column)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")


def _text_identifier_leads(con: duckdb.DuckDBPyConnection) -> None:
    """Specific spans, and common names that a second identifier of the same person in
    the same case makes count; keyed by what they stand for, so one lead per thing."""
    words, ids = _evidence("s")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _promoted AS
        SELECT s.lead_case, s.source_table, s.source_id, s.source_field, s.span_start,
            list(DISTINCT pv.person_id ORDER BY pv.person_id) AS persons,
            min(o.kind || ' ' || o.written) AS second
        FROM _open_span_values s JOIN _person_values pv ON pv.person_id = s.value
        JOIN _open_span_values o ON o.lead_case = s.lead_case AND NOT o.common
            AND o.kind = pv.kind AND o.value = pv.value
            AND NOT (o.source_id = s.source_id AND o.span_start = s.span_start)
        WHERE s.common AND s.kind = 'name' AND pv.kind IN ('phone', 'vrm')
        GROUP BY ALL"""
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _keyed AS
        SELECT s.*, coalesce(p.persons, s.targets) AS stands_for, p.second
        FROM _open_spans s LEFT JOIN _promoted p USING (lead_case, source_table, source_id,
                                                     source_field, span_start)
        WHERE NOT s.common OR p.persons IS NOT NULL"""
    )
    _target_info(con, "_keyed_info", "_keyed", "stands_for")
    con.execute(
        f"""INSERT INTO _lead_rows
        WITH keyed AS (
            SELECT s.*, ti.words,
                list_filter(ti.recorded_cases, lambda c: c <> s.lead_case) AS elsewhere
            FROM _keyed s LEFT JOIN _keyed_info ti
                ON ti.kind = s.kind AND ti.targets = s.stands_for
        )
        SELECT s.lead_case, 'text_identifier',
            s.kind || '=' || array_to_string(s.stands_for, ','),
            {_kind_words("s.kind")} || ' “' || s.written || '” is written in this case''s records'
                || ' but not recorded on it'
                || coalesce('; ' || s.words, '')
                || CASE WHEN s.kind <> 'name' AND len(s.elsewhere) > 0
                        THEN '; recorded on '
                             || array_to_string(list_slice(s.elsewhere, 1, 5), ', ')
                             || CASE WHEN len(s.elsewhere) > 5
                                     THEN ' and ' || (len(s.elsewhere) - 5) || ' more' ELSE '' END
                        ELSE '' END
                || coalesce('; counted with the same person''s ' || s.second, ''),
            {words}, {ids}, {_span_columns("s")}, {_ordering("s")}, s.kind, s.context,
            len(s.elsewhere) > 0
        FROM keyed s"""
    )


def _identifier_elsewhere_leads(con: duckdb.DuckDBPyConnection) -> None:
    """A suspect, suspect phone or vehicle of case C written in another case's text (which
    does not record it) or in another child's missing episode: one lead per C and value."""
    words, ids = _evidence(
        "s", "CASE WHEN s.case_id IS NULL THEN '' ELSE s.case_id || ', ' END || "
    )
    con.execute(
        f"""INSERT INTO _lead_rows
        SELECT o.case_id, 'identifier_elsewhere', o.kind || '=' || o.value,
            'this case''s ' || CASE o.kind WHEN 'name' THEN 'suspect ' || coalesce(pl.name, '')
                                 ELSE {_kind_words("o.kind")} || ' ' || o.value END
                || ' is written in the records of other cases or missing episodes',
            {words}, {ids}, {_span_columns("s")}, {_ordering("s")}, o.kind, s.context, FALSE
        FROM _all_span_values s JOIN _offender_values o
            ON o.kind = s.kind AND o.value = s.value
        LEFT JOIN _person_labels pl ON o.kind = 'name' AND pl.person_id = o.value
        WHERE s.linkable AND s.case_id IS DISTINCT FROM o.case_id
          AND NOT EXISTS (SELECT 1 FROM _case_values c
                          WHERE c.case_id = s.case_id AND c.kind = o.kind AND c.value = o.value)
          AND NOT EXISTS (SELECT 1 FROM _accounted_spans a
                          WHERE a.lead_case = s.case_id AND a.source_table = s.source_table
                            AND a.source_id = s.source_id AND a.span_start = s.span_start)
          AND NOT EXISTS (SELECT 1 FROM _mentions_by_case b
                          WHERE b.lead_case = o.case_id AND b.source_table = s.source_table
                            AND b.source_id = s.source_id AND s.case_id IS NULL)"""
    )


def _corroboration_leads(con: duckdb.DuckDBPyConnection, rules: LeadRules) -> None:
    """A suspect's recorded phone or vehicle written in the case's own text, or the
    suspect (by name too) in a missing-episode record of the case's victim, where the
    words around it do not say it was followed up."""
    followed_up = [r.pattern for r in rules.context if r.points < 0]
    left_open = [r.pattern for r in rules.context if r.points > 0]
    closed = (
        f"(regexp_matches(m.context, {sql_literal('|'.join(followed_up))})"
        f" AND NOT regexp_matches(m.context, {sql_literal('|'.join(left_open))}))"
        if followed_up and left_open
        else "FALSE"
    )
    words, ids = _evidence("m")
    probable_episode_cases(con, rules.episodes)
    con.execute(
        f"""INSERT INTO _lead_rows
        WITH tied AS (
            SELECT * FROM _mentions_by_case
            UNION ALL BY NAME
            SELECT m.* REPLACE (m.described || ', probably of this case''s victim ('
                                || p.link || ')' AS described),
                p.case_id AS lead_case, p.link
            FROM _mentions m
            JOIN {PROBABLE_TABLE} p ON p.episode_id = m.source_id
            WHERE m.source_table = 'missing_episodes'
        )
        SELECT m.lead_case, 'corroboration', o.kind || '=' || o.value,
            CASE WHEN m.link IS NOT NULL
                 THEN 'a missing-episode record probably of this case''s victim ('
                      || m.link || ') names '
                 WHEN m.source_table = 'missing_episodes'
                 THEN 'a missing-episode record of this case''s victim names '
                 ELSE 'this case''s records write ' END
                || CASE o.kind WHEN 'name' THEN coalesce(pl.label, 'a suspect of this case')
                     ELSE 'the ' || {_kind_words("o.kind")} || ' recorded for a suspect of this'
                          || ' case (“' || m.written || '”)' END
                || ': corroboration nobody connected; attribute it and act on it',
            {words}, {ids}, {_span_columns("m")}, {_ordering("m")}, o.kind, m.context, FALSE
        FROM tied m JOIN _offender_values o
            ON o.case_id = m.lead_case AND o.kind = m.kind AND o.value = m.value
        JOIN _specificity s ON s.kind = m.kind AND s.term = m.term
        LEFT JOIN _person_labels pl ON o.kind = 'name' AND pl.person_id = o.value
        WHERE NOT s.common AND NOT {closed}
          AND (m.kind IN ('phone', 'vrm') OR m.source_table = 'missing_episodes')"""
    )


def _episode_network_leads(con: duckdb.DuckDBPyConnection, rules: LeadRules) -> None:
    """Children's missing episodes found with a suspect, vehicle or phone of another case
    of this case's network: one lead per case, every such record its evidence. Not for a
    network larger than `common.max_network_cases` (its rows grow with the square of it)."""
    words, ids = _evidence("s")
    _target_info(con, "_all_info", "_all_spans", "targets")
    con.execute(
        f"""INSERT INTO _lead_rows
        WITH readable AS (
            SELECT network_id FROM networks GROUP BY network_id
            HAVING count(*) <= {int(rules.common.max_network_cases)}
        ),
        network_values AS (
            SELECT n.network_id, o.kind, o.value
            FROM _offender_values o JOIN networks n USING (case_id)
            WHERE n.network_id IN (SELECT network_id FROM readable)
        )
        SELECT n.case_id, 'episode_names_network', 'network=' || n.network_id,
            'missing-episode records of children name people, vehicles or phones of this'
                || ' case''s network ' || n.network_id,
            {words} || coalesce(' (' || ti.words || ')', ''), {ids},
            {_span_columns("s")}, {_ordering("s")}, s.kind, s.context, FALSE
        FROM _all_span_values s
        JOIN network_values nv ON nv.kind = s.kind AND nv.value = s.value
        JOIN networks n ON n.network_id = nv.network_id
        LEFT JOIN _all_info ti ON ti.kind = s.kind AND ti.targets = s.targets
        WHERE s.source_table = 'missing_episodes' AND s.source_field = 'found_with'
          AND s.linkable
          AND NOT EXISTS (SELECT 1 FROM _offender_values o WHERE o.case_id = n.case_id
                          AND o.kind = s.kind AND o.value = s.value)"""
    )


def _suspect_later_leads(con: duckdb.DuckDBPyConnection) -> None:
    later = (
        "l.case_id || ' (as ' || l.role || ', reported ' || strftime(l.reported_on, '%Y-%m-%d')"
        " || ')'"
    )
    con.execute(
        f"""INSERT INTO _lead_rows
        WITH appearances AS (
            SELECT DISTINCT r.person_id, p.case_id, p.role, c.reported_on
            FROM people p JOIN persons r ON r.record_id = p.mention_id
            JOIN cases c USING (case_id)
        ),
        pairs AS (
            SELECT DISTINCT s.case_id, s.person_id, l.case_id AS later_case, l.role,
                l.reported_on
            FROM appearances s JOIN appearances l
                ON l.person_id = s.person_id AND l.reported_on > s.reported_on
            WHERE s.role = 'suspect'
        ),
        counted AS (
            SELECT p.*, n.n FROM pairs p JOIN (
                SELECT case_id, person_id, count(DISTINCT later_case) AS n FROM pairs
                GROUP BY ALL) n USING (case_id, person_id)
        )
        SELECT l.case_id, 'suspect_later_cases', 'person=' || l.person_id,
            'suspect ' || coalesce(pl.name, 'of this case') || ' appears in ' || l.n
                || ' later case(s)',
            {later.replace("l.case_id", "l.later_case")}, 'cases ' || l.later_case, 'cases',
            l.later_case, NULL, NULL, NULL, l.later_case, NULL, NULL, FALSE
        FROM counted l LEFT JOIN _person_labels pl USING (person_id)"""
    )


def _missing_after_closure_leads(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """INSERT INTO _lead_rows
        SELECT v.case_id, 'missing_after_closure', 'person=' || vp.person_id,
            'a victim of this case went missing '
                || count(DISTINCT e.episode_id) OVER (PARTITION BY v.case_id, vp.person_id)
                || ' time(s) after the case closed on ' || strftime(c.outcome_on, '%Y-%m-%d'),
            'missing-episode record of ' || strftime(e.missing_from, '%Y-%m-%d'),
            'missing_episodes ' || e.episode_id, 'missing_episodes', e.episode_id, NULL, NULL,
            NULL, e.episode_id, NULL, NULL, FALSE
        FROM people v JOIN cases c USING (case_id)
        JOIN persons vp ON vp.record_id = v.mention_id
        JOIN persons ep ON ep.person_id = vp.person_id AND ep.record_kind = 'missing_episode'
        JOIN missing_episodes e ON e.episode_id = ep.record_id
        WHERE v.role = 'victim' AND c.outcome_on IS NOT NULL AND e.missing_from > c.outcome_on"""
    )


def _common_leads(con: duckdb.DuckDBPyConnection) -> None:
    """The one summary per case of what was too common to link: common spans in its own
    text that nothing promoted, and its suspects' common names written elsewhere."""
    words, ids = _evidence("s")
    label = (
        f"{_kind_words('s.kind')} || ' ‘' || upper(left(s.term, 1)) || substr(s.term, 2)"
        " || '’ (' || s.n_cases || ' cases'"
        " || CASE WHEN s.n_persons > 1 THEN ', ' || s.n_persons || ' people' ELSE '' END || ')'"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _common_rows AS
        SELECT s.lead_case AS case_id, {label} AS label, {words} AS evidence, {ids} AS evidence_id,
            {_span_columns("s")}, {_ordering("s")} AS ordering
        FROM _open_spans s
        WHERE s.common AND NOT EXISTS (
            SELECT 1 FROM _lead_rows r WHERE r.case_id = s.lead_case
              AND r.source_id = s.source_id AND r.span_start = s.span_start)
        UNION ALL
        SELECT DISTINCT o.case_id, {label}, 'recorded on this case; written in other records',
            NULL, NULL, NULL, NULL, NULL, NULL, '~'
        FROM _all_span_values s JOIN _offender_values o
            ON o.kind = s.kind AND o.value = s.value
        WHERE NOT s.linkable AND s.case_id IS DISTINCT FROM o.case_id"""
    )
    con.execute(
        f"""INSERT INTO _lead_rows
        SELECT case_id, 'common_identifier', 'common',
            'too common to link on their own: ' || {distinct_joined("label", "; ")},
            evidence, evidence_id, source_table, source_id, source_field, span_start, span_end,
            ordering, NULL, NULL, FALSE
        FROM _common_rows
        GROUP BY ALL"""
    )


def _strength_tables(con: duckdb.DuckDBPyConnection, rules: LeadRules) -> None:
    s = rules.strength
    con.execute("CREATE OR REPLACE TEMP TABLE _kind_points (kind VARCHAR, points INTEGER)")
    con.executemany("INSERT INTO _kind_points VALUES (?, ?)", sorted(s.kinds.items()))
    con.execute("CREATE OR REPLACE TEMP TABLE _id_points (id_kind VARCHAR, points INTEGER)")
    con.executemany("INSERT INTO _id_points VALUES (?, ?)", sorted(s.identifiers.items()))


def _create_leads(con: duckdb.DuckDBPyConnection, rules: LeadRules) -> None:
    s = rules.strength
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _grouped AS
        SELECT case_id, kind, value,
            first(headline ORDER BY ordering, evidence_id) AS detail,
            {distinct_joined("evidence", " | ")} AS evidence,
            {distinct_joined("evidence_id", " | ")} AS evidence_ids,
            count(DISTINCT coalesce(evidence_id, evidence)) AS n_evidence,
            first(source_table ORDER BY ordering, evidence_id) AS source_table,
            first(source_id ORDER BY ordering, evidence_id) AS source_id,
            first(source_field ORDER BY ordering, evidence_id) AS source_field,
            first(span_start ORDER BY ordering, evidence_id) AS span_start,
            first(span_end ORDER BY ordering, evidence_id) AS span_end,
            first(id_kind ORDER BY ordering) AS id_kind,
            bool_or(recorded_elsewhere) AS recorded_elsewhere
        FROM _lead_rows GROUP BY case_id, kind, value"""
    )
    # Context reasons: each matching rule counts once per lead, whatever its evidence.
    # One query per rule with its pattern as a constant: DuckDB compiles a constant pattern
    # once, but a pattern read from a column on every row.
    matched = (
        " UNION ALL ".join(
            f"SELECT context, {sql_literal(r.reason)} AS reason, {int(r.points)} AS points"
            f" FROM contexts WHERE regexp_matches(context, {sql_literal(r.pattern)})"
            for r in rules.context
        )
        or "SELECT NULL::VARCHAR AS context, NULL::VARCHAR AS reason, 0 AS points WHERE FALSE"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _context_hits AS
        WITH contexts AS (
            SELECT DISTINCT context FROM _lead_rows
            WHERE context IS NOT NULL AND kind <> 'common_identifier'
        ),
        matched AS ({matched})
        SELECT DISTINCT r.case_id, r.kind, r.value, m.reason, m.points
        FROM _lead_rows r JOIN matched m USING (context)
        WHERE r.kind <> 'common_identifier'"""
    )
    extra = f"least({int(s.max_extra_evidence)}, {int(s.per_extra_evidence)} * (g.n_evidence - 1))"
    elsewhere = f"CASE WHEN g.recorded_elsewhere THEN {int(s.recorded_elsewhere)} ELSE 0 END"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _scored AS
        WITH ctx AS (
            SELECT case_id, kind, value, sum(points) AS points,
                string_agg('“' || reason || '” ' || CASE WHEN points > 0 THEN '+' ELSE '' END
                           || points, '; ' ORDER BY points DESC, reason) AS reasons
            FROM _context_hits GROUP BY ALL
        )
        SELECT g.*,
            least(100, greatest(0, coalesce(k.points, 0) + coalesce(i.points, 0) + {extra}
                                   + {elsewhere} + coalesce(ctx.points, 0)))::INTEGER AS strength,
            concat_ws('; ', replace(g.kind, '_', ' ') || ' +' || coalesce(k.points, 0),
                CASE WHEN i.points <> 0 THEN g.id_kind || ' +' || i.points END,
                CASE WHEN {extra} > 0 THEN g.n_evidence || ' records +' || {extra} END,
                CASE WHEN g.recorded_elsewhere
                     THEN 'recorded on another case +' || {int(s.recorded_elsewhere)} END,
                ctx.reasons) AS reasons
        FROM _grouped g LEFT JOIN _kind_points k USING (kind)
        LEFT JOIN _id_points i USING (id_kind)
        LEFT JOIN ctx USING (case_id, kind, value)"""
    )
    con.execute(
        """CREATE OR REPLACE TABLE leads AS
        SELECT 'L' || substr(sha256(case_id || '|' || kind || '|' || value), 1, 12) AS lead_id,
            case_id, kind, strength,
            row_number() OVER (PARTITION BY case_id ORDER BY strength DESC, kind, value)::INTEGER
                AS rank,
            detail, reasons, evidence, value, n_evidence::INTEGER AS n_evidence, evidence_ids,
            source_table, source_id, source_field, span_start, span_end
        FROM _scored"""
    )
    # Whether the case page shows the lead itself or counts it among "N more" (not an
    # output column: the review reads it from the run's analysis tables).
    con.execute(
        f"""CREATE OR REPLACE TABLE leads AS
        SELECT *, rank <= {int(rules.page.shown)} AS on_page FROM leads ORDER BY case_id, rank"""
    )


_TEMPORARY = (
    "_sources", "_mentions", "_case_values", "_offender_values", "_person_values",
    "_person_labels", "_mentions_by_case", "_specificity", "_case_written_names",
    "_accounted_spans", "_open_spans", "_all_spans", "_open_span_values", "_all_span_values",
    "_keyed", "_keyed_info", "_all_info", "_promoted", "_common_rows", "_lead_rows",
    "_kind_points", "_id_points", "_grouped", "_context_hits", "_scored", PROBABLE_TABLE,
    POSSIBLE_TABLE,
)  # fmt: skip


def build_leads(con: duckdb.DuckDBPyConnection, rules: LeadRules | None = None) -> int:
    """Create `leads` (with the shipped lead rules unless given); returns their number."""
    rules = rules or load_lead_rules()
    _create_candidates(con, rules)
    _text_identifier_leads(con)
    _corroboration_leads(con, rules)
    _identifier_elsewhere_leads(con)
    _episode_network_leads(con, rules)
    _suspect_later_leads(con)
    _missing_after_closure_leads(con)
    _common_leads(con)
    _strength_tables(con, rules)
    _create_leads(con, rules)
    for table in _TEMPORARY:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return count(con, "SELECT count(*) FROM leads")
