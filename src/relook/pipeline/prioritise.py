"""Prioritisation: which in-scope cases a reviewer should read first, and why.

Each signal of `spec/domain.md` is measured per case in SQL (`case_signals`, one row per
case and signal with its value and evidence); a case's score is the sum over signals of
weight × min(value, cap) from the scoring rules. Bands come from score thresholds. Rank
orders in-scope cases by score, then the oldest report first (it has waited longest),
then case id.

The inputs are resolved persons, cases, leads, language flags and networks. No protected
characteristic (ethnicity, nationality, religion, sex) is read here: nothing about a
person enters a score except their role, dates and the cases they appear in.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from relook.engine.dialect import distinct_joined
from relook.engine.duckdb_engine import arrow_view, sql_literal
from relook.engine.sql import count
from relook.pipeline.ages import age_sql, latest_dob_sql
from relook.rules.scoring import ScoringRules

_QUOTED_PHRASE = """'"' || phrase || '"'"""

_APPEARANCES = """
SELECT r.person_id, p.case_id, p.role, c.reported_on
FROM people p JOIN persons r ON r.record_id = p.mention_id JOIN cases c USING (case_id)
"""


def _signals_sql(rules: ScoringRules, as_of: dt.date) -> str:
    """(case_id, signal, value, evidence) for every signal that is present on a case."""
    today = f"DATE '{as_of.isoformat()}'"
    return f"""
    WITH appearances AS ({_APPEARANCES}),
    suspects AS (SELECT * FROM appearances WHERE role = 'suspect'),
    victims AS (SELECT * FROM appearances WHERE role = 'victim'),
    in_scope AS (SELECT case_id FROM screening WHERE in_scope_wider),
    victim_ages AS (
        SELECT p.case_id, r.person_id,
            date_sub('year', {latest_dob_sql("p")}, {today}) AS age_now,
            p.age_at_offence + date_sub('year', coalesce(c.offence_from, c.reported_on), {today})
                AS age_now_from_offence,
            {age_sql("p", "coalesce(c.offence_from, c.reported_on)")} AS age_then
        FROM people p JOIN persons r ON r.record_id = p.mention_id JOIN cases c USING (case_id)
        WHERE p.role = 'victim'
    )
    SELECT s.case_id, 'suspect_later_cases' AS signal, count(DISTINCT l.case_id) AS value,
        {distinct_joined("s.person_id || ' in ' || l.case_id", ", ")} AS evidence
    FROM suspects s JOIN appearances l ON l.person_id = s.person_id
        AND l.reported_on > s.reported_on
    GROUP BY s.case_id
    UNION ALL
    SELECT s.case_id, 'suspect_in_other_in_scope', count(DISTINCT o.case_id),
        {distinct_joined("s.person_id || ' in ' || o.case_id", ", ")}
    FROM suspects s JOIN suspects o ON o.person_id = s.person_id AND o.case_id <> s.case_id
    JOIN in_scope i ON i.case_id = o.case_id
    GROUP BY s.case_id
    UNION ALL
    SELECT n.case_id, 'in_network', 1, n.network_id || ' (' || m.n_cases || ' cases)'
    FROM networks n JOIN network_summary m USING (network_id)
    UNION ALL
    SELECT case_id, 'victim_still_child', 1,
        {distinct_joined("person_id || ' aged ' || coalesce(age_now, age_now_from_offence)", ", ")}
    FROM victim_ages WHERE coalesce(age_now, age_now_from_offence) < 18 GROUP BY case_id
    UNION ALL
    SELECT case_id, 'missing_after_closure', sum(n_evidence),
        string_agg(detail, '; ' ORDER BY detail)
    FROM leads WHERE kind = 'missing_after_closure' GROUP BY case_id
    UNION ALL
    SELECT v.case_id, 'victim_later_victim', count(DISTINCT l.case_id),
        {distinct_joined("v.person_id || ' in ' || l.case_id", ", ")}
    FROM victims v JOIN victims l ON l.person_id = v.person_id AND l.reported_on > v.reported_on
    GROUP BY v.case_id
    UNION ALL
    SELECT case_id, 'text_identifiers', count(*), string_agg(value, ', ' ORDER BY value)
    FROM leads WHERE kind = 'text_identifier' GROUP BY case_id
    UNION ALL
    SELECT s.case_id, 'corroboration', count(DISTINCT o.case_id),
        {distinct_joined("s.person_id || ' also named in ' || o.case_id", ", ")}
    FROM suspects s JOIN suspects o ON o.person_id = s.person_id AND o.case_id <> s.case_id
    WHERE EXISTS (SELECT 1 FROM victims vo WHERE vo.case_id = o.case_id
                  AND vo.person_id NOT IN (SELECT person_id FROM victims vs
                                           WHERE vs.case_id = s.case_id))
    GROUP BY s.case_id
    UNION ALL
    SELECT case_id, 'corroboration_leads', count(*), string_agg(value, ', ' ORDER BY value)
    FROM leads WHERE kind = 'corroboration' GROUP BY case_id
    UNION ALL
    SELECT n.case_id, 'shared_vehicle_or_phone', count(DISTINCT i.value),
        {distinct_joined("i.value", ", ")}
    FROM networks n JOIN network_summary m USING (network_id),
        unnest(string_split(m.linking_identifiers, ';')) AS i(value)
    WHERE (i.value LIKE 'vrm=%' OR i.value LIKE 'phone=%')
      AND m.n_cases <= {int(rules.max_network_cases)}
    GROUP BY n.case_id
    UNION ALL
    SELECT case_id, 'episode_names_network', sum(n_evidence),
        string_agg(value, ', ' ORDER BY value)
    FROM leads WHERE kind = 'episode_names_network' GROUP BY case_id
    UNION ALL
    SELECT case_id, 'victim_blaming_language', count(*),
        {distinct_joined(_QUOTED_PHRASE, ", ")}
    FROM language GROUP BY case_id
    UNION ALL
    SELECT c.case_id, 'victim_not_support_under_16', 1,
        'outcome ' || c.outcome_code || ', victim aged ' || min(a.age_then)
    FROM cases c JOIN victim_ages a USING (case_id)
    WHERE c.outcome_code IN (14, 16) GROUP BY c.case_id, c.outcome_code
    HAVING min(a.age_then) < 16
    UNION ALL
    SELECT case_id, 'closed_quickly', 1,
        'closed ' || date_diff('day', reported_on, outcome_on) || ' days after report'
    FROM cases WHERE outcome_on IS NOT NULL
        AND date_diff('day', reported_on, outcome_on) <= {int(rules.closed_quickly_days)}
    """


def _weights_table(rules: ScoringRules) -> pa.Table:
    names = sorted(rules.signals)
    return pa.table(
        {
            "signal": pa.array(names, pa.string()),
            "signal_group": pa.array([rules.signals[n].group for n in names], pa.string()),
            "weight": pa.array([rules.signals[n].weight for n in names], pa.float64()),
            "cap": pa.array([rules.signals[n].cap for n in names], pa.int64()),
        }
    )


def build_priorities(
    con: duckdb.DuckDBPyConnection, rules: ScoringRules, as_of: dt.date | None = None
) -> int:
    """Create `case_signals` and `priorities` (one row per in-scope case)."""
    as_of = as_of or dt.date.today()
    with arrow_view(con, "_weights", _weights_table(rules)):
        con.execute(
            f"""CREATE OR REPLACE TABLE case_signals AS
            SELECT s.case_id, s.signal, w.signal_group, s.value, s.evidence,
                round(w.weight * least(s.value, w.cap), 2) AS points
            FROM ({_signals_sql(rules, as_of)}) s JOIN _weights w USING (signal)
            WHERE s.value > 0 ORDER BY s.case_id, points DESC, s.signal"""
        )
    bands = rules.bands
    con.execute(
        f"""CREATE OR REPLACE TABLE priorities AS
        WITH scored AS (
            SELECT s.case_id, c.reported_on,
                coalesce(sum(g.points), 0) AS score,
                coalesce(string_agg(g.signal || '=' || g.value || ' (+' || g.points || ': '
                    || g.evidence || ')', ';' ORDER BY g.points DESC, g.signal), '') AS reasons
            FROM screening s JOIN cases c USING (case_id)
            LEFT JOIN case_signals g USING (case_id)
            WHERE s.in_scope_wider
            GROUP BY s.case_id, c.reported_on
        )
        SELECT case_id,
            row_number() OVER (ORDER BY score DESC, reported_on, case_id) AS rank,
            score,
            CASE WHEN score >= {bands.urgent} THEN 'urgent' WHEN score >= {bands.high} THEN 'high'
                 WHEN score >= {bands.standard} THEN 'standard' ELSE 'low' END AS band,
            reasons, {sql_literal(rules.version)} AS rules_version
        FROM scored ORDER BY rank"""
    )
    return count(con, "SELECT count(*) FROM priorities")
