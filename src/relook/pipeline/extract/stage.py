"""The extract stage: every identifier and known name written in free text (`text_mentions`).

Sources: notes (`text`), case summaries (`summary`) and missing-episode records
(`found_with`, `found_location`). Found: registration marks, phone numbers, postcodes
(`text_identifiers`), names and aliases of every suspect resolved anywhere in the dataset
with their spelling variants, and the dataset's known places (`name_matcher`); and other
full names and named places that match none of those (`written_only`).

Name variants: a suspect recorded as "Mohammed Khan" is also looked for under every
forename of the same nickname or transliteration group, from the dataset itself and from
the shipped variant and nickname tables ("Muhammad Khan", "Mo Khan"), and under each
alias of two or more
words, or of one word of four or more letters written with a capital ("Sunny", not "a
sunny day"). A one-word alias that is also somebody's forename in the dataset ("Jess")
would name too many people, and a short one ("Mo") is too common a word: neither is used.

Writes `text_mentions(source_table, source_id, source_field, case_id, kind, value, written,
span_start, span_end)`; `case_id` is the record's case for notes and summaries and NULL
for missing episodes, which are tied to cases through their child (see leads).
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pyarrow as pa

from relook.engine.duckdb_engine import arrow_view
from relook.engine.sql import column_values, one_row
from relook.normalise.names import forename_group, forename_variants, is_placeholder_name
from relook.pipeline.extract.name_matcher import NameMatcher
from relook.pipeline.extract.text_identifiers import find_identifiers
from relook.pipeline.extract.written_only import WrittenOnlyFinder

BATCH_ROWS = 20_000
MIN_SINGLE_WORD_ALIAS = 4

SOURCES_SQL = """
SELECT 'notes' AS source_table, note_id AS source_id, 'text' AS source_field, case_id, text
FROM notes WHERE text IS NOT NULL
UNION ALL
SELECT 'cases', case_id, 'summary', case_id, summary FROM cases WHERE summary IS NOT NULL
UNION ALL
SELECT 'missing_episodes', episode_id, 'found_with', NULL, found_with
FROM missing_episodes WHERE found_with IS NOT NULL
UNION ALL
SELECT 'missing_episodes', episode_id, 'found_location', NULL, found_location
FROM missing_episodes WHERE found_location IS NOT NULL
ORDER BY 1, 2, 3
"""


def _suspect_names(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, list[str]]]:
    rows = con.execute(
        """SELECT DISTINCT r.person_id, p.forenames_folded, p.surname_folded,
               coalesce(p.aliases_folded, [])
           FROM people p JOIN persons r ON r.record_id = p.mention_id
           WHERE p.role = 'suspect' ORDER BY ALL"""
    ).fetchall()
    return [(str(a), b, c, list(d)) for a, b, c, d in rows]


def _forename_variants(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Every forename in the data, grouped by nickname / transliteration group."""
    names = column_values(
        con,
        "SELECT DISTINCT forenames_folded FROM people WHERE forenames_folded IS NOT NULL"
        " UNION SELECT DISTINCT forenames_folded FROM missing_episodes"
        " WHERE forenames_folded IS NOT NULL ORDER BY 1",
    )
    groups: dict[str, set[str]] = {}
    for name in names:
        first = name.split()[0]
        groups.setdefault(forename_group(first), set()).add(first)
    return groups


def name_terms(
    con: duckdb.DuckDBPyConnection, capitalised: set[str]
) -> Iterator[tuple[str, str, str]]:
    """(kind, term, person_id) for every suspect; one-word aliases go into `capitalised`."""
    variants = _forename_variants(con)
    forenames_known = {name for group in variants.values() for name in group}
    for person_id, forenames, surname, aliases in _suspect_names(con):
        if surname and forenames and not is_placeholder_name(f"{forenames} {surname}"):
            first = forenames.split()[0]
            yield "name", f"{forenames} {surname}", person_id
            spellings = variants.get(forename_group(first), set()) | forename_variants(first)
            for variant in sorted(spellings):
                yield "name", f"{variant} {surname}", person_id
        for alias in aliases:
            if is_placeholder_name(alias):
                continue
            if " " in alias:
                yield "name", alias, person_id
            elif len(alias) >= MIN_SINGLE_WORD_ALIAS and alias not in forenames_known:
                capitalised.add(alias)
                yield "name", alias, person_id


