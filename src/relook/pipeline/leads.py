"""Lines of enquiry (`leads`): what the review exists to find.

Reads `text_mentions` (from the extract stage) and the structured tables, and writes one
row per lead, merged so that the same thing found in several places is one lead with all
its evidence. Lead kinds:

- `text_identifier`: a registration mark, phone, postcode, name or place written in the
  case's free text (notes, summary) or in a missing-episode record of one of its victims,
  that the case's structured records never captured. `detail` says what else it links to.
- `identifier_elsewhere`: a vehicle, suspect phone or suspect of this case written in the
  free text of *another* case or of a missing episode: the other record ties back here.
- `episode_names_network`: a missing episode (any child's) whose `found_with` names a
  suspect, vehicle or phone of this case or of its network.
- `suspect_later_cases`: a suspect of the case appears in cases reported later, in any
  role.
- `missing_after_closure`: a victim of the case went missing after the case was closed.

`lead_id` is derived from (case, kind, value), so it is stable across re-runs. Evidence
items read `notes N0000123 text[34:42] "AB12 CDE"` and are `|`-separated; the first item's
source and span are also given in their own columns for highlighting.
"""

from __future__ import annotations

import duckdb

from relook.engine.dialect import distinct_joined
from relook.engine.sql import count

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
_OFFENDER_VALUES_SQL = """
SELECT p.case_id, 'name' AS kind, r.person_id AS value
FROM people p JOIN persons r ON r.record_id = p.mention_id WHERE p.role = 'suspect'
UNION SELECT p.case_id, 'phone', p.phone_e164 FROM people p
      WHERE p.role = 'suspect' AND p.phone_e164 IS NOT NULL
UNION SELECT v.case_id, 'vrm', v.vrm_canonical FROM vehicles v
      WHERE v.vrm_canonical IS NOT NULL AND v.vrm_format <> 'invalid'
"""

# Text mentions tied to cases: a note or summary to its case; a missing episode to every
# case in which its child (the resolved person) is a victim.
_MENTIONS_BY_CASE_SQL = """
SELECT m.*, m.case_id AS lead_case FROM text_mentions m WHERE m.case_id IS NOT NULL
UNION ALL
SELECT m.*, v.case_id FROM text_mentions m
JOIN persons e ON e.record_id = m.source_id AND m.source_table = 'missing_episodes'
JOIN persons vp ON vp.person_id = e.person_id AND vp.record_kind = 'mention'
JOIN people v ON v.mention_id = vp.record_id AND v.role = 'victim'
"""

# Names by which each case's people are known anywhere in the dataset (full names, surnames
# and aliases of every record of the same resolved person), folded like text mentions.
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
       k.forenames || ' ' || k.surname AS full_name, k.aliases
FROM case_people cp JOIN known k USING (person_id)
"""

# A span that names someone or somewhere the case does hold is accounted for, whichever
# other people share that name: "Blue was arrested" on the case of the suspect called Blue
# is not a lead for every other suspect nicknamed Blue. A name counts as the case's when it
# is a known name of one of the case's people, is close to one (a typo: Jaro-Winkler at
# least 0.9), or is an initial and surname of one ("W Cooper").
_ACCOUNTED_SPANS_SQL = """
WITH named AS (
    SELECT m.*, trim(regexp_replace(lower(strip_accents(m.written)), '[^a-z0-9]+', ' ', 'g'))
               AS folded
    FROM _mentions_by_case m WHERE m.kind IN ('name', 'place')
)
SELECT DISTINCT m.lead_case, m.source_table, m.source_id, m.source_field, m.span_start
FROM named m
WHERE EXISTS (SELECT 1 FROM _case_values c
              WHERE c.case_id = m.lead_case AND c.kind = m.kind AND c.value = m.value)
   OR (m.kind = 'name' AND EXISTS (
        SELECT 1 FROM _case_written_names w
        WHERE w.case_id = m.lead_case AND (
            jaro_winkler_similarity(w.full_name, m.folded) >= 0.9
            OR list_contains(coalesce(w.aliases, []), m.folded)
            OR m.folded = w.forenames
            OR (m.folded = left(w.forenames, 1) || ' ' || w.surname))))
