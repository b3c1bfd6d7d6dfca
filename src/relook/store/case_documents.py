"""One JSON document per case and run, and one per network: everything the case page
reads about the case.

A run's results never change, so the import assembles, per case, its people, the other
cases of the same people, notes, leads, language flags, the victims' missing episodes,
vehicles and places, in one DuckDB query; and per network, its cases, suspects and the
identifiers that join it, in another. The case page then reads one row of each instead
of a dozen (which matters most on PostgreSQL, where each is a round trip).

This is the only build of the document; `relook.review.case_document` parses it. Beside
the records themselves it carries, for each person, the facts need to know turns on
(`relook.review.visibility`): whether the resolved person is a victim on any case and
whether they are the child of any missing-episode record; and, for the case, every
address and postcode its protected persons have on any record (`protected_places`).

    create_cases_view(con, tables)   # first, on the run's analysis database
    con.execute(documents_sql(tables))  # then: (case_id, document) per case
    con.execute(network_documents_sql())  # and (network_id, document) per network
"""

from __future__ import annotations

import duckdb

CASES_VIEW = "_review_cases"
"""A temporary table of case facts (case_id, network_id, priority_band, in_scope_wider,
reported_on), made by `create_cases_view` before documents are built."""
PEOPLE_VIEW = "_review_people"
"""A temporary table of every people mention with its person_id and whether that person
is a victim on any case (`victim_in_any_case`) or the child of a missing-episode record
(`reported_missing`): need to know turns on both. Made by `create_cases_view`, read by
the case and the network documents alike."""


def _optional(tables: dict[str, set[str]], table: str, columns: dict[str, str]) -> str:
    """`struct_pack` fields for a table whose columns may be missing (NULL then)."""
    present = tables.get(table, set())
    return ", ".join(
        f"{name} := {source if source.strip(chr(34)) in present else 'NULL'}"
        for name, source in columns.items()
    )


