"""Missing-episode records probably of a case's victim, where resolution did not tie them.

A missing episode has no case key: the leads stage ties it to every case in which its
child (the resolved person) is a victim. Resolution links only at a match probability of
0.9; below that an episode can stay apart from the victim it is about (a misspelt name,
no date of birth on one side, a name written surname first). Two graded ties, each
saying how sure it is, in words the lead shows ("probably of this case's victim (match
probability 0.62)"):

`_possible_episode_cases` (episode_id, case_id, link): an episode that resolution tied to
no victim at all goes to the cases of the victim record it scored as its best possible
match (`resolve_pairs`, probability at least `EpisodeRules.probable_link`). Every lead
kind reads it, through the leads stage's `_mentions_by_case`.

`_probable_episode_cases` (episode_id, case_id, link), for corroboration only: an episode
that writes a phone or vehicle recorded for a suspect of case C, and is not tied to C,
is taken as probably of C's victim when the evidence about the child agrees:

- resolution scored the pair (episode, victim record) as a possible match, with a match
  probability of at least `EpisodeRules.probable_link` (the pairs it keeps, in
  `resolve_pairs`): "match probability 0.62";
- or, when it did not score them, the surname agrees (Jaro-Winkler at least 0.9, either
  way round: "Noor Farouk" for Farouk Noor) and so does one more thing about the child:
  the initial, the date of birth or the care setting: "surname and care setting agree".

The written value itself is part of the evidence (only an episode naming the case's own
suspect's phone or vehicle is considered), so this is not a second resolution: it is
the reason to put the episode in front of the reviewer, saying how sure the link is.
"""

from __future__ import annotations

import duckdb

from relook.engine.sql import table_exists
from relook.rules.leads import EpisodeRules

PROBABLE_TABLE = "_probable_episode_cases"

# Pairs scored by resolution, if the resolve stage ran on this connection (a connection
# loaded by hand has only `persons`).
_NO_PAIRS = (
    "SELECT NULL::VARCHAR AS record_id_l, NULL::VARCHAR AS record_id_r,"
    " NULL::DOUBLE AS match_probability WHERE FALSE"
)

_PROBABLE_SQL = """
WITH candidates AS (
    SELECT DISTINCT m.source_id AS episode_id, o.case_id
    FROM _mentions m JOIN _offender_values o ON o.kind = m.kind AND o.value = m.value
    WHERE m.source_table = 'missing_episodes' AND m.kind IN ('phone', 'vrm')
      AND NOT EXISTS (SELECT 1 FROM _mentions_by_case b
                      WHERE b.source_table = 'missing_episodes' AND b.source_id = m.source_id
                        AND b.lead_case = o.case_id)
),
pairs AS (
    SELECT record_id_l AS a, record_id_r AS b, match_probability FROM ({pairs})
    UNION ALL SELECT record_id_r, record_id_l, match_probability FROM ({pairs})
),
victims AS (
    SELECT c.episode_id, c.case_id, max(p.match_probability) AS probability,
        bool_or(
            (jaro_winkler_similarity(e.surname_folded, v.surname_folded) >= 0.9
             AND (left(e.forenames_folded, 1) = left(v.forenames_folded, 1)
                  OR e.dob = v.dob OR e.care_setting_folded = v.care_setting_folded))
            -- written surname first: "Noor Farouk" for forenames Farouk, surname Noor
            OR (jaro_winkler_similarity(e.forenames_folded, v.surname_folded) >= 0.9
                AND (left(e.surname_folded, 1) = left(v.forenames_folded, 1)
                     OR e.dob = v.dob OR e.care_setting_folded = v.care_setting_folded))
        ) AS names_agree,
        bool_or(e.care_setting_folded = v.care_setting_folded) AS same_setting,
        bool_or(e.dob = v.dob) AS same_dob
    FROM candidates c JOIN missing_episodes e USING (episode_id)
    JOIN people v ON v.case_id = c.case_id AND v.role = 'victim'
    LEFT JOIN pairs p ON p.a = c.episode_id AND p.b = v.mention_id
    GROUP BY c.episode_id, c.case_id
)
SELECT episode_id, case_id,
    CASE WHEN probability >= {threshold}
         THEN 'match probability ' || round(probability, 2)
         WHEN same_dob THEN 'surname and date of birth agree'
         WHEN same_setting THEN 'surname and care setting agree'
         ELSE 'surname and initial agree' END AS link
FROM victims
WHERE probability >= {threshold} OR names_agree
"""


POSSIBLE_TABLE = "_possible_episode_cases"

# Episodes that resolution tied to no victim at all, with the cases of the victim it
# scored as their best possible match (at least the threshold; ties all kept).
_POSSIBLE_SQL = """
WITH untied AS (
    SELECT e.record_id AS episode_id FROM persons e
    WHERE e.record_kind = 'missing_episode' AND NOT EXISTS (
        SELECT 1 FROM persons vp JOIN people v ON v.mention_id = vp.record_id
        WHERE vp.person_id = e.person_id AND v.role = 'victim')
),
pairs AS (
    SELECT record_id_l AS a, record_id_r AS b, match_probability FROM ({pairs})
    UNION ALL SELECT record_id_r, record_id_l, match_probability FROM ({pairs})
),
scored AS (
    SELECT u.episode_id, v.case_id, p.match_probability AS probability,
        max(p.match_probability) OVER (PARTITION BY u.episode_id) AS best
    FROM untied u JOIN pairs p ON p.a = u.episode_id
    JOIN people v ON v.mention_id = p.b AND v.role = 'victim'
    WHERE p.match_probability >= {threshold}
)
SELECT episode_id, case_id, 'match probability ' || round(max(probability), 2) AS link
FROM scored WHERE probability = best GROUP BY episode_id, case_id
"""


def possible_episode_cases_sql(con: duckdb.DuckDBPyConnection, rules: EpisodeRules) -> str:
    """Episodes resolution tied to no victim, with the cases of their best possible match
    among victims' records (match probability at least `rules.probable_link`)."""
    return _POSSIBLE_SQL.format(pairs=_pairs_table(con), threshold=float(rules.probable_link))


def _pairs_table(con: duckdb.DuckDBPyConnection) -> str:
    return (
        "SELECT record_id_l, record_id_r, match_probability FROM resolve_pairs"
        if table_exists(con, "resolve_pairs")
        else _NO_PAIRS
    )


def probable_episode_cases(con: duckdb.DuckDBPyConnection, rules: EpisodeRules) -> None:
    """Create `_probable_episode_cases` from `_mentions`, `_offender_values` and
    `_mentions_by_case` (the leads stage's tables)."""
    sql = _PROBABLE_SQL.format(pairs=_pairs_table(con), threshold=float(rules.probable_link))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {PROBABLE_TABLE} AS {sql}")