"""

# A later case a suspect appears in: "C0002 (victim, 2019-03-01)".
_LATER_APPEARANCE = (
    "l.case_id || ' (' || l.role || ', ' || strftime(l.reported_on, '%Y-%m-%d') || ')'"
)

_EVIDENCE = (
    "m.source_table || ' ' || m.source_id || ' ' || m.source_field"
    " || '[' || m.span_start || ':' || m.span_end || '] \"' || m.written || '\"'"
)


def _create_candidates(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE _case_values AS {_CASE_VALUES_SQL}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _offender_values AS {_OFFENDER_VALUES_SQL}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _mentions_by_case AS {_MENTIONS_BY_CASE_SQL}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _case_written_names AS {_CASE_WRITTEN_NAMES_SQL}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _accounted_spans AS {_ACCOUNTED_SPANS_SQL}")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _network_values AS
        SELECT n.network_id, o.kind, o.value FROM _offender_values o
        JOIN networks n USING (case_id)"""
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _lead_rows (
            case_id VARCHAR, kind VARCHAR, value VARCHAR, detail VARCHAR, evidence VARCHAR,
            source_table VARCHAR, source_id VARCHAR, source_field VARCHAR,
            span_start INTEGER, span_end INTEGER, ordering VARCHAR)"""
    )


def _text_identifier_leads(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""INSERT INTO _lead_rows
        SELECT m.lead_case, 'text_identifier', m.kind || '=' || m.value,
            m.kind || ' ' || m.value || ' is written in the record but not recorded on this case'
                || coalesce('; recorded on ' || (
                    SELECT {distinct_joined("o.case_id", ",")}
                    FROM _case_values o
                    WHERE o.kind = m.kind AND o.value = m.value AND o.case_id <> m.lead_case), ''),
            {_EVIDENCE}, m.source_table, m.source_id, m.source_field, m.span_start, m.span_end,
            m.source_table || m.source_id || lpad(m.span_start::VARCHAR, 8, '0')
        FROM _mentions_by_case m
        WHERE NOT EXISTS (SELECT 1 FROM _case_values c
                          WHERE c.case_id = m.lead_case AND c.kind = m.kind AND c.value = m.value)
          AND NOT EXISTS (SELECT 1 FROM _accounted_spans a
                          WHERE a.lead_case = m.lead_case AND a.source_table = m.source_table
                            AND a.source_id = m.source_id AND a.source_field = m.source_field
                            AND a.span_start = m.span_start)
        """
    )


def _identifier_elsewhere_leads(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""INSERT INTO _lead_rows
        SELECT o.case_id, 'identifier_elsewhere',
            m.kind || '=' || m.value || '@' || coalesce(m.case_id, m.source_id),
            'this case''s ' || m.kind || ' ' || m.value || ' is written in '
                || CASE WHEN m.case_id IS NULL THEN 'missing episode ' || m.source_id
                        ELSE 'case ' || m.case_id END,
            {_EVIDENCE}, m.source_table, m.source_id, m.source_field, m.span_start, m.span_end,
            m.source_table || m.source_id || lpad(m.span_start::VARCHAR, 8, '0')
        FROM text_mentions m JOIN _offender_values o ON o.kind = m.kind AND o.value = m.value
        WHERE m.case_id IS DISTINCT FROM o.case_id
        """
    )


def _episode_network_leads(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""INSERT INTO _lead_rows
        SELECT c.case_id, 'episode_names_network', 'episode=' || m.source_id,
            'missing episode ' || m.source_id || ' (' || strftime(e.missing_from, '%Y-%m-%d')
                || '): found with ' || m.kind || ' ' || m.value
                || CASE WHEN nv.network_id IS NOT NULL THEN ' of network ' || nv.network_id
                        ELSE ' of this case' END,
            {_EVIDENCE}, m.source_table, m.source_id, m.source_field, m.span_start, m.span_end,
            m.source_table || m.source_id || lpad(m.span_start::VARCHAR, 8, '0')
        FROM text_mentions m
        JOIN missing_episodes e ON e.episode_id = m.source_id
        JOIN (
            SELECT n.case_id, v.kind, v.value, v.network_id FROM _network_values v
            JOIN networks n USING (network_id)
            UNION SELECT o.case_id, o.kind, o.value, NULL FROM _offender_values o
        ) nv ON nv.kind = m.kind AND nv.value = m.value
        JOIN cases c ON c.case_id = nv.case_id
        WHERE m.source_table = 'missing_episodes' AND m.source_field = 'found_with'
        """
    )


