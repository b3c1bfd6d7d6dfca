"""The resolve stage end to end on a small generated force: trained, accurate, stable.

600 cases give ~3,000 records, above `MIN_RECORDS_TO_TRAIN`, so this is the one test that
runs the unsupervised training (u sampling, EM, lambda calibration). The full-size
figures (9,000 cases) come from `bench/bench_resolve.py`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from relook.engine.duckdb_engine import connect
from relook.engine.sql import one_row
from relook.pipeline.ingest import ingest
from relook.pipeline.resolve import explain_pair, resolve, resolve_baseline
from relook.synth import generate

pytestmark = pytest.mark.slow


def pairwise_f1(con: duckdb.DuckDBPyConnection, table: str) -> float:
    pairs = one_row(
        con,
        f"""
        WITH j AS (SELECT p.person_id AS pred, t.person_id AS truth
                   FROM {table} p JOIN truth t USING (record_id))
        SELECT (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM j GROUP BY pred, truth))
                   AS both_,
               (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM j GROUP BY pred))
                   AS predicted,
               (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM j GROUP BY truth))
                   AS true_
        """,
    )
    both, predicted, true = (float(pairs[k]) for k in ("both_", "predicted", "true_"))
    precision, recall = both / predicted, both / true
    return 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def force(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("force") / "data"
    generate(out, 600, 3)
    return out


def _ingested(force: Path) -> duckdb.DuckDBPyConnection:
    con = connect(threads=2)
    ingest(con, force)
    con.execute(
        "CREATE TABLE truth AS SELECT record_id, person_id"
        f" FROM read_csv('{force / 'truth' / 'persons.csv'}', all_varchar = true)"
    )
    return con


def test_generated_force_resolves_accurately_and_stably(force: Path) -> None:
    con = _ingested(force)
    first = resolve(con, seed=42)
    assert first.trained
    assert 0 < first.model["probability_two_random_records_match"] < 0.01
    ids = con.execute("SELECT record_id, person_id FROM persons ORDER BY 1").fetchall()
    f1 = pairwise_f1(con, "persons")
    assert f1 >= 0.92

    resolve_baseline(con, seed=42)
    assert pairwise_f1(con, "persons_baseline") < f1

    # a second run on the same input (trained again) gives the same persons
    second = _ingested(force)
    resolve(second, seed=42)
    assert second.execute("SELECT record_id, person_id FROM persons ORDER BY 1").fetchall() == ids

    # the reviewer's explanation uses the trained model, term frequencies included
    left, right, weight = con.execute(
        "SELECT record_id_l, record_id_r, match_weight FROM resolve_pairs LIMIT 1"
    ).fetchall()[0]
    explanation = explain_pair(con, left, right)
    assert explanation.total_weight == pytest.approx(weight, abs=1e-6)


# Issue 10's typical miss on a force relook did not generate: one child recorded missing
# eight times from one children's home, the name slipped in some episodes, the date of
# birth blank in some and a year out in others. Planted into a generated force, so that
# the model is the one a run trains (not the prior parameters of the small-table tests).
# Once with a name nobody else has, once with the force's commonest forename and surname
# (generated namesakes at other homes, with other dates of birth, must stay out).
_HOME = "Larchfield House"
# (forename slipped, surname slipped, date of birth, day missing)
_EIGHT_EPISODES = [
    (False, False, "2006-03-14", "2019-02-03"),
    (True, False, "", "2019-04-11"),
    (False, False, "2007-03-14", "2019-07-20"),
    (False, True, "", "2019-11-02"),
    (False, False, "2006-03-14", "2020-01-15"),
    (False, False, "", "2020-05-30"),
    (False, False, "2007", "2020-09-08"),
    (False, False, "2006", "2021-03-27"),
]


def _slip(name: str) -> str:
    """Two neighbouring letters transposed, as a hurried keyboard does."""
    return name[0] + name[2] + name[1] + name[3:]


def _with_planted_episodes(force: Path, out: Path, forename: str, surname: str) -> Path:
    shutil.copytree(force, out)
    rows = [
        (
            f"EPLANT{i}",
            _slip(forename) if slip_forename else forename,
            _slip(surname) if slip_surname else surname,
            dob,
            _HOME,
            f"{day}T21:00",
        )
        for i, (slip_forename, slip_surname, dob, day) in enumerate(_EIGHT_EPISODES)
    ]
    with (out / "missing_episodes.csv").open("a", encoding="utf-8") as handle:
        for row in rows:
            handle.write(",".join(row) + ",,,\n")
    return out


@pytest.mark.parametrize(("forename", "surname"), [("Amira", "Okonkwo-Reyes"), ("Rania", "Jones")])
def test_one_child_missing_eight_times_from_one_home_is_one_person(
    force: Path, tmp_path: Path, forename: str, surname: str
) -> None:
    con = connect(threads=2)
    ingest(con, _with_planted_episodes(force, tmp_path / "data", forename, surname))
    assert resolve(con, seed=42).trained
    [(n_persons, n_records)] = con.execute(
        """SELECT count(DISTINCT person_id), count(*) FILTER (WHERE record_id LIKE 'EPLANT%')
           FROM persons WHERE person_id IN
               (SELECT person_id FROM persons WHERE record_id LIKE 'EPLANT%')"""
    ).fetchall()
    assert (n_persons, n_records) == (1, len(_EIGHT_EPISODES))
    [(joined,)] = con.execute(
        """SELECT count(*) FROM persons WHERE record_id NOT LIKE 'EPLANT%' AND person_id IN
               (SELECT person_id FROM persons WHERE record_id LIKE 'EPLANT%')"""
    ).fetchall()
    assert joined == 0
