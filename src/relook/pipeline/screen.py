"""Screening: is each case in scope (wider and narrower definitions), in which category, why.

Reads `cases`, `people` and `persons` (record_id → person_id, from resolution) and writes
`screening`. Every rule's outcome and the value that decided it go into `reasons`, e.g.
`window=pass(2014-09-30);child_victim=pass(age 14);sexual_offence=pass(71);group=pass(3
suspects);nfa=pass(15 police);narrower=pass`, so that a reviewer can answer "why is this
case here?". The rule set's version is kept on every row.

Ages: a partial date of birth is read as its latest possible day (1998 → 1998-12-31),
so a victim who *may* have been a child at the time is screened in for a human to check.
Distinct suspects are counted after resolution: one person entered twice counts once,
and each unidentified suspect ("male 2") is a person of its own.

Suspects believed alive: a resolved person is deceased when any of their mentions, on
any case, records `deceased = true` (a death is often recorded only on a later case);
a blank is "not known" and counts as alive, so a missing value never excludes a case.
Likewise a blank `previously_reviewed` keeps the case in.
"""

from __future__ import annotations

import duckdb

from relook.engine.duckdb_engine import sql_literal
from relook.pipeline.ages import age_sql
from relook.rules.scope import ScopeRules


def _in_list(values: list[str]) -> str:
    """A SQL IN list; `(NULL)` matches nothing, so an empty rule list excludes nothing."""
    return "(" + ", ".join(sql_literal(v) for v in values) + ")" if values else "(NULL)"


def _list_literal(values: list[str]) -> str:
    return "[" + ", ".join(sql_literal(v) for v in values) + "]::VARCHAR[]"


def _person_facts_sql() -> str:
    """One row per case with the facts of its people that the rules need."""
    return f"""
    WITH resolved AS (
        SELECT p.*, coalesce(c.offence_from, c.reported_on) AS ref_date,
               coalesce(r.person_id, p.mention_id) AS person_id
        FROM people p JOIN cases c USING (case_id)
        LEFT JOIN persons r ON r.record_id = p.mention_id
    ),
    mentions AS (
        SELECT *, bool_or(coalesce(deceased, false)) OVER (PARTITION BY person_id)
            AS person_deceased
        FROM resolved
    )
    SELECT case_id,
        min({age_sql("m", "ref_date")}) FILTER (WHERE role = 'victim') AS youngest_victim_age,
        count(*) FILTER (WHERE role = 'victim') AS n_victim_mentions,
        count(DISTINCT person_id) FILTER (WHERE role = 'suspect') AS n_suspects,
        count(DISTINCT person_id) FILTER (WHERE role = 'suspect' AND person_deceased)
            AS n_suspects_deceased,
        max({age_sql("m", "ref_date")}) FILTER (WHERE role = 'suspect') AS oldest_suspect_age,
        count(*) FILTER (WHERE role = 'suspect' AND {age_sql("m", "ref_date")} IS NULL)
            AS n_suspects_age_unknown,
        list(DISTINCT relationship_to_victim ORDER BY relationship_to_victim)
            FILTER (WHERE role = 'suspect' AND relationship_to_victim IS NOT NULL)
            AS relationships
    FROM mentions m GROUP BY case_id
    """


def _verdict(passed: str, value: str, applied: bool = True) -> str:
    """`pass(value)` or `fail(value)`; `off(value)` for a rule the rule set switched off."""
    outcome = f"CASE WHEN {passed} THEN 'pass(' ELSE 'fail(' END" if applied else "'off('"
    return f"{outcome} || coalesce({value}, 'not recorded') || ')'"


def _suspects_alive_value() -> str:
    return (
        "n_suspects_alive || ' believed alive'"
        " || CASE WHEN n_suspects_deceased > 0 THEN ', ' || n_suspects_deceased || ' deceased'"
        " ELSE '' END"
    )


_REVIEWED_VALUE = (
    "CASE previously_reviewed WHEN true THEN 'reviewed before'"
    " WHEN false THEN 'not reviewed before' END"
)


