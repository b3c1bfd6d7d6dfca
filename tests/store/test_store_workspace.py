"""Judgements live in the store: `Workspace.record_judgement` / `judgements()`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from review_world import POSTGRES_URL, fresh_store

from relook.errors import RelookError
from relook.pipeline.resolve import Judgement
from relook.store.engine import DATABASE_URL_ENV
from relook.workspace import Workspace


def test_judgements_round_trip_in_order(tmp_path: Path) -> None:
    space = Workspace(tmp_path / "ws")
    assert space.judgements() == []
    assert not space.store_path.exists()  # reading creates nothing
    space.record_judgement("M1", "M2", "must_link", by="analyst 7", reason="same PNC id")
    space.record_judgement("M2", "M1", "cannot_link", by="analyst 8", reason="different DOB")
    assert space.judgements() == [
        Judgement("M1", "M2", "must_link"),
        Judgement("M2", "M1", "cannot_link"),
    ]
    assert space.store_path.exists()


@pytest.mark.parametrize(
    ("a", "b", "kind", "reason"),
    [("M1", "M1", "must_link", "x"), ("M1", "M2", "maybe", "x"), ("M1", "M2", "must_link", " ")],
)
def test_bad_judgements_are_refused(tmp_path: Path, a: str, b: str, kind: str, reason: str) -> None:
    with pytest.raises(RelookError):
        Workspace(tmp_path).record_judgement(a, b, kind, by="x", reason=reason)


def test_a_legacy_judgements_file_is_imported_once(tmp_path: Path) -> None:
    space = Workspace(tmp_path)
    lines = [
        {"record_a": "M1", "record_b": "M2", "kind": "cannot_link", "by": "a", "reason": "r",
         "at": "2026-01-01T00:00:00+00:00"},
    ]  # fmt: skip
    space.judgements_path.write_text("\n".join(json.dumps(e) for e in lines) + "\n")
    assert space.judgements() == [Judgement("M1", "M2", "cannot_link")]
    assert not space.judgements_path.exists()
    assert space.judgements_path.with_name("judgements.jsonl.imported").exists()
    assert space.judgements() == [Judgement("M1", "M2", "cannot_link")]


def test_judgements_go_to_postgresql_when_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fresh_store("postgresql", tmp_path) as store:
        schema = store.engine.url.query  # the fresh schema is on the search path
        del schema
        search_path = store.engine.dialect.name
        assert search_path == "postgresql"
        with store.read() as connection:
            current = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
        monkeypatch.setenv(DATABASE_URL_ENV, f"{POSTGRES_URL}?options=-csearch_path%3D{current}")
        space = Workspace(tmp_path / "ws")
        space.record_judgement("E1", "M9", "must_link", by="analyst", reason="same child")
        assert space.judgements() == [Judgement("E1", "M9", "must_link")]
        assert not space.store_path.exists()
        assert "postgresql" in space.store_description