def place_terms(con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, str, str]]:
    rows = con.execute(
        "SELECT DISTINCT name_folded FROM locations WHERE name_folded IS NOT NULL ORDER BY 1"
    ).fetchall()
    for (name,) in rows:
        yield "place", name, name


def written_only_finder(con: duckdb.DuckDBPyConnection) -> WrittenOnlyFinder:
    """Forenames and surnames known anywhere in the dataset, for spotting other names."""
    tokens = one_row(
        con,
        """SELECT list(DISTINCT split_part(forenames_folded, ' ', 1)) AS forenames,
                  list(DISTINCT surname_folded) AS surnames
           FROM (SELECT forenames_folded, surname_folded FROM people
                 UNION ALL SELECT forenames_folded, surname_folded FROM missing_episodes)""",
    )
    forenames, surnames = tokens["forenames"] or [], tokens["surnames"] or []
    return WrittenOnlyFinder(
        (n for n in forenames if n and not is_placeholder_name(n)),
        (n for n in surnames if n and not is_placeholder_name(n)),
    )


def _mentions(
    matcher: NameMatcher, others: WrittenOnlyFinder, batch: pa.RecordBatch
) -> Iterator[tuple[object, ...]]:
    columns = batch.to_pydict()
    for table, source_id, field, case_id, text in zip(
        columns["source_table"], columns["source_id"], columns["source_field"],
        columns["case_id"], columns["text"], strict=True,
    ):  # fmt: skip
        for found in find_identifiers(text):
            yield (table, source_id, field, case_id, found.kind, found.value, found.written,
                   found.start, found.end)  # fmt: skip
        hits = matcher.find(text)
        for hit in hits:
            for value in hit.values:
                yield (table, source_id, field, case_id, hit.kind, value, hit.written,
                       hit.start, hit.end)  # fmt: skip
        for other in others.find(text):
            if not any(h.start < other.end and other.start < h.end for h in hits):
                yield (table, source_id, field, case_id, other.kind, other.value, other.written,
                       other.start, other.end)  # fmt: skip


def build_text_mentions(con: duckdb.DuckDBPyConnection) -> int:
    capitalised: set[str] = set()
    terms = [*name_terms(con, capitalised), *place_terms(con)]
    matcher = NameMatcher(terms, capitalised)
    others = written_only_finder(con)
    con.execute(
        "CREATE OR REPLACE TABLE text_mentions (source_table VARCHAR, source_id VARCHAR,"
        " source_field VARCHAR, case_id VARCHAR, kind VARCHAR, value VARCHAR, written VARCHAR,"
        " span_start INTEGER, span_end INTEGER)"
    )
    rows: list[tuple[object, ...]] = []
    for batch in con.sql(SOURCES_SQL).to_arrow_reader(BATCH_ROWS):
        rows.extend(_mentions(matcher, others, batch))
    if rows:
        columns = list(zip(*rows, strict=True))
        names = ["source_table", "source_id", "source_field", "case_id", "kind", "value",
                 "written", "span_start", "span_end"]  # fmt: skip
        types = [pa.string()] * 7 + [pa.int32(), pa.int32()]
        table = pa.Table.from_arrays(
            [pa.array(c, type=t) for c, t in zip(columns, types, strict=True)], names=names
        )
        with arrow_view(con, "_text_mentions", table):
            con.execute("INSERT INTO text_mentions SELECT * FROM _text_mentions")
    return len(rows)
