"""explain_pair: what a reviewer sees for any two records."""

from __future__ import annotations

import math

import pytest
from test_resolve_records import make_con, person

from relook.pipeline.resolve import explain_pair, resolve


def _con():  # type: ignore[no-untyped-def]
    return make_con(
        [
            person("a", "Robert", "Smith", "1990-05-01", postcode="LS1 1AA", phone="+447700900001"),
            person("b", "Bob", "Smith", "1990-05", postcode="LS1 1AB", case_id="C2"),
            person("c", "Grace", "Evans", "2002-09-09", case_id="C3"),
            person("u", "Male", "2", case_id="C4"),
        ]
    )


def test_weights_add_up_to_the_total() -> None:
    con = _con()
    resolve(con)
    explanation = explain_pair(con, "a", "b")
    total = explanation.prior_weight + sum(c.match_weight for c in explanation.comparisons)
    assert math.isclose(total, explanation.total_weight, abs_tol=1e-9)
    assert math.isclose(
        explanation.match_probability, 1 / (1 + 2**-explanation.total_weight), rel_tol=1e-9
    )
    assert explanation.same_person is True


def test_levels_and_values_are_shown_per_comparison() -> None:
    con = _con()
    resolve(con)
    by_name = {c.comparison: c for c in explain_pair(con, "a", "b").comparisons}
    assert list(by_name) == [
        "forename", "surname", "dob", "address", "phone", "nominal_id", "episode_time",
        "care_setting", "case",
    ]  # fmt: skip
    assert by_name["forename"].level == "nickname"
    assert (by_name["forename"].value_a, by_name["forename"].value_b) == ("robert", "bob")
    assert by_name["surname"].level == "exact"
    assert by_name["dob"].level == "partial date agrees to month"
    # address and postcode are one comparison (one fact must not count twice)
    assert by_name["address"].level == "same postcode sector"
    assert by_name["address"].value_a == "LS1 1AA"
    assert by_name["phone"].level == "not recorded" and by_name["phone"].match_weight == 0
    assert by_name["forename"].match_weight > 0


def test_a_non_match_has_negative_weights() -> None:
    con = _con()
    resolve(con)
    explanation = explain_pair(con, "a", "c")
    assert explanation.total_weight < 0
    assert explanation.same_person is False
    assert {c.level for c in explanation.comparisons[:3]} == {"different"}


def test_unidentified_record_is_explained_with_a_note() -> None:
    con = _con()
    resolve(con)
    explanation = explain_pair(con, "u", "c")
    assert "never merged" in explanation.note
    assert explanation.same_person is False


def test_explain_works_before_any_resolve_run() -> None:
    con = _con()
    explanation = explain_pair(con, "a", "b")
    assert explanation.same_person is None
    assert explanation.total_weight > 0


def test_unknown_record_is_an_error() -> None:
    con = _con()
    with pytest.raises(KeyError, match="nobody"):
        explain_pair(con, "a", "nobody")
