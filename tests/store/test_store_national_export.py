"""The national export reads the same entities from SQLite and from PostgreSQL.

Its queries (EXISTS per record, key order, the force named most often) are written once
for both stores; a difference in ordering or in a boolean would change the file.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from review_world import World, fresh_store, import_world

from relook.review.national_export import ExportOptions, write_national_export
from relook.review.national_scope import count_records, recorded_force


def _export(backend: str, directory: Path, world: World, *, all_cases: bool) -> tuple[str, int]:
    directory.mkdir()
    with fresh_store(backend, directory) as store:
        import_world(store, world)
        with store.snapshot() as connection:
            force = recorded_force(connection, world.run_id)
            assert force is not None
            rows = count_records(connection, world.run_id, all_cases=all_cases)
            read: list[int] = []
            out = io.StringIO()
            write_national_export(
                connection,
                out,
                run_id=world.run_id,
                options=ExportOptions(force=force, all_cases=all_cases),
                progress=read.append,
            )
    assert sum(read) == rows, "the progress bar is told of every row it counted"
    return out.getvalue(), rows


def test_sqlite_and_postgresql_give_the_same_file(world: World, tmp_path: Path) -> None:
    for all_cases in (False, True):
        text, rows = _export("sqlite", tmp_path / f"sqlite-{all_cases}", world, all_cases=all_cases)
        same, _ = _export("postgresql", tmp_path / f"pg-{all_cases}", world, all_cases=all_cases)
        assert rows > 0 and text == same
        schemata = {json.loads(line)["schema"] for line in text.splitlines()}
        assert {"CourtCase", "Person", "CourtCaseParty"} <= schemata
