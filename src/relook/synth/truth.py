"""Ground truth for screening, computed from the true facts with the domain brief's
default rules:

- window: the decision date (outcome_on, else reported_on) in 2010-01-01..2025-03-31;
- child_victim: a victim under 18 on the reference date (offence_from, else reported_on);
- sexual_offence: a child offence code, or cse_flag true, or an adult-age code with a
  child victim;
- group: two or more distinct true suspects (each unidentified suspect is one person; a
  person entered twice counts once);
- nfa: outcome type 9-18, 20 or 21;
- suspects_alive: two or more distinct true suspects not known to have died;
- not_previously_reviewed: the case was not reviewed before (not known counts as not).

The narrower definition also excludes intra-familial cases (a suspect who is `family` or
`carer`, or setting `family_home`), institutional cases (`institution_staff` or setting
`institution`) and peer-on-peer cases (at least one suspect, every one under 18).

Category, the first that applies: intrafamilial, institutional, peer_on_peer, online
(setting `online`), group_exploitation (passes `group`), else unknown (as docs/rules.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from relook.synth.codes import ADULT_AGE_OFFENCES, CHILD_OFFENCES, NFA_OUTCOMES
from relook.synth.dates import ADULT_AGE, WINDOW_END, WINDOW_START, age_on
from relook.synth.model import Case
from relook.synth.records import Row


@dataclass(frozen=True)
class Screening:
    wider: bool
    narrower: bool
    category: str


def _is_child(case: Case, role: str) -> list[bool]:
    on = case.reference_date
    return [age_on(p.dob, on) < ADULT_AGE for p in case.people(role)]


def screen(case: Case) -> Screening:
    relationships = {inv.relationship for inv in case.involvements if inv.role == "suspect"}
    suspects_child = _is_child(case, "suspect")
    child_victim = any(_is_child(case, "victim"))
    window = WINDOW_START <= case.decision_date <= WINDOW_END
    sexual = (
        case.offence_code in CHILD_OFFENCES
        or case.cse_flag is True
        or (case.offence_code in ADULT_AGE_OFFENCES and child_victim)
    )
    group = len(suspects_child) >= 2
    nfa = case.outcome_code in NFA_OUTCOMES
    alive = len([p for p in case.people("suspect") if p.deceased is not True]) >= 2
    not_reviewed = case.previously_reviewed is not True
    intrafamilial = bool(relationships & {"family", "carer"}) or case.setting == "family_home"
    institutional = "institution_staff" in relationships or case.setting == "institution"
    peer = bool(suspects_child) and all(suspects_child)
    wider = window and child_victim and sexual and group and nfa and alive and not_reviewed
    narrower = wider and not (intrafamilial or institutional or peer)
    if intrafamilial:
        category = "intrafamilial"
    elif institutional:
        category = "institutional"
    elif peer:
        category = "peer_on_peer"
    elif case.setting == "online":
        category = "online"
    elif group:
        category = "group_exploitation"
    else:
        category = "unknown"
    return Screening(wider, narrower, category)


def reoffended_later(cases: list[Case]) -> dict[str, bool]:
    """Per case: does any of its suspects appear, in any role, in a later-reported case?"""
    last_seen: dict[str, int] = {}  # person_id -> latest report day (ordinal)
    for case in cases:
        day = case.reported_on.toordinal()
        for inv in case.involvements:
            pid = inv.person.person_id
            last_seen[pid] = max(last_seen.get(pid, day), day)
    result: dict[str, bool] = {}
    for case in cases:
        day = case.reported_on.toordinal()
        result[case.case_id] = any(last_seen[p.person_id] > day for p in case.people("suspect"))
    return result


def linked_networks(cases: list[Case]) -> dict[str, str]:
    """Per case in a true network: its id, as the spec defines networks, on true identities.

    Cases are joined when they share a true suspect (the same human being, however
    recorded), a vehicle whose whole mark was recorded and which is not a victim's, or a
    suspect's phone. A network is a connected component of two or more cases, named
    `TN` + its smallest case id. This includes suspects who offend again in unrelated
    background cases: by the definition they link those cases too. The planted story
    network is kept apart in `story_network_id`.
    """
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for case in cases:
        victims = {p.person_id for p in case.people("victim")}
        keys = [f"person:{p.person_id}" for p in case.people("suspect")]
        keys += [f"phone:{phone}" for p in case.people("suspect") for phone in p.phones]
        keys += [
            f"vrm:{use.vehicle.vrm}"
            for use in case.vehicles
            if not use.partial and (use.linked_to is None or use.linked_to.person_id not in victims)
        ]
        for key in keys:
            parent[find(key)] = find(f"case:{case.case_id}")
    members: dict[str, list[str]] = {}
    for case in cases:
        members.setdefault(find(f"case:{case.case_id}"), []).append(case.case_id)
    # One name per group, not one min() per member: a large network's members made it
    # quadratic (17 minutes of a 150,000-case force's generation).
    named = {"TN" + min(group): group for group in members.values() if len(group) >= 2}
    return {case_id: name for name, group in named.items() for case_id in group}


def _flag(value: bool) -> str:
    return "true" if value else "false"


def case_truth_rows(cases: list[Case]) -> list[Row]:
    """truth/cases.csv rows: case_id, kind, network_id, story_network_id, in_scope_wider,
    in_scope_narrower, category, reoffended_later."""
    later = reoffended_later(cases)
    linked = linked_networks(cases)
    rows: list[Row] = []
    for case in cases:
        result = screen(case)
        rows.append(
            [
                case.case_id,
                case.kind,
                linked.get(case.case_id, ""),
                case.network.network_id if case.network else "",
                _flag(result.wider),
                _flag(result.narrower),
                result.category,
                _flag(later[case.case_id]),
            ]
        )
    return rows
