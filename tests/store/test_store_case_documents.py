"""The case document stored at import equals the one assembled from the run tables, so the
case page is the same whichever it reads (older runs have no stored documents)."""

from __future__ import annotations

import datetime as dt
import json

from review_world import World, import_world
from sqlalchemy import select

from relook.review import case_document, case_page
from relook.review.access import Reach
from relook.security.policy import Role
from relook.store.engine import Store
from relook.store.tables import run_case_documents, run_cases

EVERYTHING = Reach(Role.SUPERVISOR, frozenset(), frozenset())


def test_stored_documents_match_the_run_tables(store: Store, world: World) -> None:
    import_world(store, world)
    with store.read() as connection:
        rows = list(
            connection.execute(
                select(run_cases)
                .where(run_cases.c.run_id == world.run_id)
                .order_by(run_cases.c.network_id.is_(None), run_cases.c.case_id)
            )
        )
        sample = rows[:25] + rows[-25:]
        for row in sample:
            stored = connection.execute(
                select(run_case_documents.c.document).where(
                    run_case_documents.c.run_id == world.run_id,
                    run_case_documents.c.case_id == row.case_id,
                )
            ).scalar_one()
            from_store = case_document.parse(json.loads(stored))
            from_tables = case_document.parse(
                case_document.document_from_tables(connection, world.run_id, row)
            )
            pages = [
                case_page.build(
                    connection,
                    world.run_id,
                    row,
                    reach=EVERYTHING,
                    revealed=False,
                    today=dt.date(2026, 11, 1),
                    document=document,
                )
                for document in (from_store, from_tables)
            ]
            assert pages[0] == pages[1], row.case_id
        assert any(r.network_id for r in sample)
