"""Build `resolve_records`: people mentions and missing episodes as one table of records.

One row per record (`record_id` = mention_id or episode_id, `record_kind` = 'mention' or
'missing_episode') with the columns the model compares. Placeholder names ("unknown",
"male 2") become NULL here, so a value shared by every unidentified suspect can never
count as agreement. Protected characteristics are not carried over.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from relook.engine.duckdb_engine import create_table_from_arrow
from relook.engine.sql import column_values, count
from relook.pipeline.resolution import names
from relook.pipeline.resolution.blocking import add_block_sizes
from relook.pipeline.resolution.settings import CAPPED_RULES

RECORDS_TABLE = "resolve_records"
# A missing episode is of a child (data contract); the ages a child reported missing is
# taken to have, when the episode records no date of birth.
MISSING_CHILD_AGES = (6, 17)
_SOURCE = "_resolve_source"
_NAMES = "_resolve_names"
# A canonical UK postcode (`normalise_postcode` output): outward code, space, inward code.
UK_POSTCODE_SHAPE = "^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$"

# column -> SQL type, for the input columns this stage reads; a column missing from an
# input table is read as NULL (a force may not record it, and tests build small tables).
_PEOPLE_COLUMNS = {
    "case_id": "VARCHAR",
    "role": "VARCHAR",
    "forenames_folded": "VARCHAR",
    "surname_folded": "VARCHAR",
    "aliases_folded": "VARCHAR[]",
    "date_of_birth": "VARCHAR",
    "dob_year": "INTEGER",
    "dob_month": "INTEGER",
    "dob_day": "INTEGER",
    "dob_precision": "VARCHAR",
    "age_at_offence": "INTEGER",
    "address": "VARCHAR",
    "postcode_norm": "VARCHAR",
    "phone_e164": "VARCHAR",
    "nominal_id": "VARCHAR",
    "care_setting_folded": "VARCHAR",
}
_EPISODE_COLUMNS = {
    "forenames_folded": "VARCHAR",
    "surname_folded": "VARCHAR",
    "date_of_birth": "VARCHAR",
    "dob_year": "INTEGER",
    "dob_month": "INTEGER",
    "dob_day": "INTEGER",
    "dob_precision": "VARCHAR",
    "care_setting_folded": "VARCHAR",
    "missing_from": "TIMESTAMP",
}


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str] | None:
    names = column_values(
        con, "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
    )
    return set(names) if names else None


def _select_list(present: set[str], wanted: dict[str, str], alias: str) -> str:
    return ", ".join(
        f'{alias}."{col}"::{typ} AS "{col}"' if col in present else f'NULL::{typ} AS "{col}"'
        for col, typ in wanted.items()
    )


def _people_sql(con: duckdb.DuckDBPyConnection) -> str | None:
    present = _table_columns(con, "people")
    if present is None:
        return None
    cases = _table_columns(con, "cases") or set()
    # Year of the offence, to turn age_at_offence into an approximate year of birth.
    event_parts = [f"c.{c}" for c in ("offence_from", "reported_on") if c in cases]
    event_date = f"coalesce({', '.join(event_parts)})::DATE" if event_parts else "NULL::DATE"
    join = "LEFT JOIN cases c ON c.case_id = p.case_id" if event_parts else ""
    return f"""
        SELECT p.mention_id::VARCHAR AS record_id, 'mention' AS record_kind,
               {_select_list(present, _PEOPLE_COLUMNS, "p")},
               year({event_date})::INTEGER AS event_year, {event_date} AS event_date
        FROM people p {join}
    """


def _episodes_sql(con: duckdb.DuckDBPyConnection) -> str | None:
    present = _table_columns(con, "missing_episodes")
    if present is None:
        return None
    return f"""
        SELECT e.episode_id::VARCHAR AS record_id, 'missing_episode' AS record_kind,
               NULL::VARCHAR AS case_id, NULL::VARCHAR AS role,
               {_select_list(present, _EPISODE_COLUMNS, "e")}
        FROM missing_episodes e
    """


def _create_source(con: duckdb.DuckDBPyConnection) -> None:
    people = _people_sql(con)
    episodes = _episodes_sql(con)
    ep_cols = ", ".join(
        f'"{c}"' if c in _EPISODE_COLUMNS or c in ("case_id", "role") else f'NULL::{t} AS "{c}"'
        for c, t in _PEOPLE_COLUMNS.items()
    )
    parts = []
    if people:
        parts.append(people)
    if episodes:
        parts.append(
            f"SELECT record_id, record_kind, {ep_cols}, year(missing_from)::INTEGER AS event_year,"
            " missing_from::DATE AS event_date"
            f" FROM ({episodes})"
        )
    if not parts:
        raise LookupError("resolve needs a `people` or a `missing_episodes` table")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_SOURCE} AS {' UNION ALL '.join(parts)}")


def _create_name_lookup(con: duckdb.DuckDBPyConnection) -> None:
    """One row per distinct folded name: placeholder flag, phonetic key, nickname set."""
    values = column_values(
        con,
        f"""
        SELECT DISTINCT v FROM (
            SELECT forenames_folded AS v FROM {_SOURCE}
            UNION ALL SELECT surname_folded FROM {_SOURCE}
            UNION ALL SELECT split_part(forenames_folded, ' ', 1) FROM {_SOURCE}
            UNION ALL SELECT concat_ws(' ', forenames_folded, surname_folded) FROM {_SOURCE}
            UNION ALL SELECT unnest(aliases_folded) FROM {_SOURCE}
        ) WHERE v IS NOT NULL AND v <> '' ORDER BY v
        """,
    )
    lookup = pa.table(
        {
            "value": pa.array(values, pa.string()),
            "placeholder": pa.array([names.is_placeholder(v) for v in values], pa.bool_()),
            "name_key": pa.array([names.name_key(v) for v in values], pa.string()),
            "variants": pa.array(
                [list(names.forename_variants(v)) for v in values], pa.list_(pa.string())
            ),
        }
    )
    create_table_from_arrow(con, _NAMES, lookup, temp=True)


_RECORDS_SQL = f"""
CREATE OR REPLACE TABLE {RECORDS_TABLE} AS
WITH named AS (
    SELECT s.*,
        CASE WHEN coalesce(nf.placeholder, FALSE) OR coalesce(nfull.placeholder, FALSE)
             THEN NULL ELSE nullif(s.forenames_folded, '') END AS forenames,
        CASE WHEN coalesce(ns.placeholder, FALSE) OR coalesce(nfull.placeholder, FALSE)
             THEN NULL ELSE nullif(s.surname_folded, '') END AS surname_clean
    FROM {_SOURCE} s
    LEFT JOIN {_NAMES} nf ON nf.value = s.forenames_folded
    LEFT JOIN {_NAMES} ns ON ns.value = s.surname_folded
    LEFT JOIN {_NAMES} nfull ON nfull.value = concat_ws(' ', s.forenames_folded, s.surname_folded)
),
aliases AS (
    SELECT a.record_id,
           list_sort(list_distinct(list(a.alias))) AS aliases,
           list_sort(list_distinct(list(split_part(a.alias, ' ', -1))
               FILTER (WHERE a.alias LIKE '% %'))) AS alias_surnames
    FROM (SELECT record_id, unnest(aliases_folded) AS alias FROM {_SOURCE}) a
    LEFT JOIN {_NAMES} n ON n.value = a.alias
    WHERE a.alias <> '' AND NOT coalesce(n.placeholder, FALSE)
    GROUP BY a.record_id
),
shaped AS (
    SELECT named.*,
        split_part(forenames, ' ', 1) AS forename1,
        -- lower-case letters and digits, single spaces: punctuation and case never count
        nullif(trim(regexp_replace(lower(strip_accents(address)), '[^a-z0-9]+', ' ', 'g')),
               '') AS address_norm,
        CASE WHEN dob_precision IN ('day', 'month', 'year') THEN dob_year END AS y,
        CASE WHEN dob_precision IN ('day', 'month') THEN dob_month END AS m,
        CASE WHEN dob_precision = 'day' THEN dob_day END AS d
    FROM named
)
SELECT
    s.record_id, s.record_kind, s.case_id, s.role,
    s.forenames,
    s.forename1,
    string_split(s.forenames, ' ') AS forename_tokens,
    n1.name_key AS forename_key,
    n1.variants AS forename_variants,
    s.surname_clean AS surname,
    nsur.name_key AS surname_key,
    nullif(concat_ws(' ', s.forenames, s.surname_clean), '') AS full_name,
    -- Names with the spaces taken out: a name keyed in two pieces ("wil liam") is the
    -- same name.
    replace(s.forenames, ' ', '') AS forenames_compact,
    replace(s.surname_clean, ' ', '') AS surname_compact,
    coalesce(a.aliases, []::VARCHAR[]) AS aliases,
    coalesce(a.alias_surnames, []::VARCHAR[]) AS alias_surnames,
    CASE WHEN s.d IS NOT NULL THEN printf('%04d-%02d-%02d', s.y, s.m, s.d) END AS dob_iso,
    s.y AS dob_year, s.m AS dob_month, s.d AS dob_day,
    CASE WHEN s.y IS NOT NULL THEN s.dob_precision END AS dob_precision,
    coalesce(s.y, s.event_year - s.age_at_offence) AS birth_year,
    (s.y IS NULL AND s.event_year - s.age_at_offence IS NOT NULL) AS birth_year_derived,
    -- The years the person can have been born in: the year of birth; the two years an
    -- age at offence allows; for a missing child with no date of birth, the years that
    -- make them {MISSING_CHILD_AGES[0]} to {MISSING_CHILD_AGES[1]} when they went missing.
    CASE WHEN s.y IS NOT NULL THEN s.y
         WHEN s.age_at_offence IS NOT NULL THEN s.event_year - s.age_at_offence - 1
         WHEN s.record_kind = 'missing_episode' THEN s.event_year - {MISSING_CHILD_AGES[1]} - 1
    END AS birth_year_min,
    CASE WHEN s.y IS NOT NULL THEN s.y
         WHEN s.age_at_offence IS NOT NULL THEN s.event_year - s.age_at_offence
         WHEN s.record_kind = 'missing_episode' THEN s.event_year - {MISSING_CHILD_AGES[0]}
    END AS birth_year_max,
    s.postcode_norm AS postcode,
    -- Sector and district are parts of a UK postcode only; a postcode of another country
    -- (kept as normalised text) is compared whole and one character apart.
    CASE WHEN regexp_matches(s.postcode_norm, '{UK_POSTCODE_SHAPE}')
         THEN left(s.postcode_norm, length(s.postcode_norm) - 2) END AS postcode_sector,
    CASE WHEN regexp_matches(s.postcode_norm, '{UK_POSTCODE_SHAPE}')
         THEN split_part(s.postcode_norm, ' ', 1) END AS postcode_district,
    s.address_norm AS address,
    nullif(concat_ws(', ', s.address_norm, s.postcode_norm), '') AS address_shown,
    -- The address's numbers (house, flat) and its words: "flat 3, 12 mill lane" and
    -- "12 mill lane flat 3" have the same of both.
    CASE WHEN s.address_norm IS NOT NULL
         THEN list_sort(regexp_extract_all(s.address_norm, '[0-9]+')) END AS address_numbers,
    nullif(trim(regexp_replace(regexp_replace(s.address_norm, '[0-9]+', '', 'g'),
                               ' +', ' ', 'g')), '') AS address_words,
    list_distinct(list_filter(string_split(regexp_replace(s.address_norm, '[0-9]+', '', 'g'),
                                           ' '), lambda w: length(w) > 1)) AS address_tokens,
    -- blocking keys (`blocking.py`): initials, a postcode's district (the whole
    -- postcode of another country), and two overlapping two-year periods of the record's
    -- date and of the year of birth, so that two years at most one apart share one of them
    left(s.forename1, 1) AS forename_initial,
    left(s.surname_clean, 1) AS surname_initial,
    coalesce(CASE WHEN regexp_matches(s.postcode_norm, '{UK_POSTCODE_SHAPE}')
                  THEN split_part(s.postcode_norm, ' ', 1) END, s.postcode_norm) AS postcode_area,
    year(s.event_date) // 2 AS event_period,
    (year(s.event_date) + 1) // 2 AS event_period_shifted,
    coalesce(s.y, s.event_year - s.age_at_offence) // 2 AS birth_period,
    (coalesce(s.y, s.event_year - s.age_at_offence) + 1) // 2 AS birth_period_shifted,
    s.phone_e164 AS phone,
    nullif(upper(trim(s.nominal_id)), '') AS nominal_id,
    nullif(s.care_setting_folded, '') AS care_setting,
    -- when the record was made about: the case's offence (or report) date, the day a
    -- child went missing; with the care setting, "at the same home at the same time"
    s.event_date,
    -- Columns as recorded (only folded), for the baseline model.
    nullif(s.forenames_folded, '') AS forenames_raw,
    nullif(s.surname_folded, '') AS surname_raw,
    nullif(trim(s.date_of_birth), '') AS dob_raw,
    (s.forenames IS NOT NULL OR s.surname_clean IS NOT NULL OR s.y IS NOT NULL) AS identifiable
FROM shaped s
LEFT JOIN aliases a ON a.record_id = s.record_id
LEFT JOIN {_NAMES} n1 ON n1.value = s.forename1
LEFT JOIN {_NAMES} nsur ON nsur.value = s.surname_clean
ORDER BY s.record_id
"""


def build_records(con: duckdb.DuckDBPyConnection) -> int:
    """Create `resolve_records` from `people` and `missing_episodes`; returns its size."""
    _create_source(con)
    _create_name_lookup(con)
    con.execute(_RECORDS_SQL)
    add_block_sizes(con, RECORDS_TABLE, CAPPED_RULES)
    con.execute(f"DROP TABLE IF EXISTS {_SOURCE}")
    con.execute(f"DROP TABLE IF EXISTS {_NAMES}")
    return count(con, f"SELECT count(*) FROM {RECORDS_TABLE}")
