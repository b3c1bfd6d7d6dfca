"""Screening: every rule of both definitions, each category, and the reasons given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from handmade import case, load, person

from relook.pipeline.screen import build_screening
from relook.rules.scope import ScopeRules, load_scope


def screen_one(
    con: duckdb.DuckDBPyConnection,
    tmp_path: Path,
    case_values: dict[str, Any],
    people: list[dict[str, Any]] | None = None,
    persons: dict[str, str] | None = None,
    rules: ScopeRules | None = None,
) -> dict[str, Any]:
    if people is None:
        people = [
            person("V1", "C1", "victim", date_of_birth="2000-01-01"),
            person(
                "S1",
                "C1",
                "suspect",
                date_of_birth="1980-01-01",
                relationship_to_victim="acquaintance",
            ),
            person(
                "S2", "C1", "suspect", date_of_birth="1981-01-01", relationship_to_victim="stranger"
            ),
        ]
    load(con, tmp_path / "data", {"cases": [case("C1", **case_values)], "people": people}, persons)
    build_screening(con, rules or load_scope())
    row = con.execute("SELECT * FROM screening").fetchone()
    assert row is not None
    columns = [d[0] for d in con.description or []]
    return dict(zip(columns, row, strict=True))


def test_typical_group_case_is_in_scope_with_every_reason(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    result = screen_one(con, tmp_path, {})
    assert result["in_scope_wider"] and result["in_scope_narrower"]
    assert result["category"] == "group_exploitation"
    assert result["reasons"] == (
        "window=pass(2014-09-30);child_victim=pass(age 14);sexual_offence=pass(71);"
        "group=pass(2 suspects);nfa=pass(15 police);suspects_alive=pass(2 believed alive);"
        "not_previously_reviewed=pass(not recorded);narrower=pass"
    )
    assert result["rules_version"] == load_scope().version


@pytest.mark.parametrize(
    ("values", "failed_rule"),
    [
        ({"outcome_on": "2009-12-31"}, "window"),
        ({"outcome_on": "2025-04-01"}, "window"),
        ({"outcome_code": "1"}, "nfa"),
        ({"outcome_code": "", "outcome_on": ""}, "nfa"),
        ({"offence_code": "8N"}, "sexual_offence"),
    ],
)
def test_each_case_level_rule_can_exclude(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, values: dict[str, Any], failed_rule: str
) -> None:
    result = screen_one(con, tmp_path, values)
    assert not result["in_scope_wider"] and not result["in_scope_narrower"]
    assert f"{failed_rule}=fail(" in result["reasons"]


def test_window_uses_reported_on_when_outcome_date_blank(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    result = screen_one(con, tmp_path, {"outcome_on": "", "reported_on": "2009-06-01"})
    assert "window=fail(2009-06-01)" in result["reasons"]


def test_cse_flag_brings_in_a_non_sexual_code(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    assert screen_one(con, tmp_path, {"offence_code": "8N", "cse_flag": "true"})["in_scope_wider"]


def test_adult_age_code_counts_only_with_a_child_victim(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    assert screen_one(con, tmp_path, {"offence_code": "19C"})["in_scope_wider"]


def test_adult_victim_is_out(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    people = [
        person("V1", "C1", "victim", date_of_birth="1990-01-01"),
        person("S1", "C1", "suspect"),
        person("S2", "C1", "suspect"),
    ]
    result = screen_one(con, tmp_path, {"offence_code": "19C"}, people)
    assert not result["in_scope_wider"]
    assert "child_victim=fail(age 24)" in result["reasons"]


def test_age_at_offence_used_when_no_date_of_birth(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    people = [
        person("V1", "C1", "victim", age_at_offence="15"),
        person("S1", "C1", "suspect"),
        person("S2", "C1", "suspect"),
    ]
    assert screen_one(con, tmp_path, {}, people)["in_scope_wider"]


def test_partial_birth_year_gives_the_child_the_benefit(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # Born in 1996: 17 or 18 on 2014-03-02; read as possibly a child, for a human to check.
    people = [
        person("V1", "C1", "victim", date_of_birth="1996"),
        person("S1", "C1", "suspect"),
        person("S2", "C1", "suspect"),
    ]
    assert screen_one(con, tmp_path, {}, people)["in_scope_wider"]


def test_one_person_entered_twice_is_one_suspect(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    result = screen_one(con, tmp_path, {}, persons={"S1": "P1", "S2": "P1"})
    assert not result["in_scope_wider"]
    assert "group=fail(1 suspects)" in result["reasons"]


def test_unidentified_suspects_count(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    people = [
        person("V1", "C1", "victim", age_at_offence="13"),
        person("S1", "C1", "suspect", aliases="male 1"),
        person("S2", "C1", "suspect", aliases="male 2"),
    ]
    assert screen_one(con, tmp_path, {}, people)["in_scope_wider"]


@pytest.mark.parametrize(
    ("setting", "relationship", "suspect_dob", "category"),
    [
        ("private_address", "family", "1980-01-01", "intrafamilial"),
        ("private_address", "carer", "1980-01-01", "intrafamilial"),
        ("family_home", "stranger", "1980-01-01", "intrafamilial"),
        ("institution", "stranger", "1980-01-01", "institutional"),
        ("private_address", "institution_staff", "1980-01-01", "institutional"),
        ("street", "peer", "1998-06-01", "peer_on_peer"),
    ],
)
def test_narrower_exclusions_and_categories(
    con: duckdb.DuckDBPyConnection,
    tmp_path: Path,
    setting: str,
    relationship: str,
    suspect_dob: str,
    category: str,
) -> None:
    people = [
        person("V1", "C1", "victim", date_of_birth="2000-01-01"),
        person(
            "S1", "C1", "suspect", date_of_birth=suspect_dob, relationship_to_victim=relationship
        ),
        person("S2", "C1", "suspect", date_of_birth=suspect_dob, relationship_to_victim="unknown"),
    ]
    result = screen_one(con, tmp_path, {"setting": setting}, people)
    assert result["in_scope_wider"] and not result["in_scope_narrower"]
    assert result["category"] == category
    assert f"narrower=fail({category})" in result["reasons"]


def test_online_category_stays_in_narrower(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    result = screen_one(con, tmp_path, {"setting": "online"})
    assert result["category"] == "online"
    assert result["in_scope_narrower"]


def test_peer_on_peer_needs_every_suspect_under_18(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    people = [
        person("V1", "C1", "victim", date_of_birth="2000-01-01"),
        person("S1", "C1", "suspect", date_of_birth="1998-06-01"),
        person("S2", "C1", "suspect", date_of_birth="1980-06-01"),
    ]
    assert screen_one(con, tmp_path, {"setting": "street"}, people)["in_scope_narrower"]


def test_single_suspect_case_category_is_unknown(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    people = [person("V1", "C1", "victim", age_at_offence="12"), person("S1", "C1", "suspect")]
    assert screen_one(con, tmp_path, {}, people)["category"] == "unknown"


def test_rules_file_overrides_the_window(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("scope:\n  version: force-x\n  window: {start: 2005-01-01}\n", encoding="utf-8")
    rules = load_scope(path)
    assert str(rules.window.start) == "2005-01-01" and str(rules.window.end) == "2025-03-31"
    assert rules.version == "force-x"


def _suspects(*deceased: str) -> list[dict[str, Any]]:
    """A child victim and one suspect per `deceased` value ('true', 'false' or '')."""
    return [
        person("V1", "C1", "victim", age_at_offence="13"),
        *(
            person(f"S{i}", "C1", "suspect", date_of_birth="1980-01-01", deceased=value)
            for i, value in enumerate(deceased, start=1)
        ),
    ]


@pytest.mark.parametrize(
    ("deceased", "in_scope", "reason"),
    [
        (("", ""), True, "suspects_alive=pass(2 believed alive)"),
        (("false", ""), True, "suspects_alive=pass(2 believed alive)"),
        (("true", ""), False, "suspects_alive=fail(1 believed alive, 1 deceased)"),
        (("true", "", ""), True, "suspects_alive=pass(2 believed alive, 1 deceased)"),
        (("true", "true", "false"), False, "suspects_alive=fail(1 believed alive, 2 deceased)"),
    ],
)
def test_suspects_alive_counts_distinct_suspects_not_recorded_as_deceased(
    con: duckdb.DuckDBPyConnection,
    tmp_path: Path,
    deceased: tuple[str, ...],
    in_scope: bool,
    reason: str,
) -> None:
    result = screen_one(con, tmp_path, {}, _suspects(*deceased))
    assert reason in result["reasons"]
    assert result["in_scope_wider"] is in_scope
    assert result["in_scope_narrower"] is in_scope  # the narrower definition builds on it
    assert "group=pass" in result["reasons"]  # still a group: the deceased are suspects


def test_a_suspect_recorded_deceased_on_another_case_is_deceased_here(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    people = [
        *_suspects("", ""),
        person("S9", "C2", "suspect", deceased="true"),  # the same person as S1, recorded later
    ]
    load(con, tmp_path / "data", {"cases": [case("C1"), case("C2")], "people": people},
         {"S9": "S1"})  # fmt: skip
    build_screening(con, load_scope())
    reasons = con.execute("SELECT reasons FROM screening WHERE case_id = 'C1'").fetchone()
    assert reasons is not None
    assert "suspects_alive=fail(1 believed alive, 1 deceased)" in reasons[0]


@pytest.mark.parametrize(
    ("recorded", "in_scope", "reason"),
    [
        ("", True, "not_previously_reviewed=pass(not recorded)"),
        ("false", True, "not_previously_reviewed=pass(not reviewed before)"),
        ("true", False, "not_previously_reviewed=fail(reviewed before)"),
    ],
)
def test_a_case_reviewed_before_is_out_and_a_blank_keeps_it_in(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, recorded: str, in_scope: bool, reason: str
) -> None:
    result = screen_one(con, tmp_path, {"previously_reviewed": recorded})
    assert reason in result["reasons"]
    assert result["in_scope_wider"] is in_scope
    assert result["in_scope_narrower"] is in_scope


def test_both_national_rules_can_be_switched_off(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    rules = load_scope().model_copy(
        update={"suspects_alive": False, "not_previously_reviewed": False}
    )
    result = screen_one(
        con, tmp_path, {"previously_reviewed": "true"}, _suspects("true", "true"), rules=rules
    )
    assert result["in_scope_wider"]
    assert "suspects_alive=off(0 believed alive, 2 deceased)" in result["reasons"]
    assert "not_previously_reviewed=off(reviewed before)" in result["reasons"]
