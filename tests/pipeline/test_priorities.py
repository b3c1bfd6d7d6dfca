"""Prioritisation on a generated force: ranking against truth, and protected characteristics
never changing a score, a rank, a match or a screening decision."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from relook.rules.scoring import load_scoring
from relook.runs import run_force
from relook.synth import generate
from relook.synth.evaluation import language_score, lead_score, ranking_score
from relook.workspace import Workspace

AS_OF = dt.date(2026, 11, 1)
PROTECTED = ("ethnicity", "nationality", "sex")


@pytest.fixture(scope="module")
def force(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("prio") / "force"
    generate(folder, cases=600, seed=8)
    return folder


@pytest.fixture(scope="module")
def run_out(force: Path) -> Path:
    out = force.parent / "out"
    run_force(force, out, workspace=Workspace(force.parent / "ws"), as_of=AS_OF)
    return out


def _rewrite_protected(source: Path, target: Path) -> None:
    """Copy a force with every person's ethnicity, nationality and sex changed."""
    shutil.copytree(source, target)
    with (source / "people.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    swaps = {"ethnicity": ("W1", "A1"), "nationality": ("British", "Polish"), "sex": ("F", "M")}
    for index, row in enumerate(rows):
        for column, (a, b) in swaps.items():
            row[column] = a if (index + len(row[column])) % 2 else b
    with (target / "people.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_protected_characteristics_change_no_score_rank_match_or_decision(
    force: Path, run_out: Path, tmp_path: Path
) -> None:
    _rewrite_protected(force, tmp_path / "changed")
    out = tmp_path / "out"
    run_force(tmp_path / "changed", out, workspace=Workspace(tmp_path / "ws"), as_of=AS_OF)
    assert (tmp_path / "changed" / "people.csv").read_bytes() != (force / "people.csv").read_bytes()
    for name in ("priorities.csv", "persons.csv", "screening.csv", "networks.csv", "leads.csv"):
        assert (out / name).read_bytes() == (run_out / name).read_bytes(), name


def test_no_signal_reads_a_protected_characteristic() -> None:
    import re

    from relook.pipeline.prioritise import _signals_sql

    sql = _signals_sql(load_scoring(), AS_OF).lower()
    assert re.findall(r"\b(ethnicity|nationality|religion|sex)\b", sql) == []
    assert not any(c in name for name in load_scoring().signals for c in PROTECTED)


def test_cases_whose_suspect_offended_again_rank_high(force: Path, run_out: Path) -> None:
    score = ranking_score(duckdb.connect(), run_out, force / "truth")
    print(score)
    assert score.reoffending_cases > 10
    assert score.share >= 0.85


def test_priorities_cover_every_in_scope_case_with_bands_and_reasons(run_out: Path) -> None:
    con = duckdb.connect()
    row = con.execute(
        f"""SELECT count(*), count(DISTINCT rank), min(rank), max(rank),
            count(*) FILTER (WHERE band NOT IN ('urgent', 'high', 'standard', 'low')),
            bool_and(score = 0 OR reasons <> '')
        FROM read_csv('{run_out / "priorities.csv"}', all_varchar = false)"""
    ).fetchone()
    in_scope = con.execute(
        f"SELECT count(*) FROM read_csv('{run_out / 'screening.csv'}') WHERE in_scope_wider"
    ).fetchone()
    assert row is not None and in_scope is not None
    n, distinct_ranks, first, last, bad_bands, explained = row
    assert n == in_scope[0] and distinct_ranks == n and (first, last) == (1, n)
    assert bad_bands == 0 and explained


def test_leads_and_language_against_truth(force: Path, run_out: Path) -> None:
    con = duckdb.connect()
    leads = lead_score(con, run_out, force / "truth")
    language = language_score(con, run_out, force / "truth")
    print(f"leads: {leads}\nlanguage: {language}")
    assert leads.recall >= 0.9 and leads.precision >= 0.85
    assert language.recall >= 0.95 and language.precision >= 0.9