def _suspect_later_leads(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""INSERT INTO _lead_rows
        WITH appearances AS (
            SELECT r.person_id, p.case_id, p.role, c.reported_on
            FROM people p JOIN persons r ON r.record_id = p.mention_id
            JOIN cases c USING (case_id)
        )
        SELECT s.case_id, 'suspect_later_cases', 'person=' || s.person_id,
            'suspect ' || s.person_id || ' appears in ' || count(DISTINCT l.case_id)
                || ' later case(s): ' || {distinct_joined(_LATER_APPEARANCE, ", ")},
            {distinct_joined("'cases ' || l.case_id", " | ")},
            'cases', min(l.case_id), NULL, NULL, NULL, ''
        FROM appearances s JOIN appearances l
            ON l.person_id = s.person_id AND l.reported_on > s.reported_on
        WHERE s.role = 'suspect'
        GROUP BY s.case_id, s.person_id
        """
    )


def _missing_after_closure_leads(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""INSERT INTO _lead_rows
        SELECT v.case_id, 'missing_after_closure', 'person=' || vp.person_id,
            'victim ' || vp.person_id || ' went missing ' || count(DISTINCT e.episode_id)
                || ' time(s) after the case closed on ' || strftime(c.outcome_on, '%Y-%m-%d')
                || ' (first ' || strftime(min(e.missing_from), '%Y-%m-%d')
                || ', last ' || strftime(max(e.missing_from), '%Y-%m-%d') || ')',
            {distinct_joined("'missing_episodes ' || e.episode_id", " | ")},
            'missing_episodes', min(e.episode_id), NULL, NULL, NULL, ''
        FROM people v JOIN cases c USING (case_id)
        JOIN persons vp ON vp.record_id = v.mention_id
        JOIN persons ep ON ep.person_id = vp.person_id AND ep.record_kind = 'missing_episode'
        JOIN missing_episodes e ON e.episode_id = ep.record_id
        WHERE v.role = 'victim' AND c.outcome_on IS NOT NULL AND e.missing_from > c.outcome_on
        GROUP BY v.case_id, vp.person_id, c.outcome_on
        """
    )


def build_leads(con: duckdb.DuckDBPyConnection) -> int:
    """Create `leads`; returns the number of leads."""
    _create_candidates(con)
    _text_identifier_leads(con)
    _identifier_elsewhere_leads(con)
    _episode_network_leads(con)
    _suspect_later_leads(con)
    _missing_after_closure_leads(con)
    con.execute(
        f"""CREATE OR REPLACE TABLE leads AS
        SELECT 'L' || substr(sha256(case_id || '|' || kind || '|' || value), 1, 12) AS lead_id,
            case_id, kind, value,
            first(detail ORDER BY ordering, evidence, detail) AS detail,
            {distinct_joined("evidence", " | ")} AS evidence,
            count(DISTINCT evidence) AS n_evidence,
            first(source_table ORDER BY ordering, evidence) AS source_table,
            first(source_id ORDER BY ordering, evidence) AS source_id,
            first(source_field ORDER BY ordering, evidence) AS source_field,
            first(span_start ORDER BY ordering, evidence) AS span_start,
            first(span_end ORDER BY ordering, evidence) AS span_end
        FROM _lead_rows GROUP BY case_id, kind, value
        ORDER BY case_id, kind, value"""
    )
    for table in ("_lead_rows", "_case_values", "_offender_values", "_mentions_by_case",
                  "_network_values", "_case_written_names", "_accounted_spans"):  # fmt: skip
        con.execute(f"DROP TABLE {table}")
    return count(con, "SELECT count(*) FROM leads")
