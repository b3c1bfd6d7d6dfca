"""Copy a completed run's review-relevant results from the analysis database into the store.

    import_run(store, analysis_db, run_id, run_document)

The results are keyed by `run_id`, so a new run adds a set beside the earlier ones (every
run is kept) and the queue switches to it when the import commits (one transaction: a
failed import leaves the store as it was). A run id names one set of results: importing
it again with the same results makes it the newest run once more; with different results
the import is refused. Human decisions (assessments, assignments, judgements) are keyed
by case and record ids, not by run, and are never touched here.

The tables `priorities`, `leads` and `language` are optional: a run without them still
imports, the queue then orders cases by a provisional rank (narrower scope first, then
the size of the case's network, then the most recent outcome) and shows no bands.

Protected characteristics (ethnicity, nationality, sex) are not copied: the review does
not need them and they stay in the analysis database for aggregate reporting only.

Rows are written in bulk (COPY on PostgreSQL, executemany on SQLite): a 9,000-case
force imports in a few seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import Connection, Table, func, insert, select, update

from relook.errors import RelookError
from relook.security import audit
from relook.security.audit import SYSTEM, AuditAction
from relook.store import case_documents
from relook.store.clock import now_iso
from relook.store.engine import Store
from relook.store.tables import (
    RUN_RESULT_TABLES,
    runs,
)


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    rows = con.execute("SELECT table_name, column_name FROM duckdb_columns()").fetchall()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(table, set()).add(column)
    return found


def _column(available: set[str], name: str, fallback: str = "NULL") -> str:
    return f'"{name}"' if name in available else fallback


def _cases_sql(tables: dict[str, set[str]]) -> str:
    pri = tables.get("priorities")
    leads = "leads" in tables
    language = "language" in tables
    if pri and "rank" in pri:
        rank = "pri.rank"
    else:
        # Provisional order until prioritisation runs; see the module docstring.
        rank = (
            "CASE WHEN s.in_scope_wider THEN row_number() OVER (PARTITION BY s.in_scope_wider"
            " ORDER BY s.in_scope_narrower DESC, coalesce(net.n_cases, 0) DESC,"
            " c.outcome_on DESC NULLS LAST, c.case_id) END"
        )
    # Casts: a score may arrive as DECIMAL, which neither store driver takes as a float.
    types = {"rank": "BIGINT", "score": "DOUBLE", "band": "VARCHAR", "reasons": "VARCHAR"}
    pri_join = (
        "LEFT JOIN (SELECT case_id, "
        + ", ".join(f"CAST({_column(pri, n)} AS {t}) AS {n}" for n, t in types.items())
        + " FROM priorities) pri ON pri.case_id = c.case_id"
        if pri
        else ""
    )
    pri_cols = "pri.score, pri.band, pri.reasons" if pri else "NULL, NULL, NULL"
    lead_counts = (
        ", lc AS (SELECT case_id, count(*) AS n FROM leads GROUP BY case_id)" if leads else ""
    )
    flag_counts = (
        ", fc AS (SELECT case_id, count(*) AS n FROM language GROUP BY case_id)" if language else ""
    )
    return f"""
        WITH roles AS (
            SELECT case_id,
                   count(*) FILTER (WHERE role = 'victim') AS n_victims,
                   count(*) FILTER (WHERE role = 'suspect') AS n_suspects
            FROM people GROUP BY case_id
        ),
        net AS (
            SELECT n.case_id, n.network_id, s.n_cases
            FROM networks n JOIN network_summary s ON s.network_id = n.network_id
        )
        {lead_counts}
        {flag_counts}
        SELECT c.case_id, c.force, c.area, c.reported_on, c.offence_from, c.offence_to,
               c.offence_code, c.offence_title, c.cse_flag, c.setting, c.outcome_code,
               c.outcome_on, c.outcome_by, c.summary,
               coalesce(s.in_scope_wider, false) AS in_scope_wider,
               coalesce(s.in_scope_narrower, false) AS in_scope_narrower,
               s.category, s.reasons, s.rules_version,
               net.network_id, coalesce(net.n_cases, 0),
               {rank}, {pri_cols},
               coalesce(roles.n_victims, 0), coalesce(roles.n_suspects, 0),
               {"coalesce(lc.n, 0)" if leads else "0"}, {"coalesce(fc.n, 0)" if language else "0"}
        FROM cases c
        LEFT JOIN screening s ON s.case_id = c.case_id
        LEFT JOIN net ON net.case_id = c.case_id
        LEFT JOIN roles ON roles.case_id = c.case_id
        {pri_join}
        {"LEFT JOIN lc ON lc.case_id = c.case_id" if leads else ""}
        {"LEFT JOIN fc ON fc.case_id = c.case_id" if language else ""}
        ORDER BY c.case_id
    """


def _leads_sql(columns: set[str]) -> str:
    names = (
        "lead_id",
        "case_id",
        "kind",
        "detail",
        "evidence",
        "source_table",
        "source_id",
        "source_field",
        "span_start",
        "span_end",
    )
    selected = ", ".join(f"{_column(columns, n)}" for n in names)
    return f"SELECT {selected} FROM leads WHERE lead_id IS NOT NULL ORDER BY lead_id"


def _language_sql(columns: set[str]) -> str:
    start = _column(columns, "span_start", _column(columns, "start"))
    end = _column(columns, "span_end", _column(columns, "end"))
    source = _column(columns, "source_table", "'notes'")
    note = _column(columns, "note_id")
    return (
        f"SELECT row_number() OVER (ORDER BY case_id, {note} NULLS FIRST, {start}),"
        f" {source}, {note}, case_id, {_column(columns, 'phrase')},"
        f" {_column(columns, 'suggested_wording')}, {start}, {end} FROM language"
    )


SOURCES: dict[str, str] = {
    "run_people": """
        SELECT p.mention_id, p.case_id, p.role, p.forenames, p.surname, p.aliases,
               p.date_of_birth, p.age_at_offence, p.address, p.postcode, p.phone, p.nominal_id,
               p.relationship_to_victim, p.in_care, p.care_setting,
               r.person_id, r.match_probability, r.cluster_size
        FROM people p LEFT JOIN persons r ON r.record_id = p.mention_id
        ORDER BY p.mention_id
    """,
    "run_episodes": """
        SELECT e.episode_id, e.forenames, e.surname, e.date_of_birth, e.care_setting,
               e.missing_from, e.returned_at, e.found_location, e.found_with,
               r.person_id, r.match_probability, r.cluster_size
        FROM missing_episodes e LEFT JOIN persons r ON r.record_id = e.episode_id
        ORDER BY e.episode_id
    """,
    "run_vehicles": """
        SELECT vehicle_id, case_id, vrm, vrm_canonical, make, model, colour, mention_id, context
        FROM vehicles ORDER BY vehicle_id
    """,
    "run_locations": """
        SELECT location_id, case_id, kind, name, address, postcode, mention_id
        FROM locations ORDER BY location_id
    """,
    "run_notes": """
        SELECT note_id, case_id, recorded_on, author_role, text FROM notes ORDER BY note_id
    """,
    "run_networks": """
        SELECT network_id, n_cases, n_suspects, n_victims, linking_identifiers,
               supporting_identifiers
        FROM network_summary ORDER BY network_id
    """,
    "run_network_suspects": """
        SELECT network_id, person_id, n_cases, degree, betweenness
        FROM network_suspects ORDER BY network_id, person_id
    """,
}


@dataclass(frozen=True)
class _Extract:
    rows: list[tuple[Any, ...]]
    columns: tuple[str, ...]
    temporal: tuple[int, ...]
    """Positions of DATE / TIMESTAMP columns (SQLite needs them as text)."""

    def position(self, column: str) -> int:
        return self.columns.index(column)


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> _Extract:
    result = con.execute(sql)
    description = result.description or []
    temporal = tuple(
        i
        for i, column in enumerate(description)
        if str(column[1]).upper().startswith(("DATE", "TIMESTAMP"))
    )
    return _Extract(result.fetchall(), tuple(str(c[0]) for c in description), temporal)


def _sqlite_rows(run_id: str, extract: _Extract) -> Iterator[tuple[Any, ...]]:
    """Rows with dates as the text SQLAlchemy stores for Date / DateTime on SQLite."""
    if not extract.temporal:
        for row in extract.rows:
            yield (run_id, *row)
        return
    for row in extract.rows:
        values = list(row)
        for i in extract.temporal:
            value = values[i]
            if isinstance(value, dt.datetime):
                values[i] = value.strftime("%Y-%m-%d %H:%M:%S.%f")
            elif value is not None:
                values[i] = value.isoformat()
        yield (run_id, *values)


def _write_rows(connection: Connection, table: Table, run_id: str, extract: _Extract) -> None:
    rows = extract.rows
    if not rows:
        return
    columns = [c.name for c in table.columns]
    column_list = ", ".join(f'"{c}"' for c in columns)
    driver: Any = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({column_list}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row((run_id, *row))
        return
    if connection.dialect.name == "sqlite":
        # The driver's executemany on plain tuples is several times faster than going
        # through SQLAlchemy's per-row parameter processing.
        placeholders = ", ".join("?" for _ in columns)
        cursor = driver.cursor()
        try:
            cursor.executemany(
                f"INSERT INTO {table.name} ({column_list}) VALUES ({placeholders})",
                _sqlite_rows(run_id, extract),
            )
        finally:
            cursor.close()
        return
    connection.execute(
        insert(table), [dict(zip(columns, (run_id, *row), strict=True)) for row in rows]
    )


class RunConflict(RelookError):
    """The store already holds a run with this id and different results."""


def _content_digest(extracted: dict[str, _Extract]) -> str:
    """sha256 of every row the run would put in the store, table by table: equal only
    for the same results."""
    digest = hashlib.sha256()
    for name in sorted(extracted):
        digest.update(name.encode())
        for row in extracted[name].rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _extract(analysis_db: Path) -> tuple[dict[str, _Extract], dict[str, set[str]]]:
    con = duckdb.connect(str(analysis_db), read_only=True)
    try:
        tables = _tables(con)
        extracted = {"run_cases": _fetch(con, _cases_sql(tables))}
        for target, sql in SOURCES.items():
            extracted[target] = _fetch(con, sql)
        if "leads" in tables:
            extracted["run_leads"] = _fetch(con, _leads_sql(tables["leads"]))
        if "language" in tables:
            extracted["run_language"] = _fetch(con, _language_sql(tables["language"]))
        case_documents.create_cases_view(con, tables)
        extracted["run_case_documents"] = _fetch(con, case_documents.documents_sql(tables))
        extracted["run_network_documents"] = _fetch(con, case_documents.network_documents_sql())
    finally:
        con.close()
    return extracted, tables


def _next_sequence(connection: Connection) -> int:
    latest = connection.execute(select(func.coalesce(func.max(runs.c.sequence), 0))).scalar_one()
    return int(latest) + 1


def import_run(store: Store, analysis_db: Path, run_id: str, run_document: dict[str, Any]) -> None:
    """Copy the results of the completed run `run_id` (saved in `analysis_db`) into the
    store, as the newest run, in one transaction; see the module docstring.

    A run id the store already holds is taken again only with the same results (it then
    becomes the newest run once more); with different results it is refused (RunConflict),
    since one id must never stand for two sets of results."""
    extracted, tables = _extract(analysis_db)
    content = _content_digest(extracted)
    with store.write() as connection:
        held = connection.execute(
            select(runs.c.content_digest).where(runs.c.run_id == run_id)
        ).first()
        if held is not None:
            _take_again(connection, run_id, held.content_digest, content)
        else:
            _insert_run(connection, run_id, run_document, extracted, tables, content)
    _refresh_statistics(store)


def _take_again(connection: Connection, run_id: str, held: str | None, content: str) -> None:
    if held != content:
        raise RunConflict(
            f"the store already holds run {run_id} with different results"
            f" (held {str(held)[:12]}, new {content[:12]}); a run id stands for one set of"
            " results, so this import is refused and the store is unchanged"
        )
    connection.execute(
        update(runs)
        .where(runs.c.run_id == run_id)
        .values(sequence=_next_sequence(connection), imported_at=now_iso())
    )
    _record_import(connection, run_id, {"repeat": True, "content_digest": content})


def _insert_run(
    connection: Connection,
    run_id: str,
    run_document: dict[str, Any],
    extracted: dict[str, _Extract],
    tables: dict[str, set[str]],
    content: str,
) -> None:
    by_name = {table.name: table for table in RUN_RESULT_TABLES}
    for name, extract in extracted.items():
        _write_rows(connection, by_name[name], run_id, extract)
    cases = extracted["run_cases"]
    in_scope = cases.position("in_scope_wider")
    rules_version = run_document.get("rules_version")
    connection.execute(
        insert(runs).values(
            run_id=run_id,
            sequence=_next_sequence(connection),
            status="complete",
            started_at=run_document.get("started_at"),
            imported_at=now_iso(),
            relook_version=run_document.get("relook_version"),
            rules_version=json.dumps(rules_version, sort_keys=True)
            if rules_version is not None
            else None,
            rules_digest=run_document.get("rules_digest"),
            content_digest=content,
            n_cases=len(cases.rows),
            n_in_scope=sum(1 for row in cases.rows if row[in_scope]),
            has_priorities="priorities" in tables,
            has_leads="leads" in tables,
            has_language="language" in tables,
            document=json.dumps(run_document, sort_keys=True, default=str),
        )
    )
    detail: dict[str, Any] = {name: len(extract.rows) for name, extract in extracted.items()}
    _record_import(connection, run_id, {**detail, "content_digest": content})


def _record_import(connection: Connection, run_id: str, detail: dict[str, Any]) -> None:
    audit.append(
        connection, SYSTEM, AuditAction.RUN_IMPORTED, object_type="run", object_id=run_id,
        detail=detail,
    )  # fmt: skip


def _refresh_statistics(store: Store) -> None:
    """Tell the query planner what the new rows look like. Without statistics SQLite
    walks a whole run's rows in primary-key order for a query on one case (to save a
    sort of a dozen rows): the case page took 15 ms instead of 2. On PostgreSQL, VACUUM
    also marks the new rows all-visible, so the queue counts from its index alone."""
    names = ", ".join(table.name for table in RUN_RESULT_TABLES)
    if store.is_sqlite:
        with store.write() as connection:
            connection.exec_driver_sql("ANALYZE")
        return
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM (ANALYZE) {names}")
