"""Everything the case page shows, read in a fixed, small number of queries.

Summary; why the case is in scope and why it has its priority; a timeline (offence,
report, outcome, notes, victims' missing episodes, later cases of the same people);
people (victims pseudonymised unless revealed); vehicles and places; leads with their
evidence highlighted; language flags with the suggested wording; the case's network.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select

from relook.review import case_document, network_graph, pseudonyms
from relook.review.access import Reach
from relook.review.case_document import CaseDocument
from relook.review.highlight import Piece, Span, pieces
from relook.review.reasons import Reason, priority_reasons, screening_reasons
from relook.store.tables import run_case_documents, run_cases

OUTCOME_LABELS = {
    9: "CPS: prosecution not in the public interest",
    10: "Police: formal action not in the public interest",
    11: "Prosecution prevented: suspect under age",
    12: "Prosecution prevented: suspect too ill",
    13: "Prosecution prevented: victim or key witness dead or too ill",
    14: "Evidential difficulties: victim declines or unable to support action",
    15: "Evidential difficulties: suspect identified, victim supports action",
    16: "Evidential difficulties: victim does not support action",
    17: "Prosecution time limit expired",
    18: "Investigation complete: no suspect identified",
    20: "Other body or agency has investigative primacy",
    21: "Police: not in the public interest (suspect identified)",
}

SNIPPET_CONTEXT = 90


@dataclass(frozen=True)
class PersonView:
    mention_id: str
    role: str
    name: str
    protected: bool
    """A victim shown under a label (names, date of birth and contact details hidden)."""
    aliases: str | None
    date_of_birth: str | None
    age_at_offence: int | None
    under_18_today: bool | None
    address: str | None
    postcode: str | None
    phone: str | None
    nominal_id: str | None
    relationship: str | None
    in_care: bool | None
    care_setting: str | None
    person_id: str | None
    other_cases: int


@dataclass(frozen=True)
class TimelineItem:
    date: dt.date | None
    kind: str
    title: str
    text: list[Piece] = field(default_factory=list)
    anchor: str | None = None
    link: str | None = None


@dataclass(frozen=True)
class LeadView:
    lead_id: str
    kind: str
    detail: str
    evidence: str
    source: str
    anchor: str | None
    snippet: list[Piece]


@dataclass(frozen=True)
class FlagView:
    note_id: str | None
    phrase: str
    suggested_wording: str
    anchor: str | None


@dataclass(frozen=True)
class LinkedCase:
    case_id: str
    reported_on: dt.date | None
    who: str
    role: str
    later: bool
    may_open: bool


@dataclass(frozen=True)
class NetworkView:
    network_id: str
    n_cases: int
    n_suspects: int
    n_victims: int
    identifiers: list[network_graph.LinkingIdentifier]
    supporting: str | None
    cases: list[network_graph.NetworkCase]
    elements: list[dict[str, Any]]
    key_suspects: list[tuple[str, str, float]]
    """(person_id, name, betweenness) of the suspects that connect the network."""
    suspect_names: dict[str, str]


@dataclass(frozen=True)
class CaseSummary:
    case_id: str
    force: str | None
    area: str | None
    reported_on: dt.date | None
    offence_from: dt.date | None
    offence_to: dt.date | None
    offence_code: str | None
    offence_title: str | None
    cse_flag: bool | None
    setting: str | None
    outcome_code: int | None
    outcome_on: dt.date | None
    outcome_by: str | None
    summary: list[Piece]
    in_scope_wider: bool
    in_scope_narrower: bool
    category: str | None
    rules_version: str | None
    network_id: str | None
    rank: int | None
    band: str | None
    score: float | None

    @property
    def outcome_label(self) -> str:
        if self.outcome_code is None:
            return "no outcome recorded"
        return OUTCOME_LABELS.get(self.outcome_code, f"outcome {self.outcome_code}")


@dataclass(frozen=True)
class CasePage:
    case: CaseSummary
    screening: list[Reason]
    priority: list[Reason]
    people: list[PersonView]
    vehicles: list[dict[str, Any]]
    locations: list[dict[str, Any]]
    timeline: list[TimelineItem]
    leads: list[LeadView]
    flags: list[FlagView]
    linked_cases: list[LinkedCase]
    network: NetworkView | None
    revealed: bool
    has_protected: bool


# The case's row and its stored document in one statement: a round trip fewer on
# PostgreSQL for every case page.
_CASE_ROW = (
    select(run_cases, run_case_documents.c.document)
    .select_from(
        run_cases.outerjoin(
            run_case_documents,
            (run_case_documents.c.run_id == run_cases.c.run_id)
            & (run_case_documents.c.case_id == run_cases.c.case_id),
        )
    )
    .where(run_cases.c.run_id == bindparam("run_id"), run_cases.c.case_id == bindparam("case_id"))
)


def find_case(connection: Connection, run_id: str, case_id: str) -> Row[Any] | None:
    """The case's row in the run, with its stored document as `document`."""
    return connection.execute(_CASE_ROW, {"run_id": run_id, "case_id": case_id}).first()