def documents_sql(tables: dict[str, set[str]]) -> str:
    """(case_id, document JSON text) for every case."""
    leads = ""
    leads_join = ""
    lead_episodes = ""
    if "leads" in tables:
        fields = _optional(
            tables,
            "leads",
            {n: f'"{n}"' for n in ("lead_id", "kind", "detail", "evidence", "source_table",
                                    "source_id", "source_field", "span_start", "span_end",
                                    "strength", "reasons", "rank", "on_page")},
        )  # fmt: skip
        # Strongest first when the run ranked its leads (issue 11), else by id as before.
        order = '"rank", lead_id' if "rank" in tables["leads"] else "lead_id"
        leads = f""",
        leads_doc AS (
            SELECT case_id, list(struct_pack({fields}) ORDER BY {order}) AS leads
            FROM leads WHERE lead_id IS NOT NULL GROUP BY case_id
        )"""
        leads_join = "LEFT JOIN leads_doc ld ON ld.case_id = rc.case_id"
        lead_episodes = """
            UNION SELECT case_id, source_id FROM leads
            WHERE source_table = 'missing_episodes' AND source_id IS NOT NULL"""
    flags = ""
    flags_join = ""
    if "language" in tables:
        columns = tables["language"]
        start = '"span_start"' if "span_start" in columns else '"start"'
        end = '"span_end"' if "span_end" in columns else '"end"'
        fields = _optional(
            tables,
            "language",
            {"source_table": '"source_table"', "note_id": '"note_id"', "phrase": '"phrase"',
             "suggested_wording": '"suggested_wording"', "span_start": start, "span_end": end},
        )  # fmt: skip
        order = f'"note_id" NULLS FIRST, {start}' if "note_id" in columns else start
        flags = f""",
        flags_doc AS (
            SELECT case_id, list(struct_pack({fields}) ORDER BY {order}) AS flags
            FROM language GROUP BY case_id
        )"""
        flags_join = "LEFT JOIN flags_doc fd ON fd.case_id = rc.case_id"
    return f"""
    WITH protected_homes AS (
        SELECT DISTINCT c.case_id, r.address, r.postcode
        FROM (
            SELECT DISTINCT case_id, person_id FROM {PEOPLE_VIEW}
            WHERE person_id IS NOT NULL AND (victim_in_any_case OR reported_missing)
        ) c
        JOIN {PEOPLE_VIEW} r ON r.person_id = c.person_id
        WHERE r.address IS NOT NULL OR r.postcode IS NOT NULL
    ),
    protected_places_doc AS (
        SELECT case_id, list(struct_pack(address := address, postcode := postcode)
                             ORDER BY address NULLS LAST, postcode NULLS LAST) AS protected_places
        FROM protected_homes GROUP BY case_id
    ),
    people_doc AS (
        SELECT case_id, list(struct_pack(
            mention_id := mention_id, role := role, forenames := forenames, surname := surname,
            aliases := aliases, date_of_birth := date_of_birth, age_at_offence := age_at_offence,
            address := address, postcode := postcode, phone := phone, nominal_id := nominal_id,
            relationship_to_victim := relationship_to_victim, in_care := in_care,
            care_setting := care_setting, person_id := person_id,
            victim_in_any_case := victim_in_any_case, reported_missing := reported_missing
        ) ORDER BY role, mention_id) AS people
        FROM {PEOPLE_VIEW} GROUP BY case_id
    ),
    appearance_rows AS (
        SELECT DISTINCT a.case_id, b.person_id, b.role, b.case_id AS other_case,
            rc.reported_on, rc.network_id
        FROM {PEOPLE_VIEW} a
        JOIN {PEOPLE_VIEW} b ON b.person_id = a.person_id AND b.case_id <> a.case_id
        JOIN {CASES_VIEW} rc ON rc.case_id = b.case_id
        WHERE a.person_id IS NOT NULL
    ),
    appearances_doc AS (
        SELECT case_id, list(struct_pack(
            person_id := person_id, role := role, case_id := other_case,
            reported_on := reported_on, network_id := network_id
        ) ORDER BY reported_on NULLS LAST, other_case, person_id, role) AS appearances
        FROM appearance_rows GROUP BY case_id
    ),
    notes_doc AS (
        SELECT case_id, list(struct_pack(
            note_id := note_id, recorded_on := recorded_on, author_role := author_role,
            text := text
        ) ORDER BY recorded_on NULLS LAST, note_id) AS notes
        FROM notes GROUP BY case_id
    ),
    episode_links AS (
        SELECT DISTINCT v.case_id, pe.record_id AS episode_id
        FROM {PEOPLE_VIEW} v JOIN persons pe ON pe.person_id = v.person_id
        WHERE v.role = 'victim' AND v.person_id IS NOT NULL{lead_episodes}
    ),
    episodes_doc AS (
        SELECT l.case_id, list(struct_pack(
            episode_id := e.episode_id, person_id := r.person_id, forenames := e.forenames,
            surname := e.surname, care_setting := e.care_setting,
            missing_from := e.missing_from, returned_at := e.returned_at,
            found_location := e.found_location, found_with := e.found_with
        ) ORDER BY e.missing_from NULLS LAST, e.episode_id) AS episodes
        FROM episode_links l
        JOIN missing_episodes e ON e.episode_id = l.episode_id
        LEFT JOIN persons r ON r.record_id = e.episode_id
        GROUP BY l.case_id
    ),
    vehicles_doc AS (
        SELECT case_id, list(struct_pack(
            vehicle_id := vehicle_id, vrm := vrm, make := make, model := model,
            colour := colour, mention_id := mention_id, context := context
        ) ORDER BY vehicle_id) AS vehicles
        FROM vehicles GROUP BY case_id
    ),
    locations_doc AS (
        SELECT case_id, list(struct_pack(
            location_id := location_id, kind := kind, name := name, address := address,
            postcode := postcode, mention_id := mention_id
        ) ORDER BY location_id) AS locations
        FROM locations GROUP BY case_id
    ){leads}{flags}
    SELECT rc.case_id, to_json(struct_pack(
        people := pd.people, appearances := ad.appearances, notes := nd.notes,
        leads := {"ld.leads" if leads else "NULL"}, flags := {"fd.flags" if flags else "NULL"},
        episodes := ed.episodes, vehicles := vd.vehicles, locations := lo.locations,
        protected_places := pp.protected_places
    ))::VARCHAR AS document
    FROM {CASES_VIEW} rc
    LEFT JOIN people_doc pd ON pd.case_id = rc.case_id
    LEFT JOIN appearances_doc ad ON ad.case_id = rc.case_id
    LEFT JOIN notes_doc nd ON nd.case_id = rc.case_id
    LEFT JOIN episodes_doc ed ON ed.case_id = rc.case_id
    LEFT JOIN vehicles_doc vd ON vd.case_id = rc.case_id
    LEFT JOIN locations_doc lo ON lo.case_id = rc.case_id
    LEFT JOIN protected_places_doc pp ON pp.case_id = rc.case_id
    {leads_join}
    {flags_join}
    ORDER BY rc.case_id
    """


