"""Training helpers: the m floor and the lambda calibration."""

from __future__ import annotations

import math
from typing import Any

import duckdb
import pytest
from test_resolve_records import make_con, person

from relook.pipeline.resolution import settings, training
from relook.pipeline.resolution.records import RECORDS_TABLE, build_records
from relook.pipeline.resolve import resolve


def _level(model: dict[str, Any], comparison: str, label: str) -> dict[str, Any]:
    """A comparison level found by its comparison's output column and its chart label."""
    (found,) = (
        level
        for c in model["comparisons"]
        if c["output_column_name"] == comparison
        for level in c["comparison_levels"]
        if level.get("label_for_charts") == label
    )
    return found


def test_m_floor_keeps_a_distribution_and_no_level_below_the_floor() -> None:
    model = settings.settings()
    # the care setting has four levels (same home within a year, three years, ever, not):
    # one takes all the mass, the others next to none
    for level in model["comparisons"][-1]["comparison_levels"][1:]:
        level["m_probability"] = 1e-23
    _level(model, "care_setting", "same home")["m_probability"] = 1.0
    floored = training.floor_m_probabilities(model, floor=0.005)
    for comparison in floored["comparisons"]:
        levels = comparison["comparison_levels"]
        ms = [lv["m_probability"] for lv in levels if not lv.get("is_null_level")]
        assert sum(ms) == pytest.approx(1.0)
        assert min(ms) >= 0.005 / 1.02  # three levels raised to the floor, then renormalised
    assert _level(floored, "care_setting", "different")["m_probability"] > 0.004


def _pairs(con: duckdb.DuckDBPyConnection, weights: list[float]) -> None:
    con.execute("CREATE TABLE pairs (match_weight DOUBLE)")
    con.executemany("INSERT INTO pairs VALUES (?)", [[w] for w in weights])


def test_lambda_calibration_reaches_its_fixed_point() -> None:
    con = duckdb.connect()
    lam0 = 1e-4
    # 50 near-certain pairs, 50 coin flips and 900 near-certain non-matches, scored at lam0
    _pairs(con, [20.0] * 50 + [0.0] * 50 + [-20.0] * 900)
    n_records = 1000
    lam = training.calibrate_lambda(con, "pairs", n_records, lam0)
    shift = math.log2(lam / (1 - lam)) - math.log2(lam0 / (1 - lam0))
    expected = sum(n / (1 + 2 ** -(w + shift)) for n, w in ((50, 20.0), (50, 0.0), (900, -20.0)))
    assert lam == pytest.approx(expected / (n_records * (n_records - 1) / 2), rel=1e-2)
    # between the 50 certain pairs and all 100 of the certain and the uncertain ones
    assert 50 < lam * n_records * (n_records - 1) / 2 < 100


def test_empty_input_gives_an_empty_persons_table() -> None:
    con = make_con([])
    result = resolve(con)
    assert result.n_records == 0 and result.n_persons == 0
    assert con.execute("SELECT count(*) FROM persons").fetchall() == [(0,)]


def test_u_of_same_case_is_counted_on_the_records() -> None:
    """u of "same case, same role, names alike" is the share of the pairs on a case that
    reach the level: here 1 pair (a / b) of the 15 among six mentions."""
    con = make_con(
        [
            person("a", "Mohammed", "Khan", None, case_id="C1"),
            person("b", "M", "Khan", None, case_id="C1"),
            person("c", "Amir", "Khan", None, case_id="C1"),
            person("d", "Mohammed", "Khan", None, case_id="C1", role="victim"),
            person("e", "Mohammed", "Khan", None, case_id="C2"),
            person("f", "Jade", "Price", None, case_id="C2"),
        ]
    )
    build_records(con)
    model = training.count_case_u(con, RECORDS_TABLE, settings.settings())
    [case] = [c for c in model["comparisons"] if c["output_column_name"] == "case"]
    same_level, else_level = case["comparison_levels"][1:]
    assert math.isclose(same_level["u_probability"], 1 / 15)
    assert math.isclose(else_level["u_probability"], 14 / 15)
    assert same_level["m_probability"] == 0.01 and same_level["fix_m_probability"]


def _em_trap() -> tuple[duckdb.DuckDBPyConnection, dict[str, Any]]:
    """Records, and a model whose "initial agrees" m starts at Splink's least (1e-300),
    where only people of another surname hold that level: one EM iteration takes it
    below 1e-300 and Splink refuses the session (as it did on 50,000 generated cases)."""
    names = [("Amy", "Jones"), ("Ben", "Khan"), ("Cara", "Smith"), ("Dev", "Patel"),
             ("Eve", "Brown"), ("Finn", "Walsh"), ("Gita", "Shah"), ("Hal", "Moss")]  # fmt: skip
    rows = []
    for i, (forename, surname) in enumerate(names):
        for k in range(3):
            dob = f"19{80 + i}-0{k + 1}-1{i}"
            rows.append(person(f"m{i}{k}", forename, surname, dob, case_id=f"C{i}{k}"))
            rows.append(person(f"n{i}{k}", forename, surname, dob, case_id=f"D{i}{k}"))
        rows.append(person(f"o{i}", forename[0], "Zed", f"19{80 + i}-01-1{i}", case_id=f"E{i}"))
    con = make_con(rows)
    build_records(con)
    model = settings.settings()
    _level(model, "forename", "initial agrees")["m_probability"] = 1e-300
    return con, model


def test_an_em_session_refused_by_splink_starts_again_from_the_prior() -> None:
    con, trapped = _em_trap()
    rule = 'l."dob_iso" = r."dob_iso"'
    # The trap holds: Splink alone refuses the session.
    with (
        training.linker_on(con, RECORDS_TABLE, trapped) as linker,
        pytest.raises(ValueError, match="below the minimum allowed value"),
    ):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    model, restarted = training.train(
        con, RECORDS_TABLE, trapped, prior=settings.settings(),
        deterministic_rules=settings.DETERMINISTIC_RULES, recall=settings.DETERMINISTIC_RECALL,
        training_rules=['l."forename_key" = r."forename_key"', rule], seed=1,
    )  # fmt: skip
    assert restarted == (rule,)
    # Every comparison is in the model, and the trapped level was trained from the prior.
    assert [c["output_column_name"] for c in model["comparisons"]] == [
        c["output_column_name"] for c in settings.comparisons()
    ]
    assert _level(model, "forename", "initial agrees")["m_probability"] > 1e-300


def test_an_em_session_refused_from_the_prior_too_is_a_clear_error() -> None:
    con, trapped = _em_trap()
    with pytest.raises(training.TrainingFailed, match="another --seed"):
        training.train(
            con, RECORDS_TABLE, trapped, deterministic_rules=settings.DETERMINISTIC_RULES,
            recall=settings.DETERMINISTIC_RECALL, training_rules=['l."dob_iso" = r."dob_iso"'],
            seed=1,
        )  # fmt: skip