def build_screening(con: duckdb.DuckDBPyConnection, rules: ScopeRules) -> None:
    """Create the table `screening`, one row per case."""
    nar = rules.narrower
    decision_date = "coalesce(c.outcome_on, c.reported_on)"
    child_codes = _in_list(rules.child_offence_codes)
    adult_codes = _in_list(rules.adult_age_offence_codes)
    nfa = "(" + ", ".join(str(o) for o in rules.nfa_outcomes) + ")"
    family = _list_literal(nar.intrafamilial.relationships)
    staff = _list_literal(nar.institutional.relationships)
    child = f"f.youngest_victim_age < {rules.child_age_limit}"
    cse = "coalesce(c.cse_flag, false)" if rules.cse_flag_counts else "false"
    alive = "(coalesce(f.n_suspects, 0) - coalesce(f.n_suspects_deceased, 0))"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _screen_facts AS
        SELECT c.case_id, c.setting, c.offence_code, c.outcome_code, c.outcome_by,
            {decision_date} AS decision_date,
            {decision_date} BETWEEN DATE '{rules.window.start}' AND DATE '{rules.window.end}'
                AS r_window,
            coalesce({child}, false) AS r_child,
            (upper(c.offence_code) IN {child_codes} OR {cse}
             OR (upper(c.offence_code) IN {adult_codes} AND coalesce({child}, false)))
                AS r_offence,
            coalesce(f.n_suspects, 0) >= {rules.min_suspects} AS r_group,
            coalesce(c.outcome_code IN {nfa}, false) AS r_nfa,
            {alive} >= {rules.min_suspects} OR NOT {rules.suspects_alive} AS r_alive,
            NOT coalesce(c.previously_reviewed, false) OR NOT {rules.not_previously_reviewed}
                AS r_not_reviewed,
            c.previously_reviewed,
            f.youngest_victim_age, coalesce(f.n_suspects, 0) AS n_suspects,
            {alive} AS n_suspects_alive, coalesce(f.n_suspects_deceased, 0) AS n_suspects_deceased,
            (list_has_any(coalesce(f.relationships, []), {family})
             OR c.setting IN {_in_list(nar.intrafamilial.settings)}) AS x_intrafamilial,
            (list_has_any(coalesce(f.relationships, []), {staff})
             OR c.setting IN {_in_list(nar.institutional.settings)}) AS x_institutional,
            (coalesce(f.n_suspects, 0) > 0 AND coalesce(f.n_suspects_age_unknown, 0) = 0
             AND f.oldest_suspect_age < {nar.peer_on_peer.all_suspects_under}) AS x_peer
        FROM cases c LEFT JOIN ({_person_facts_sql()}) f USING (case_id)
        """
    )
    alive_verdict = _verdict("r_alive", _suspects_alive_value(), rules.suspects_alive)
    reviewed_verdict = _verdict("r_not_reviewed", _REVIEWED_VALUE, rules.not_previously_reviewed)
    con.execute(
        f"""
        CREATE OR REPLACE TABLE screening AS
        SELECT case_id,
            in_wider AS in_scope_wider,
            in_wider AND NOT excluded AS in_scope_narrower,
            category,
            concat_ws(';',
                'window=' || {_verdict("r_window", "decision_date::VARCHAR")},
                'child_victim=' || {_verdict("r_child", "'age ' || youngest_victim_age")},
                'sexual_offence=' || {_verdict("r_offence", "offence_code")},
                'group=' || {_verdict("r_group", "n_suspects || ' suspects'")},
                'nfa=' || {_verdict("r_nfa", "outcome_code || coalesce(' ' || outcome_by, '')")},
                'suspects_alive=' || {alive_verdict},
                'not_previously_reviewed=' || {reviewed_verdict},
                'narrower=' || CASE WHEN excluded THEN 'fail(' || category || ')' ELSE 'pass' END
            ) AS reasons,
            r_window AS rule_window, r_child AS rule_child_victim,
            r_offence AS rule_sexual_offence, r_group AS rule_group, r_nfa AS rule_nfa,
            r_alive AS rule_suspects_alive, r_not_reviewed AS rule_not_previously_reviewed,
            {sql_literal(rules.version)} AS rules_version
        FROM (
            SELECT *,
                r_window AND r_child AND r_offence AND r_group AND r_nfa AND r_alive
                    AND r_not_reviewed AS in_wider,
                coalesce(x_intrafamilial, false) OR coalesce(x_institutional, false)
                    OR coalesce(x_peer, false) AS excluded,
                CASE WHEN x_intrafamilial THEN 'intrafamilial'
                     WHEN x_institutional THEN 'institutional'
                     WHEN x_peer THEN 'peer_on_peer'
                     WHEN setting = 'online' THEN 'online'
                     WHEN r_group THEN 'group_exploitation'
                     ELSE 'unknown' END AS category
            FROM _screen_facts
        ) ORDER BY case_id
        """
    )
    con.execute("DROP TABLE _screen_facts")
