"""The generated force has the features later stages must cope with."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date

from synth_force import Force, canonical_phone, canonical_vrm

BACKGROUND_KINDS = {
    "group", "intrafamilial", "institutional", "peer_on_peer", "single_suspect",
    "adult_victim", "charged", "out_of_window", "open", "online",
}  # fmt: skip
VRM_FORMATS = (
    r"[A-HJ-PR-Y]{2}\d{2}[A-HJ-PR-Z]{3}",  # current
    r"[A-Z]\d{1,3}[A-Z]{3}",  # prefix
    r"[A-Z]{3}\d{1,3}[A-Z]",  # suffix
    r"[A-Z]{3}\d{1,3}",  # dateless
    r"[A-Z]{1,3}\d{1,4}",  # Northern Ireland
)
DRAMA_PHONES = re.compile(
    r"\+447700900\d{3}|\+44(113|114|115|116|117|118|121|131|141|151|161)496\d{4}"
    r"|\+441914980\d{3}|\+4420794\d{5}"
)


def _mentions_by_person(force: Force) -> dict[str, list[dict[str, str]]]:
    person_of = force.person_of()
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in force.tables["people"]:
        grouped[person_of[row["mention_id"]]].append(row)
    return grouped


def test_every_kind_is_present(force: Force) -> None:
    kinds = Counter(r["kind"] for r in force.truth["cases"])
    assert set(kinds) >= BACKGROUND_KINDS
    assert kinds["network"] >= 4


def test_repeat_victims_across_cases(force: Force) -> None:
    repeat = [
        pid
        for pid, rows in _mentions_by_person(force).items()
        if len({r["case_id"] for r in rows if r["role"] == "victim"}) >= 2
    ]
    assert len(repeat) >= 3


def test_networks_share_vehicles_between_cases(force: Force) -> None:
    network_of = {r["case_id"]: r["story_network_id"] for r in force.truth["cases"]}
    cases_of_vrm: dict[str, set[str]] = defaultdict(set)
    for row in force.tables["vehicles"]:
        if network_of[row["case_id"]]:
            cases_of_vrm[canonical_vrm(row["vrm"])].add(row["case_id"])
    networks_sharing = {
        network_of[next(iter(cases))] for cases in cases_of_vrm.values() if len(cases) >= 2
    }
    all_networks = {n for n in network_of.values() if n}
    assert networks_sharing == all_networks


def test_children_in_care_go_missing_many_times(force: Force) -> None:
    person_of = force.person_of()
    episodes = Counter(person_of[r["episode_id"]] for r in force.tables["missing_episodes"])
    in_care_victims = {
        person_of[r["mention_id"]]
        for r in force.tables["people"]
        if r["role"] == "victim" and r["in_care"] == "true"
    }
    assert sum(1 for p in in_care_victims if episodes[p] >= 3) >= 3


def test_care_homes_are_hubs(force: Force) -> None:
    person_of = force.person_of()
    people_per_home: dict[str, set[str]] = defaultdict(set)
    for row in force.tables["people"]:
        if row["care_setting"]:
            people_per_home[row["care_setting"]].add(person_of[row["mention_id"]])
    for row in force.tables["missing_episodes"]:
        if row["care_setting"]:
            people_per_home[row["care_setting"]].add(person_of[row["episode_id"]])
    assert max(len(p) for p in people_per_home.values()) >= 8


def test_one_person_entered_twice_on_a_case(force: Force) -> None:
    person_of = force.person_of()
    pairs = Counter((r["case_id"], person_of[r["mention_id"]]) for r in force.tables["people"])
    assert sum(1 for n in pairs.values() if n >= 2) >= 3


def test_unidentified_suspects_are_distinct_people(force: Force) -> None:
    person_of = force.person_of()
    records_per_person = Counter(person_of.values())
    unidentified = [
        r
        for r in force.tables["people"]
        if r["role"] == "suspect"
        and (r["forenames"] in ("", "Unknown") or r["forenames"].startswith(("male ", "female ")))
        and r["surname"] in ("", "Unknown", "UNKNOWN")
    ]
    assert len(unidentified) >= 5
    for row in unidentified:
        assert records_per_person[person_of[row["mention_id"]]] == 1
        label = row["aliases"] or row["forenames"]
        assert re.search(r"(male|female|person) \d", label), row


def test_ethnicity_unrecorded_for_about_two_thirds_of_suspects(force: Force) -> None:
    suspects = [r for r in force.tables["people"] if r["role"] == "suspect"]
    blank = sum(1 for r in suspects if not r["ethnicity"]) / len(suspects)
    assert 0.55 <= blank <= 0.8


def test_protected_characteristics_do_not_follow_the_role(force: Force) -> None:
    by_role: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in force.tables["people"]:
        if row["forenames"] not in ("", "Unknown"):
            by_role[row["role"]].append(row)

    def share(rows: list[dict[str, str]], column: str, value: str) -> float:
        recorded = [r for r in rows if r[column]]
        return sum(1 for r in recorded if r[column] == value) / len(recorded)

    for column, value in (("sex", "F"), ("ethnicity", "W1"), ("nationality", "British")):
        gap = share(by_role["suspect"], column, value) - share(by_role["victim"], column, value)
        assert abs(gap) < 0.15, (column, gap)


def test_recording_noise_is_present(force: Force) -> None:
    people = force.tables["people"]
    dobs = [r["date_of_birth"] for r in people]
    assert any(re.fullmatch(r"\d{4}", d) for d in dobs)
    assert any(re.fullmatch(r"\d{4}-\d{2}", d) for d in dobs)
    assert any(not r["date_of_birth"] and r["age_at_offence"] for r in people)
    assert any(";" in r["aliases"] for r in people) or any(r["aliases"] for r in people)
    phones = [r["phone"] for r in people if r["phone"]]
    assert any(p.startswith("+44") for p in phones)
    assert any(p.startswith("07") for p in phones)
    postcodes = [r["postcode"] for r in people if r["postcode"]]
    assert any(" " not in p for p in postcodes) and any(p != p.upper() for p in postcodes)
    with_nominal = sum(1 for r in people if r["nominal_id"])
    assert 0 < with_nominal < len(people) / 2
    variants = [
        rows
        for rows in _mentions_by_person(force).values()
        if len({r["forenames"].split(" ")[0] for r in rows if r["forenames"]}) >= 2
    ]
    assert variants


def test_phones_are_drama_numbers_and_vrms_valid(force: Force) -> None:
    phones = [r["phone"] for r in force.tables["people"] if r["phone"]]
    phones += [r["written"] for r in force.truth["planted_identifiers"] if r["kind"] == "phone"]
    for written in phones:
        assert DRAMA_PHONES.fullmatch(canonical_phone(written)), written
    for row in force.tables["vehicles"]:
        vrm = canonical_vrm(row["vrm"])
        if len(vrm) > 4:  # a partial mark is the first half of the plate
            assert any(re.fullmatch(p, vrm) for p in VRM_FORMATS), vrm


def test_decisions_fall_mostly_inside_the_window(force: Force) -> None:
    nfa = [
        c
        for c in force.tables["cases"]
        if c["outcome_code"] and int(c["outcome_code"]) not in (1, 19, 22)
    ]
    inside = [c for c in nfa if "2010-01-01" <= c["outcome_on"] <= "2025-03-31"]
    assert 0.75 <= len(inside) / len(nfa) < 1
    assert any(c["outcome_code"] == "1" for c in force.tables["cases"])
    assert any(not c["outcome_code"] for c in force.tables["cases"])


def test_some_cases_closed_within_days(force: Force) -> None:
    quick = [
        c
        for c in force.tables["cases"]
        if c["outcome_on"]
        and (date.fromisoformat(c["outcome_on"]) - date.fromisoformat(c["reported_on"])).days <= 7
    ]
    assert quick
