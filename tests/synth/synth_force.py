"""Reading a generated force back, and independent re-implementations of what the truth
claims (canonical forms, screening), so tests check the generator against the brief rather
than against itself."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import phonenumbers

from relook.contract.schema import TABLES

TRUTH_FILES = (
    "persons",
    "cases",
    "planted_identifiers",
    "planted_language",
    "planted_corroborations",
)

Row = dict[str, str]


def read_csv(path: Path) -> tuple[list[str], list[Row]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@dataclass
class Force:
    root: Path
    headers: dict[str, list[str]] = field(default_factory=dict)
    tables: dict[str, list[Row]] = field(default_factory=dict)
    truth: dict[str, list[Row]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> Force:
        force = cls(root)
        for name in TABLES:
            force.headers[name], force.tables[name] = read_csv(root / f"{name}.csv")
        for name in TRUTH_FILES:
            force.headers[f"truth/{name}"], force.truth[name] = read_csv(
                root / "truth" / f"{name}.csv"
            )
        return force

    def person_of(self) -> dict[str, str]:
        return {r["record_id"]: r["person_id"] for r in self.truth["persons"]}

    def people_by_case(self) -> dict[str, list[Row]]:
        grouped: dict[str, list[Row]] = defaultdict(list)
        for row in self.tables["people"]:
            grouped[row["case_id"]].append(row)
        return grouped

    def case_truth(self) -> dict[str, Row]:
        return {r["case_id"]: r for r in self.truth["cases"]}


# ---- canonical forms, written independently of the generator ----


def canonical_phone(written: str) -> str:
    number = phonenumbers.parse(written, "GB")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def canonical_postcode(written: str) -> str:
    compact = re.sub(r"\s+", "", written).upper()
    return f"{compact[:-3]} {compact[-3:]}"


def canonical_vrm(written: str) -> str:
    return re.sub(r"\s+", "", written).upper()


def structured_values(force: Force) -> dict[str, dict[str, set[str]]]:
    """Per case, the canonical identifiers its structured tables hold, by kind."""
    person_of = force.person_of()
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in force.tables["people"]:
        held = values[row["case_id"]]
        held["name"].add(person_of[row["mention_id"]])
        if row["phone"]:
            held["phone"].add(canonical_phone(row["phone"]))
        if row["postcode"]:
            held["postcode"].add(canonical_postcode(row["postcode"]))
    for row in force.tables["vehicles"]:
        if row["vrm"]:
            values[row["case_id"]]["vrm"].add(canonical_vrm(row["vrm"]))
    for row in force.tables["locations"]:
        held = values[row["case_id"]]
        if row["name"]:
            held["place"].add(row["name"])
        if row["postcode"]:
            held["postcode"].add(canonical_postcode(row["postcode"]))
    return values


# ---- screening, re-implemented from the domain brief ----

CHILD_CODES = {"17B", "19D", "19E", "19G", "19H", "20B", "21", "22B", "23", "71", "72", "73", "88A"}
ADULT_CODES = {"17A", "19C", "19F", "20A", "22A", "88C", "88D", "88E"}
NFA = {9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21}


def latest_dob(written: str) -> date:
    """A partial date of birth read as its latest possible day (as screening does)."""
    parts = [int(p) for p in written.split("-")]
    if len(parts) == 3:
        return date(parts[0], parts[1], parts[2])
    if len(parts) == 2:
        year, month = parts
        return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return date(parts[0], 12, 31)


def earliest_dob(written: str) -> date:
    parts = [int(p) for p in written.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def recorded_age(row: Row, on: date) -> int | None:
    if row["date_of_birth"]:
        return age_on(latest_dob(row["date_of_birth"]), on)
    if row["age_at_offence"]:
        return int(row["age_at_offence"])
    return None


def screen(force: Force) -> dict[str, tuple[bool, bool, str]]:
    """(wider, narrower, category) per case from the written data plus truth persons."""
    person_of = force.person_of()
    by_case = force.people_by_case()
    # A person is deceased when any mention of them, on any case, says so.
    deceased = {
        person_of[m["mention_id"]] for m in force.tables["people"] if m["deceased"] == "true"
    }
    result: dict[str, tuple[bool, bool, str]] = {}
    for case in force.tables["cases"]:
        mentions = by_case.get(case["case_id"], [])
        on = date.fromisoformat(case["offence_from"] or case["reported_on"])
        decided = case["outcome_on"] or case["reported_on"]
        window = "2010-01-01" <= decided <= "2025-03-31"
        victim_ages = [recorded_age(m, on) for m in mentions if m["role"] == "victim"]
        child = any(a is not None and a < 18 for a in victim_ages)
        code = case["offence_code"]
        sexual = (
            code in CHILD_CODES or case["cse_flag"] == "true" or (code in ADULT_CODES and child)
        )
        suspects = [m for m in mentions if m["role"] == "suspect"]
        group = len({person_of[m["mention_id"]] for m in suspects}) >= 2
        nfa = bool(case["outcome_code"]) and int(case["outcome_code"]) in NFA
        alive = {person_of[m["mention_id"]] for m in suspects} - deceased
        not_reviewed = case["previously_reviewed"] != "true"
        relationships = {m["relationship_to_victim"] for m in suspects}
        intra = bool(relationships & {"family", "carer"}) or case["setting"] == "family_home"
        inst = "institution_staff" in relationships or case["setting"] == "institution"
        suspect_ages = [recorded_age(m, on) for m in suspects]
        peer = bool(suspects) and all(a is not None and a < 18 for a in suspect_ages)
        wider = window and child and sexual and group and nfa and len(alive) >= 2 and not_reviewed
        narrower = wider and not (intra or inst or peer)
        if intra:
            category = "intrafamilial"
        elif inst:
            category = "institutional"
        elif peer:
            category = "peer_on_peer"
        elif case["setting"] == "online":
            category = "online"
        elif group:
            category = "group_exploitation"
        else:
            category = "unknown"
        result[case["case_id"]] = (wider, narrower, category)
    return result


LEXICON_STEMS = re.compile(
    r"at risk|lifestyle choice|promiscuous|sexually active|consented|prostitut"
    r"|in a relationship with|boyfriend",
    re.IGNORECASE,
)