def network_documents_sql() -> str:
    """(network_id, document JSON text) for every network: its size, the identifiers that
    join it, its cases and its suspects. Stored once per network, not in each of its
    cases' documents: copied into every case, a network of 20,000 cases (a generated
    150,000-case force has one) made 400 million entries and ran the import out of
    memory."""
    return f"""
    WITH network_cases AS (
        SELECT network_id, list(struct_pack(
            case_id := case_id, priority_band := priority_band, in_scope_wider := in_scope_wider
        ) ORDER BY case_id) AS cases
        FROM {CASES_VIEW} WHERE network_id IS NOT NULL GROUP BY network_id
    ),
    network_suspect_list AS (
        SELECT network_id, list(struct_pack(
            person_id := person_id, betweenness := betweenness
        ) ORDER BY betweenness DESC, person_id) AS suspects
        FROM network_suspects GROUP BY network_id
    ),
    suspect_names AS (
        SELECT rc.network_id, s.person_id,
            first(coalesce(nullif(concat_ws(' ', s.forenames, s.surname), ''),
                           '(name not recorded)') ORDER BY s.mention_id) AS name,
            bool_or(s.victim_in_any_case) AS victim_in_any_case,
            bool_or(s.reported_missing) AS reported_missing
        FROM {PEOPLE_VIEW} s JOIN {CASES_VIEW} rc ON rc.case_id = s.case_id
        WHERE s.role = 'suspect' AND s.person_id IS NOT NULL AND rc.network_id IS NOT NULL
        GROUP BY rc.network_id, s.person_id
    ),
    network_names AS (
        SELECT network_id, list(struct_pack(
            person_id := person_id, name := name, victim_in_any_case := victim_in_any_case,
            reported_missing := reported_missing
        ) ORDER BY person_id) AS names
        FROM suspect_names GROUP BY network_id
    )
    SELECT ns.network_id, to_json(struct_pack(
        network_id := ns.network_id, n_cases := ns.n_cases, n_suspects := ns.n_suspects,
        n_victims := ns.n_victims, linking_identifiers := ns.linking_identifiers,
        supporting_identifiers := ns.supporting_identifiers, cases := nc.cases,
        suspects := nsl.suspects, names := nn.names
    ))::VARCHAR AS document
    FROM network_summary ns
    LEFT JOIN network_cases nc ON nc.network_id = ns.network_id
    LEFT JOIN network_suspect_list nsl ON nsl.network_id = ns.network_id
    LEFT JOIN network_names nn ON nn.network_id = ns.network_id
    ORDER BY ns.network_id
    """


def create_cases_view(con: duckdb.DuckDBPyConnection, tables: dict[str, set[str]]) -> None:
    """The temporary tables of case facts and of people the documents queries join,
    `CASES_VIEW` and `PEOPLE_VIEW`: made once for both queries (a temporary table is
    allowed on the read-only analysis database)."""
    priorities = tables.get("priorities", set())
    band = "CAST(p.band AS VARCHAR)" if "band" in priorities else "NULL::VARCHAR"
    join = "LEFT JOIN priorities p ON p.case_id = c.case_id" if priorities else ""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CASES_VIEW} AS
        SELECT c.case_id, n.network_id, {band} AS priority_band,
            coalesce(s.in_scope_wider, false) AS in_scope_wider, c.reported_on
        FROM cases c
        LEFT JOIN screening s ON s.case_id = c.case_id
        LEFT JOIN networks n ON n.case_id = c.case_id
        {join}"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {PEOPLE_VIEW} AS
        WITH resolved AS (
            SELECT p.*, r.person_id FROM people p LEFT JOIN persons r ON r.record_id = p.mention_id
        ),
        victims_anywhere AS (
            SELECT DISTINCT person_id FROM resolved
            WHERE role = 'victim' AND person_id IS NOT NULL
        ),
        missing_children AS (
            SELECT DISTINCT r.person_id
            FROM missing_episodes e JOIN persons r ON r.record_id = e.episode_id
            WHERE r.person_id IS NOT NULL
        )
        SELECT p.*, va.person_id IS NOT NULL AS victim_in_any_case,
            mc.person_id IS NOT NULL AS reported_missing
        FROM resolved p
        LEFT JOIN victims_anywhere va ON va.person_id = p.person_id
        LEFT JOIN missing_children mc ON mc.person_id = p.person_id"""
    )
