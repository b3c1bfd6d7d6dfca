"""The queue, the case page (pseudonyms, reveal, graph data), person page, audit pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
from sqlalchemy import func, select
from web_site import Site

from relook.review import assignments
from relook.review.queue import PAGE_SIZE
from relook.review.run_import import import_run
from relook.store.tables import audit_log, run_cases, run_people


def _victims(site: Site, case_id: str) -> list[tuple[str, str]]:
    with site.store.read() as connection:
        rows = connection.execute(
            select(run_people.c.forenames, run_people.c.surname).where(
                run_people.c.run_id == site.run_id,
                run_people.c.case_id == case_id,
                run_people.c.role == "victim",
            )
        ).all()
    return [(r.forenames, r.surname) for r in rows if r.forenames and r.surname]


def _audited(site: Site, action: str, object_id: str) -> list[dict[str, object]]:
    with site.store.read() as connection:
        rows = connection.execute(
            select(audit_log).where(
                audit_log.c.action == action, audit_log.c.object_id == object_id
            )
        ).mappings()
        return [dict(r) for r in rows]


def test_queue_lists_in_scope_cases_by_priority_50_a_page(site: Site) -> None:
    supervisor = site.login("supervisor")
    ranked = site.in_scope_cases()
    first = supervisor.get("/queue")
    assert first.status_code == 200
    shown = re.findall(r'class="case-link">(C\d+)<', first.text)
    assert shown == ranked[:PAGE_SIZE]
    second = supervisor.get("/queue", params={"page": 2})
    assert (
        re.findall(r'class="case-link">(C\d+)<', second.text) == ranked[PAGE_SIZE : 2 * PAGE_SIZE]
    )
    # Filters: network membership and assignee; HTMX gets only the results.
    in_network = supervisor.get("/queue", params={"network": "any"})
    ids = re.findall(r'class="case-link">(C\d+)<', in_network.text)
    assert ids and set(ids) <= set(site.in_scope_cases(in_network=True))
    with site.store.write() as connection:
        assignments.assign(connection, site.run_id, ranked[:3], site.users["reviewer"].id,
                           by=site.users["supervisor"])  # fmt: skip
    mine = supervisor.get(
        "/queue", params={"assignee": str(site.users["reviewer"].id)}, headers={"HX-Request": "1"}
    )
    assert "<html" not in mine.text
    assert re.findall(r'class="case-link">(C\d+)<', mine.text) == ranked[:3]
    unassigned = supervisor.get("/queue", params={"status": "unassigned"})
    assert ranked[0] not in unassigned.text.split("case-link")[1]


def test_a_reviewer_sees_their_cases_and_opens_only_those_and_linked_ones(site: Site) -> None:
    networked = site.in_scope_cases(in_network=True)
    target = networked[0]
    with site.store.read() as connection:
        network_id = connection.execute(
            select(run_cases.c.network_id).where(
                run_cases.c.run_id == site.run_id, run_cases.c.case_id == target
            )
        ).scalar_one()
        linked = list(
            connection.execute(
                select(run_cases.c.case_id).where(
                    run_cases.c.run_id == site.run_id,
                    run_cases.c.network_id == network_id,
                    run_cases.c.case_id != target,
                )
            ).scalars()
        )
    unrelated = next(c for c in site.in_scope_cases(in_network=False))
    with site.store.write() as connection:
        assignments.assign(connection, site.run_id, [target], site.users["reviewer"].id,
                           by=site.users["supervisor"])  # fmt: skip
    reviewer = site.login("reviewer")
    queue = reviewer.get("/queue")
    assert re.findall(r'class="case-link">(C\d+)<', queue.text) == [target]  # opens on "mine"
    assert reviewer.get(f"/cases/{target}").status_code == 200
    assert reviewer.get(f"/cases/{linked[0]}").status_code == 200
    refused = reviewer.get(f"/cases/{unrelated}")
    assert refused.status_code == 403 and "not assigned to you" in refused.text


def test_victims_are_pseudonymised_until_revealed_with_a_reason(site: Site) -> None:
    case_id = next(c for c in site.in_scope_cases() if _victims(site, c))
    victims = _victims(site, case_id)
    analyst = site.login("analyst")
    page = analyst.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "Victim A" in page.text
    for forenames, surname in victims:
        assert f"{forenames} {surname}" not in page.text
        assert not re.search(rf"\b{re.escape(surname)}\b", page.text), surname
    assert _audited(site, "view_case", case_id)

    refused = analyst.post(f"/cases/{case_id}/reveal", {"reason": "short"})
    assert refused.status_code == 400
    revealed = analyst.post(
        f"/cases/{case_id}/reveal", {"reason": "checking the victim's later contact"}
    )
    assert revealed.status_code == 200
    assert f"{victims[0][0]} {victims[0][1]}" in revealed.text
    (entry,) = _audited(site, "reveal", case_id)
    assert entry["reason"] == "checking the victim's later contact"
    assert entry["actor"] == "analyst"
    # The reveal lasts for that response only.
    assert f"{victims[0][0]} {victims[0][1]}" not in analyst.get(f"/cases/{case_id}").text


def test_case_page_explains_scope_and_draws_the_network(site: Site) -> None:
    case_id = site.in_scope_cases(in_network=True)[0]
    page = site.login("supervisor").get(f"/cases/{case_id}")
    assert "Why this case is here" in page.text
    assert "Two or more distinct suspects" in page.text
    assert 'id="timeline"' in page.text and "Reported" in page.text
    data = re.search(
        r'<script type="application/json" id="network-data">(.*?)</script>', page.text, re.S
    )
    assert data
    elements = json.loads(data.group(1))
    cases = [e["data"] for e in elements if e["data"].get("kind") == "case"]
    assert any(c["current"] and c["label"] == case_id for c in cases)
    assert len(cases) >= 2 and all(c.get("href", "").startswith("/cases/") for c in cases)
    assert any(e["group"] == "edges" for e in elements)
    assert "/static/vendor/cytoscape.min.js" in page.text


def test_person_page_explains_the_match_and_takes_judgements(site: Site) -> None:
    with site.store.read() as connection:
        person_id, n = connection.execute(
            select(run_people.c.person_id, func.count())
            .where(run_people.c.run_id == site.run_id, run_people.c.role == "suspect")
            .group_by(run_people.c.person_id)
            .order_by(func.count().desc(), run_people.c.person_id)
            .limit(1)
        ).one()
        records = list(
            connection.execute(
                select(run_people.c.mention_id)
                .where(run_people.c.run_id == site.run_id, run_people.c.person_id == person_id)
                .order_by(run_people.c.mention_id)
            ).scalars()
        )
    assert n >= 2
    analyst = site.login("analyst")
    page = analyst.get(f"/persons/{person_id}")
    assert page.status_code == 200
    assert all(r in page.text for r in records)
    assert "✓ same" in page.text or "agree-same" in page.text
    explained = analyst.get(
        f"/persons/{person_id}/explain", params={"a": records[0], "b": records[1]}
    )
    assert explained.status_code == 200 and "Match probability" in explained.text
    assert "Prior (before any comparison)" in explained.text
    response = analyst.post(
        f"/persons/{person_id}/judgements",
        {"record_a": records[0], "record_b": records[1], "kind": "cannot_link",
         "reason": "different dates of birth on PNC"},
    )  # fmt: skip
    assert response.status_code == 303
    assert "different dates of birth on PNC" in analyst.get(f"/persons/{person_id}").text
    assert _audited(site, "judgement", f"{records[0]}+{records[1]}")
    # Reviewers and supervisors make no judgements.
    supervisor = site.login("supervisor")
    assert supervisor.post(f"/persons/{person_id}/judgements", {"record_a": records[0],
           "record_b": records[1], "kind": "must_link", "reason": "x" * 10}).status_code == 403  # fmt: skip


def test_a_judgements_reason_does_not_name_a_protected_person(site: Site) -> None:
    """An analyst's reason may name the child ("Leah is one child"); the page hides a
    protected person's names everywhere else, so in the reason too, until revealed."""
    with site.store.read() as connection:
        person_id, forenames, surname = connection.execute(
            select(run_people.c.person_id, run_people.c.forenames, run_people.c.surname)
            .where(
                run_people.c.run_id == site.run_id,
                run_people.c.role == "victim",
                run_people.c.forenames.is_not(None),
                run_people.c.surname.is_not(None),
            )
            .order_by(run_people.c.mention_id)
            .limit(1)
        ).one()
        record = (
            connection.execute(
                select(run_people.c.mention_id).where(
                    run_people.c.run_id == site.run_id, run_people.c.person_id == person_id
                )
            )
            .scalars()
            .first()
        )
        suspect, suspect_record = connection.execute(
            select(run_people.c.person_id, run_people.c.mention_id)
            .where(
                run_people.c.run_id == site.run_id,
                run_people.c.role == "suspect",
                run_people.c.surname != surname,
            )
            .order_by(run_people.c.mention_id)
            .limit(1)
        ).one()
    name = f"{forenames} {surname}"
    analyst = site.login("analyst")
    response = analyst.post(
        f"/persons/{person_id}/judgements",
        {"record_a": record, "record_b": suspect_record, "kind": "cannot_link",
         "reason": f"{name} is not the girl on the other case, per PNC"},
    )  # fmt: skip
    assert response.status_code == 303
    # on her page, and on the suspect's, where the judgement shows too
    for page_of in (person_id, suspect):
        page = analyst.get(f"/persons/{page_of}").text
        assert "is not the girl on the other case, per PNC" in page
        assert name.lower() not in page.lower()
        # on the suspect's page she is not lettered: "Victim A" there is the page's own
        other = "[another protected person] is not the girl" in page
        assert other == (page_of == suspect)
    # revealed on her page, the reason is shown as written
    revealed = analyst.post(
        f"/persons/{person_id}/reveal", {"reason": "checking the judgement against PNC"}
    )
    assert name.lower() in revealed.text.lower()


