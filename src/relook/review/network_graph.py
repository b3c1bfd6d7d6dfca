"""A network as graph elements for the case page (Cytoscape.js's JSON format).

`linking_identifiers` reads `kind=value (C1,C2,…);…`: each identifier becomes a node
joined to the cases that share it, so the picture shows *why* the cases are linked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_IDENTIFIER = re.compile(r"^(?P<kind>[a-z_]+)=(?P<value>.+?)\s*\((?P<cases>[^)]*)\)\s*$")

KIND_LABELS = {"suspect": "Suspect", "vrm": "Vehicle", "phone": "Phone", "postcode": "Place"}


@dataclass(frozen=True)
class LinkingIdentifier:
    kind: str
    value: str
    case_ids: tuple[str, ...]


def parse_identifiers(text: str | None) -> list[LinkingIdentifier]:
    found = []
    for item in (text or "").split(";"):
        match = _IDENTIFIER.match(item.strip())
        if match:
            cases = tuple(c.strip() for c in match["cases"].split(",") if c.strip())
            found.append(LinkingIdentifier(match["kind"], match["value"].strip(), cases))
    return found


@dataclass(frozen=True)
class NetworkCase:
    case_id: str
    band: str | None
    in_scope: bool
    may_open: bool


SHOWN_CASES_MAX = 200
"""A network of more cases is shown from the current case outwards: a picture of
thousands of nodes cannot be read, and would stall the reviewer's browser."""


def neighbourhood(
    case_ids: Sequence[str],
    identifiers: list[LinkingIdentifier],
    current_case: str,
    limit: int = SHOWN_CASES_MAX,
) -> tuple[frozenset[str] | None, list[LinkingIdentifier]]:
    """The cases to show and the identifiers between them: None (every case) and the
    identifiers as they are when the network has at most `limit` cases. Else the current
    case and the cases its identifiers join it to, up to `limit`, the identifiers of
    fewest cases first (a suspect shared by two cases before a phone shared by thirty);
    each identifier keeps only the cases shown, and one left with a single case is
    dropped."""
    if len(case_ids) <= limit:
        return None, identifiers
    wanted = {current_case}
    held = sorted(
        (i for i in identifiers if current_case in i.case_ids), key=lambda i: len(i.case_ids)
    )
    for identifier in held:
        for case_id in identifier.case_ids:
            if len(wanted) >= limit:
                break
            wanted.add(case_id)
    shown = frozenset(wanted)
    return shown, [i for i in within(identifiers, shown) if current_case in i.case_ids]


def within(identifiers: list[LinkingIdentifier], shown: frozenset[str]) -> list[LinkingIdentifier]:
    """The identifiers trimmed to the cases shown, those still joining two or more."""
    trimmed = (
        LinkingIdentifier(i.kind, i.value, tuple(c for c in i.case_ids if c in shown))
        for i in identifiers
    )
    return [i for i in trimmed if len(i.case_ids) > 1]


def format_identifiers(identifiers: list[LinkingIdentifier]) -> str:
    """Back to the `kind=value (C1,C2)` text `parse_identifiers` reads."""
    return ";".join(f"{i.kind}={i.value} ({','.join(i.case_ids)})" for i in identifiers)


def elements(
    cases: list[NetworkCase],
    identifiers: list[LinkingIdentifier],
    *,
    current_case: str,
    suspect_names: Mapping[str, str],
    case_url: str = "/cases/",
    person_url: str = "/persons/",
) -> list[dict[str, Any]]:
    known = {c.case_id for c in cases}
    result: list[dict[str, Any]] = []
    for case in cases:
        data: dict[str, Any] = {
            "id": f"case:{case.case_id}",
            "label": case.case_id,
            "kind": "case",
            "band": case.band or "",
            "current": case.case_id == current_case,
            "inScope": case.in_scope,
        }
        if case.may_open:
            data["href"] = case_url + case.case_id
        result.append({"group": "nodes", "data": data})
    for number, identifier in enumerate(identifiers):
        # Numbered, not named by value: a withheld value must not become a node's id.
        node_id = f"id:{number}:{identifier.kind}"
        kind_label = KIND_LABELS.get(identifier.kind, identifier.kind)
        name = suspect_names.get(identifier.value) if identifier.kind == "suspect" else None
        data = {
            "id": node_id,
            "label": f"{kind_label}: {name or identifier.value}",
            "kind": identifier.kind,
        }
        if identifier.kind == "suspect":
            data["href"] = person_url + identifier.value
        result.append({"group": "nodes", "data": data})
        for case_id in identifier.case_ids:
            if case_id in known:
                result.append(
                    {
                        "group": "edges",
                        "data": {
                            "id": f"{node_id}->{case_id}",
                            "source": node_id,
                            "target": f"case:{case_id}",
                        },
                    }
                )
    return result
