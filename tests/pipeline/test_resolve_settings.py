"""The model's settings: no protected characteristic, valid SQL, saved models."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_resolve_records import make_con, person

from relook.pipeline.resolution import settings
from relook.pipeline.resolve import resolve, resolve_baseline, save_model

PROTECTED = ("ethnicity", "nationality", "religion", "sex")


def _identifiers(model: dict[str, Any]) -> set[str]:
    """Every word in the model's SQL (comparisons and blocking rules)."""
    text = json.dumps(model).lower()
    return set(re.findall(r"[a-z_][a-z0-9_]*", text))


@pytest.mark.parametrize(
    "model", [settings.settings(), settings.baseline_settings()], ids=["model", "baseline"]
)
def test_no_protected_characteristic_is_compared_or_blocked_on(model: dict[str, Any]) -> None:
    words = _identifiers(model)
    for column in PROTECTED:
        assert not any(word == column or word.startswith(f"{column}_") for word in words), column
    assert set(settings.PROTECTED_COLUMNS) == set(PROTECTED)


def test_trained_model_as_run_has_no_protected_characteristic() -> None:
    con = make_con([person("a", "Amy", "Jones", "2001-07-14", sex="F", ethnicity="W1")])
    result = resolve(con)
    words = _identifiers(result.model)
    assert not words & set(PROTECTED)
    assert "sex" not in [c[0] for c in con.execute("DESCRIBE resolve_records").fetchall()]


def test_every_comparison_has_a_null_level_and_an_else_level() -> None:
    for comparison in settings.comparisons():
        levels = comparison["comparison_levels"]
        assert levels[0]["is_null_level"] is True
        assert levels[-1]["sql_condition"] == "ELSE"


def test_prior_probabilities_are_distributions() -> None:
    for comparison in settings.comparisons():
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        assert sum(lv["m_probability"] for lv in levels) == pytest.approx(1.0, abs=0.01)
        assert sum(lv["u_probability"] for lv in levels) == pytest.approx(1.0, abs=0.01)


def test_a_saved_model_is_used_as_it_is(tmp_path: Path) -> None:
    people = [
        person("a", "Robert", "Smith", "1990-05-01"),
        person("b", "Bob", "Smith", "1990-05-01", case_id="C2"),
    ]
    con = make_con(people)
    first = resolve(con)
    path = tmp_path / "model.json"
    save_model(first.model, path)
    # a model that expects almost no two records to match keeps the two apart
    model = json.loads(path.read_text())
    model["probability_two_random_records_match"] = 1e-12
    path.write_text(json.dumps(model))
    second = resolve(con, model_path=path)
    assert second.trained is False
    ids = dict(con.execute("SELECT record_id, person_id FROM persons").fetchall())
    assert first.n_persons == 1 and second.n_persons == 2
    assert ids["a"] != ids["b"]


def test_baseline_writes_its_own_table() -> None:
    con = make_con(
        [
            person("a", "Robert", "Smith", "1990-05-01"),
            person("b", "Robert", "Smith", "1990-05-01", case_id="C2"),
            person("c", "Bob", "Smith", "1990-05-01", case_id="C3"),
        ]
    )
    result = resolve_baseline(con, seed=1)
    assert result.table == "persons_baseline"
    ids = dict(con.execute("SELECT record_id, person_id FROM persons_baseline").fetchall())
    assert ids["a"] == ids["b"]
    assert not {t[0] for t in con.execute("SHOW TABLES").fetchall()} & {"persons"}


def test_a_swap_is_weighed_once_under_the_forename() -> None:
    # One swap sets off a level in both name comparisons; weighed in both, one fact would
    # count twice (Splink multiplies comparisons as if independent).
    swapped = {
        comparison["output_column_name"]: level
        for comparison in settings.comparisons()
        for level in comparison["comparison_levels"]
        if level.get("sql_condition") == settings.NAMES_SWAPPED
    }
    assert set(swapped) == {"forename", "surname"}
    forename, surname = swapped["forename"], swapped["surname"]
    assert forename["m_probability"] > forename["u_probability"]
    assert surname["m_probability"] == surname["u_probability"]
    assert surname["fix_m_probability"] and surname["fix_u_probability"]
    # Both names must cross: one name in the other's field is not a swap.
    assert " AND " in settings.NAMES_SWAPPED