def test_auditor_browses_and_verifies_the_log(site: Site) -> None:
    analyst = site.login("analyst")
    case_id = site.in_scope_cases()[0]
    analyst.get(f"/cases/{case_id}")
    auditor = site.login("auditor")
    page = auditor.get("/audit", params={"object_id": case_id, "action": "view_case"})
    assert page.status_code == 200 and case_id in page.text and "analyst" in page.text
    assert auditor.get(f"/cases/{case_id}").status_code == 403
    verified = auditor.get("/audit/verify")
    assert "The trail is intact" in verified.text and "its seal vouches" in verified.text
    with site.store.read() as connection:
        views = connection.execute(
            select(func.count()).where(audit_log.c.action == "view_audit")
        ).scalar_one()
    assert views == 2  # the landing page after sign-in, and the filtered view


def test_runs_and_workload_pages(site: Site) -> None:
    supervisor = site.login("supervisor")
    runs = supervisor.get("/runs")
    assert site.run_id in runs.text and "current" in runs.text
    workload = supervisor.get("/workload")
    assert "reviewer2" in workload.text and "analyst" not in workload.text.split("<table")[1]


def _with_review_tables(site: Site, tmp_path: Path) -> tuple[str, str, str]:
    """A copy of the world's analysis database with priorities, leads and language flags
    for one case, imported as a new run. Returns (case id, note id, phrase)."""
    copy = tmp_path / "analysis.duckdb"
    con = duckdb.connect()
    con.execute(f"ATTACH '{site.world.analysis}' AS source (READ_ONLY)")
    con.execute(f"ATTACH '{copy}' AS target")
    for (table,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'source'"
    ).fetchall():
        if table not in ("priorities", "leads", "language", "case_signals"):  # made below
            con.execute(f"CREATE TABLE target.{table} AS SELECT * FROM source.{table}")
    case_id, note_id, text = con.execute(
        "SELECT n.case_id, n.note_id, n.text FROM target.notes n"
        " JOIN target.screening s USING (case_id) WHERE s.in_scope_wider"
        " AND length(n.text) > 40 ORDER BY n.case_id, n.note_id LIMIT 1"
    ).fetchone()
    words = text.split()
    lead_text, phrase = words[0], words[-1]
    lead_end = text.index(lead_text) + len(lead_text)
    phrase_start = text.rindex(phrase)
    con.execute(
        "CREATE TABLE target.priorities AS SELECT case_id,"
        " row_number() OVER (ORDER BY case_id != ?, case_id) AS rank, 50.0 AS score,"
        " CASE WHEN case_id = ? THEN 'urgent' ELSE 'low' END AS band,"
        " 'suspect_later_cases=2 (+32: P1 in C2);in_network=1 (+10: N1)' AS reasons"
        " FROM target.screening WHERE in_scope_wider",
        [case_id, case_id],
    )
    con.execute(
        "CREATE TABLE target.leads AS SELECT 'L1' AS lead_id, ? AS case_id,"
        " 'vrm_in_note' AS kind, 'Vehicle never checked' AS detail, 'note' AS evidence,"
        " 'notes' AS source_table, ? AS source_id, 'text' AS source_field,"
        " 0 AS span_start, ? AS span_end",
        [case_id, note_id, lead_end],
    )
    con.execute(
        "CREATE TABLE target.language AS SELECT 'notes' AS source_table, ? AS note_id,"
        " ? AS case_id, ? AS phrase, 'being sexually exploited' AS suggested_wording,"
        " 'k' AS lexicon_key, ? AS span_start, ? AS span_end",
        [note_id, case_id, phrase, phrase_start, phrase_start + len(phrase)],
    )
    con.close()
    import_run(site.store, copy, "run-with-leads", {"run_id": "run-with-leads"})
    return case_id, note_id, phrase


def test_leads_language_and_priorities_are_shown_when_the_run_has_them(
    site: Site, tmp_path: Path
) -> None:
    case_id, note_id, _phrase = _with_review_tables(site, tmp_path)
    supervisor = site.login("supervisor")
    queue = supervisor.get("/queue")
    first = re.findall(r'class="case-link">(C\d+)<', queue.text)[0]
    assert first == case_id and 'band-urgent">urgent' in queue.text
    page = supervisor.get(f"/cases/{case_id}").text
    assert "A suspect appears in later cases" in page and "(+32" not in page.split("Priority")[0]
    assert '<mark class="hl-lead" title="Vehicle never checked">' in page
    assert '<mark class="hl-language" title="Suggested wording: being sexually exploited">' in page
    assert f'href="#note-{note_id}"' in page and "being sexually exploited" in page