def _parse_dob(value: str | None) -> dt.date | None:
    """A partial date of birth read as its latest possible day (as the screening does)."""
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return dt.date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            following = dt.date(year + (month == 12), month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(year, month, int(parts[2][:2]))
    except (ValueError, IndexError):
        return None


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _mention_name(row: Any) -> str:
    name = " ".join(p for p in (row.forenames, row.surname) if p)
    return name or "(name not recorded)"


def build(
    connection: Connection,
    run_id: str,
    case_row: Row[Any],
    *,
    reach: Reach,
    revealed: bool,
    today: dt.date | None = None,
    document: CaseDocument | None = None,
) -> CasePage:
    """The page for one case; `document` is read from the store unless given."""
    today = today or dt.date.today()
    case_id = case_row.case_id
    doc = document or case_document.load(connection, run_id, case_row)
    people = doc.people
    victims = sorted(p.mention_id for p in people if p.role == "victim")
    labels = pseudonyms.victim_labels(victims)
    redact: Callable[[str], str] = pseudonyms.NO_REDACTION
    if not revealed:
        redact = pseudonyms.Redactor(
            pseudonyms.VictimName(
                labels[p.mention_id], pseudonyms.name_parts(p.forenames, p.surname, p.aliases)
            )
            for p in people
            if p.role == "victim"
        )

    def display_name(p: Any) -> str:
        if p.role == "victim" and not revealed:
            return labels[p.mention_id]
        if p.role != "suspect":
            # A relative who shares the victim's surname would give it away.
            return redact(_mention_name(p))
        return _mention_name(p)

    who_by_person = {p.person_id: (display_name(p), p.role) for p in people if p.person_id}

    # Other cases of the same people, split into earlier and later.
    appearances = doc.appearances
    other_cases: dict[str, set[str]] = defaultdict(set)
    for a in appearances:
        other_cases[a.person_id].add(a.case_id)
    reference = case_row.reported_on
    linked_cases = []
    seen: set[tuple[str, str]] = set()
    for a in appearances:
        who, _ = who_by_person[a.person_id]
        key = (a.case_id, who)
        if key in seen:
            continue
        seen.add(key)
        later = bool(reference and a.reported_on and a.reported_on > reference)
        linked_cases.append(
            LinkedCase(
                a.case_id,
                a.reported_on,
                who,
                a.role,
                later,
                reach.may_open(a.case_id, a.network_id),
            )
        )

    person_views = []
    for p in people:
        # Victims, and anyone whose name shares a part with a victim's (family), are shown
        # without identifying details until revealed.
        protected = not revealed and (
            p.role == "victim" or (p.role != "suspect" and display_name(p) != _mention_name(p))
        )
        born = _parse_dob(p.date_of_birth)
        offence_day = case_row.offence_from or case_row.reported_on
        age_at_offence = p.age_at_offence
        if age_at_offence is None and born and offence_day:
            age_at_offence = _age(born, offence_day)
        person_views.append(
            PersonView(
                mention_id=p.mention_id,
                role=p.role or "unknown",
                name=display_name(p),
                protected=protected,
                aliases=None if protected else p.aliases,
                date_of_birth=None if protected else p.date_of_birth,
                age_at_offence=age_at_offence,
                under_18_today=(_age(born, today) < 18) if born else None,
                address=None if protected else p.address,
                postcode=None if protected else p.postcode,
                phone=None if protected else p.phone,
                nominal_id=p.nominal_id,
                relationship=p.relationship_to_victim,
                in_care=p.in_care,
                care_setting=p.care_setting,
                person_id=p.person_id,
                other_cases=len(other_cases.get(p.person_id, ())) if p.person_id else 0,
            )
        )

    notes, leads, flags, episodes = doc.notes, doc.leads, doc.flags, doc.episodes
    vehicles, locations = doc.vehicles, doc.locations

    # Highlights per source text: (table, id, field) → spans.
    spans: dict[tuple[str, str, str], list[Span]] = defaultdict(list)
    for lead in leads:
        if lead.source_table and lead.source_id and lead.span_start is not None:
            spans[(lead.source_table, lead.source_id, lead.source_field or "text")].append(
                Span(lead.span_start, lead.span_end or lead.span_start, "lead", lead.detail or "")
            )
    for flag in flags:
        if flag.span_start is None:
            continue
        # A flag without a note is in the case summary.
        flag_key = (
            ("notes", flag.note_id, "text") if flag.note_id else ("cases", case_id, "summary")
        )
        spans[flag_key].append(
            Span(
                flag.span_start,
                flag.span_end or flag.span_start,
                "language",
                f"Suggested wording: {flag.suggested_wording}"
                if flag.suggested_wording
                else "Review this wording",
            )
        )

    texts: dict[tuple[str, str, str], str] = {}
    anchors: dict[tuple[str, str], str] = {}
    texts[("cases", case_id, "summary")] = case_row.summary or ""
    anchors[("cases", case_id)] = "summary"
    for note in notes:
        texts[("notes", note.note_id, "text")] = note.text or ""
        anchors[("notes", note.note_id)] = f"note-{note.note_id}"
    for episode in episodes:
        for name in ("found_with", "found_location"):
            texts[("missing_episodes", episode.episode_id, name)] = getattr(episode, name) or ""
        anchors[("missing_episodes", episode.episode_id)] = f"episode-{episode.episode_id}"
    for vehicle in vehicles:
        texts[("vehicles", vehicle["vehicle_id"], "context")] = vehicle["context"] or ""

    def marked(table: str, source_id: str, name: str) -> list[Piece]:
        text = texts.get((table, source_id, name), "")
        return pieces(text, spans.get((table, source_id, name), ()), redact)

    summary = CaseSummary(
        case_id=case_id,
        force=case_row.force,
        area=case_row.area,
        reported_on=case_row.reported_on,
        offence_from=case_row.offence_from,
        offence_to=case_row.offence_to,
        offence_code=case_row.offence_code,
        offence_title=case_row.offence_title,
        cse_flag=case_row.cse_flag,
        setting=case_row.setting,
        outcome_code=case_row.outcome_code,
        outcome_on=case_row.outcome_on,
        outcome_by=case_row.outcome_by,
        summary=marked("cases", case_id, "summary"),
        in_scope_wider=bool(case_row.in_scope_wider),
        in_scope_narrower=bool(case_row.in_scope_narrower),
        category=case_row.category,
        rules_version=case_row.rules_version,
        network_id=case_row.network_id,
        rank=case_row.queue_rank,
        band=case_row.priority_band,
        score=case_row.priority_score,
    )

    timeline: list[TimelineItem] = []
    if case_row.offence_from:
        until = f" to {case_row.offence_to.isoformat()}" if case_row.offence_to else ""
        timeline.append(
            TimelineItem(case_row.offence_from, "offence", f"Offending from{until or ' (start)'}")
        )
    if case_row.reported_on:
        timeline.append(
            TimelineItem(
                case_row.reported_on,
                "report",
                f"Reported: {case_row.offence_title or case_row.offence_code or 'offence'}",
            )
        )
    for note in notes:
        timeline.append(
            TimelineItem(
                note.recorded_on,
                "note",
                f"Note by {(note.author_role or 'unknown author').replace('_', ' ')}",
                marked("notes", note.note_id, "text"),
                anchor=f"note-{note.note_id}",
            )
        )
    victim_label_by_person = {
        p.person_id: display_name(p) for p in people if p.person_id and p.role == "victim"
    }
    for episode in episodes:
        who = victim_label_by_person.get(episode.person_id, "A child linked to a lead")
        returned = (
            f", returned {episode.returned_at:%Y-%m-%d %H:%M}"
            if episode.returned_at
            else ", return not recorded"
        )
        place = f" from {episode.care_setting}" if episode.care_setting else ""
        body = marked("missing_episodes", episode.episode_id, "found_location")
        with_whom = marked("missing_episodes", episode.episode_id, "found_with")
        text = [Piece("Found: "), *body, Piece(" With: "), *with_whom] if body or with_whom else []
        timeline.append(
            TimelineItem(
                episode.missing_from.date() if episode.missing_from else None,
                "missing",
                f"{who} reported missing{place}{returned}",
                text,
                anchor=f"episode-{episode.episode_id}",
            )
        )
    if case_row.outcome_on:
        by = f" ({case_row.outcome_by.upper() if case_row.outcome_by == 'cps' else 'police'})"
        timeline.append(
            TimelineItem(
                case_row.outcome_on,
                "outcome",
                f"Outcome {case_row.outcome_code}{by}: {summary.outcome_label}",
            )
        )
    for linked in linked_cases:
        if linked.later:
            timeline.append(
                TimelineItem(
                    linked.reported_on,
                    "later_case",
                    f"{linked.who} appears in later case {linked.case_id} as {linked.role}",
                    link=f"/cases/{linked.case_id}" if linked.may_open else None,
                )
            )
    order = {"offence": 0, "report": 1, "note": 2, "missing": 2, "outcome": 3, "later_case": 4}
    timeline.sort(key=lambda i: (i.date is None, i.date or dt.date.min, order.get(i.kind, 9)))

    lead_views = []
    for lead in leads:
        source_key = (lead.source_table or "", lead.source_id or "", lead.source_field or "text")
        source_text = texts.get(source_key, "")
        snippet: list[Piece] = []
        if source_text and lead.span_start is not None:
            start = max(0, lead.span_start - SNIPPET_CONTEXT)
            end = min(len(source_text), (lead.span_end or lead.span_start) + SNIPPET_CONTEXT)
            local = [
                Span(s.start - start, s.end - start, s.kind, s.note)
                for s in spans.get(source_key, ())
                if s.start >= start and s.end <= end
            ]
            snippet = pieces(source_text[start:end], local, redact)
            if start > 0:
                snippet.insert(0, Piece("…"))
            if end < len(source_text):
                snippet.append(Piece("…"))
        source = " ".join(
            v for v in (lead.source_table, lead.source_id, lead.source_field) if v
        ).replace("_", " ")
        lead_views.append(
            LeadView(
                lead_id=lead.lead_id,
                kind=(lead.kind or "lead").replace("_", " "),
                detail=redact(lead.detail or ""),
                evidence=redact(lead.evidence or ""),
                source=source,
                anchor=anchors.get((lead.source_table or "", lead.source_id or "")),
                snippet=snippet,
            )
        )
    flag_views = [
        FlagView(
            note_id=f.note_id,
            phrase=f.phrase or "",
            suggested_wording=f.suggested_wording or "",
            anchor=f"note-{f.note_id}" if f.note_id else "summary",
        )
        for f in flags
    ]

    network = _network(doc.network, case_id, reach) if doc.network else None
    return CasePage(
        case=summary,
        screening=screening_reasons(case_row.screening_reasons),
        priority=priority_reasons(case_row.priority_reasons),
        people=person_views,
        vehicles=vehicles,
        locations=locations,
        timeline=timeline,
        leads=lead_views,
        flags=flag_views,
        linked_cases=linked_cases,
        network=network,
        revealed=revealed,
        has_protected=bool(victims),
    )


def _network(document: dict[str, Any], case_id: str, reach: Reach) -> NetworkView:
    network_id = document["network_id"]
    cases = [
        network_graph.NetworkCase(
            c["case_id"],
            c["priority_band"],
            bool(c["in_scope_wider"]),
            reach.may_open(c["case_id"], network_id),
        )
        for c in document.get("cases") or ()
    ]
    identifiers = network_graph.parse_identifiers(document.get("linking_identifiers"))
    suspects = document.get("suspects") or []
    names = {n["person_id"]: n["name"] for n in document.get("names") or ()}
    return NetworkView(
        network_id=network_id,
        n_cases=document.get("n_cases") or len(cases),
        n_suspects=document.get("n_suspects") or 0,
        n_victims=document.get("n_victims") or 0,
        identifiers=identifiers,
        supporting=document.get("supporting_identifiers"),
        cases=cases,
        elements=network_graph.elements(
            cases, identifiers, current_case=case_id, suspect_names=names
        ),
        key_suspects=[
            (
                s["person_id"],
                names.get(s["person_id"], s["person_id"]),
                float(s["betweenness"] or 0),
            )
            for s in suspects[:5]
        ],
        suspect_names=names,
    )
