"""Importing a run's results into the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from review_world import World, add_users, import_world
from sqlalchemy import func, select

from relook.review import assessments, assignments, case_document, case_page
from relook.review import run_import as importer
from relook.review.assessments import Answer, AssessmentInput, Decision
from relook.review.case_state import get_state
from relook.review.queue import CaseStatus
from relook.review.runs import latest_run, list_runs
from relook.security.audit import verify
from relook.store.engine import Store
from relook.store.tables import (
    run_case_documents,
    run_cases,
    run_episodes,
    run_network_documents,
    run_notes,
    run_people,
    runs,
)


def _count(store: Store, table: object, run_id: str) -> int:
    with store.read() as connection:
        return int(
            connection.execute(
                select(func.count()).select_from(table).where(table.c.run_id == run_id)  # type: ignore[attr-defined]
            ).scalar_one()
        )


def test_import_copies_the_run(store: Store, world: World) -> None:
    import_world(store, world)
    analysis = duckdb.connect(str(world.analysis), read_only=True)
    expected = {
        run_cases: "cases",
        run_people: "people",
        run_episodes: "missing_episodes",
        run_notes: "notes",
        run_case_documents: "cases",
        run_network_documents: "network_summary",
    }
    for table, source in expected.items():
        (n,) = analysis.execute(f"SELECT count(*) FROM {source}").fetchone() or (0,)
        assert _count(store, table, world.run_id) == n, source
    (in_scope,) = analysis.execute(
        "SELECT count(*) FROM screening WHERE in_scope_wider"
    ).fetchone() or (0,)
    analysis.close()
    with store.read() as connection:
        run = latest_run(connection)
        assert run is not None and run.run_id == world.run_id
        assert run.n_in_scope == in_scope
        # Every in-scope case has a queue rank; ranks are 1..n without gaps.
        ranks = sorted(
            connection.execute(
                select(run_cases.c.queue_rank).where(
                    run_cases.c.run_id == world.run_id, run_cases.c.in_scope_wider.is_(True)
                )
            ).scalars()
        )
        assert ranks == list(range(1, in_scope + 1))
        assert verify(connection, store.audit_key).ok


def test_a_case_page_reads_its_network_from_the_one_network_document(
    store: Store, world: World
) -> None:
    import_world(store, world)
    analysis = duckdb.connect(str(world.analysis), read_only=True)
    network_id, first, n_cases = analysis.execute(
        "SELECT network_id, min(case_id), count(*) FROM networks"
        " GROUP BY network_id ORDER BY count(*) DESC, network_id LIMIT 1"
    ).fetchall()[0]
    analysis.close()
    with store.read() as connection:
        row = case_page.find_case(connection, world.run_id, first)
        assert row is not None and row.network_document is not None
        doc = case_document.load(connection, world.run_id, row)
        assert doc.network is not None and doc.network["network_id"] == network_id
        assert len(doc.network["cases"]) == n_cases
        # The same without the joined row: the loader reads the network's document itself.
        plain = connection.execute(
            select(run_cases).where(
                run_cases.c.run_id == world.run_id, run_cases.c.case_id == first
            )
        ).one()
        assert case_document.load(connection, world.run_id, plain).network == doc.network


def _assessment() -> AssessmentInput:
    return AssessmentInput(
        Answer.YES, "a vehicle never checked", Answer.NO, "", Answer.UNCLEAR, "", Answer.NO, "",
        Decision.REFER_LOCAL_ACTION, "lines of enquiry remain", ("lines_of_enquiry",),
    )  # fmt: skip


def test_a_new_run_keeps_assessments_assignments_and_is_what_the_queue_shows(
    store: Store, world: World
) -> None:
    import_world(store, world)
    users = add_users(store)
    with store.read() as connection:
        case_id = connection.execute(
            select(run_cases.c.case_id)
            .where(run_cases.c.run_id == world.run_id, run_cases.c.in_scope_wider.is_(True))
            .order_by(run_cases.c.queue_rank)
            .limit(1)
        ).scalar_one()
    with store.write() as connection:
        assignments.assign(connection, world.run_id, [case_id], users["reviewer"].id,
                           by=users["supervisor"])  # fmt: skip
        assessments.submit(connection, case_id, _assessment(), author=users["reviewer"],
                           run_id=world.run_id)  # fmt: skip

    import_world(store, world, run_id="second-run")
    import_world(store, world, run_id=world.run_id)  # the same run id again: replaced, newest

    with store.read() as connection:
        assert [r.run_id for r in list_runs(connection)] == [world.run_id, "second-run"]
        latest = latest_run(connection)
        assert latest is not None and latest.run_id == world.run_id
        state = get_state(connection, case_id)
        assert state.assignee_id == users["reviewer"].id
        assert state.status is CaseStatus.AWAITING_SIGN_OFF
        history = assessments.history(connection, case_id)
        assert [a.version for a in history] == [1]
        assert history[0].run_id == world.run_id
        assert connection.execute(select(func.count()).select_from(runs)).scalar_one() == 2
    assert _count(store, run_cases, "second-run") == _count(store, run_cases, world.run_id)


def test_a_failed_import_changes_nothing(
    store: Store, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_world(store, world)
    calls = 0
    real = importer._write_rows

    def failing(*args: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk full")
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "_write_rows", failing)
    with pytest.raises(RuntimeError):
        import_world(store, world, run_id="broken-run")
    assert _count(store, run_cases, "broken-run") == 0
    with store.read() as connection:
        run = latest_run(connection)
        assert run is not None and run.run_id == world.run_id


def test_optional_tables_may_be_absent(store: Store, world: World, tmp_path: Path) -> None:
    """A run without priorities, leads and language still imports, in a provisional order."""
    copy = tmp_path / "bare.duckdb"
    source = duckdb.connect()
    source.execute(f"ATTACH '{world.analysis}' AS analysis (READ_ONLY)")
    source.execute(f"ATTACH '{copy}' AS bare")
    for (table,) in source.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'analysis'"
    ).fetchall():
        if table not in ("priorities", "leads", "language", "case_signals"):
            source.execute(f"CREATE TABLE bare.{table} AS SELECT * FROM analysis.{table}")
    source.close()
    importer.import_run(store, copy, "bare-run", {"run_id": "bare-run"})
    with store.read() as connection:
        run = latest_run(connection)
        assert run is not None and run.run_id == "bare-run"
        assert not run.has_priorities and not run.has_leads and not run.has_language
        ranked = connection.execute(
            select(func.count()).where(
                run_cases.c.run_id == "bare-run", run_cases.c.queue_rank.is_not(None)
            )
        ).scalar_one()
        assert ranked == run.n_in_scope


def test_a_run_id_with_different_results_is_refused_and_changes_nothing(
    store: Store, world: World, tmp_path: Path
) -> None:
    import_world(store, world)
    import_world(store, world, run_id="second-run")
    changed = tmp_path / "changed.duckdb"
    source = duckdb.connect()
    source.execute(f"ATTACH '{world.analysis}' AS analysis (READ_ONLY)")
    source.execute(f"ATTACH '{changed}' AS changed")
    source.execute("COPY FROM DATABASE analysis TO changed")
    source.execute("UPDATE changed.screening SET in_scope_wider = NOT in_scope_wider")
    source.close()
    before = _count(store, run_cases, world.run_id)
    with pytest.raises(importer.RunConflict, match="different results"):
        importer.import_run(store, changed, world.run_id, {**world.document})
    with store.read() as connection:
        latest = latest_run(connection)
        assert latest is not None and latest.run_id == "second-run"
        held = {r.run_id: r for r in list_runs(connection)}
    assert set(held) == {world.run_id, "second-run"}
    assert held[world.run_id].content_digest == held["second-run"].content_digest
    assert held[world.run_id].rules_digest == world.document["rules_digest"]
    assert _count(store, run_cases, world.run_id) == before
