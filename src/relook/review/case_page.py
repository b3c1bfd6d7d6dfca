"""Everything the case page shows, from the case's row and its stored document.

Summary; why the case is in scope and why it has its priority; a timeline (offence,
report, outcome, notes, victims' missing episodes, later cases of the same people);
people (protected ones under a label unless revealed, see `relook.review.visibility`);
vehicles and places; leads with their evidence highlighted; language flags with the
suggested wording; the case's network.

`build` reads the document; `page` assembles the page from it with one small builder per
part, each a function of plain records (so each can be tested on a hand-made document).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select

from relook.pipeline import ages
from relook.review import case_document, lead_actions, network_graph
from relook.review.access import Reach
from relook.review.case_document import (
    Appearance,
    CaseDocument,
    Episode,
    Flag,
    Lead,
    Location,
    Mention,
    Note,
    Vehicle,
)
from relook.review.highlight import Piece, Span, pieces
from relook.review.lead_actions import LeadMark
from relook.review.reasons import Reason, priority_reasons, screening_reasons
from relook.review.visibility import NamedRecord, Place, Visibility, protects_person
from relook.store.tables import run_case_documents, run_cases, run_network_documents

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
    strength: int | None = None
    reasons: str = ""
    on_page: bool = True
    mark: LeadMark | None = None
    """What the reviewer last did with it (raised, not relevant, resulted), if anything."""


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
    partial: bool = False
    """`cases`, `identifiers` and the picture show only this case's neighbourhood: the
    network has more than `network_graph.SHOWN_CASES_MAX` cases."""


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
    vehicles: list[Vehicle]
    locations: list[Location]
    timeline: list[TimelineItem]
    leads: list[LeadView]
    """The strongest leads, shown in full (as many as the run's lead rules say)."""
    flags: list[FlagView]
    linked_cases: list[LinkedCase]
    network: NetworkView | None
    revealed: bool
    has_protected: bool
    more_leads: list[LeadView] = field(default_factory=list)
    """The weaker rest, which the page counts and lists briefly."""
    lead_counts: dict[str, int] = field(default_factory=dict)
    """How many of the case's leads are raised, not relevant, resulted (for the assessment)."""


# The case's row and the stored documents of the case and its network in one statement:
# round trips saved on PostgreSQL for every case page.
_CASE_ROW = (
    select(
        run_cases,
        run_case_documents.c.document,
        run_network_documents.c.document.label("network_document"),
    )
    .select_from(
        run_cases.outerjoin(
            run_case_documents,
            (run_case_documents.c.run_id == run_cases.c.run_id)
            & (run_case_documents.c.case_id == run_cases.c.case_id),
        ).outerjoin(
            run_network_documents,
            (run_network_documents.c.run_id == run_cases.c.run_id)
            & (run_network_documents.c.network_id == run_cases.c.network_id),
        )
    )
    .where(run_cases.c.run_id == bindparam("run_id"), run_cases.c.case_id == bindparam("case_id"))
)


def find_case(connection: Connection, run_id: str, case_id: str) -> Row[Any] | None:
    """The case's row in the run, with its stored document as `document` and its
    network's as `network_document`."""
    return connection.execute(_CASE_ROW, {"run_id": run_id, "case_id": case_id}).first()


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
    doc = document or case_document.load(connection, run_id, case_row)
    marks = lead_actions.latest(connection, case_row.case_id)
    return page(
        case_row, doc, reach=reach, revealed=revealed, today=today or dt.date.today(), marks=marks
    )


def page(
    case_row: Any,
    doc: CaseDocument,
    *,
    reach: Reach,
    revealed: bool,
    today: dt.date,
    marks: dict[str, LeadMark] | None = None,
) -> CasePage:
    """The page from the case's row (a `run_cases` row) and its document."""
    case_id = case_row.case_id
    shown = case_visibility(case_id, doc, revealed=revealed)
    sources = case_sources(case_id, case_row.summary, doc)
    summary = case_summary(case_row, sources.marked(("cases", case_id, "summary"), shown.redact))
    linked = linked_cases(
        doc.appearances, names_by_person(case_id, doc.people, shown), summary.reported_on, reach
    )
    views = lead_views(doc.leads, sources, shown.redact, marks or {})
    return CasePage(
        case=summary,
        screening=screening_reasons(case_row.screening_reasons),
        priority=priority_reasons(case_row.priority_reasons),
        people=person_views(
            case_id, doc, shown, summary.offence_from or summary.reported_on, today
        ),
        vehicles=vehicle_views(doc.vehicles, shown),
        locations=location_views(doc.locations, shown),
        timeline=timeline(summary, doc, linked, sources, shown),
        leads=[v for v in views if v.on_page],
        flags=flag_views(doc.flags),
        linked_cases=linked,
        network=network_view(doc.network, case_id, reach, shown) if doc.network else None,
        revealed=revealed,
        has_protected=shown.any_protected,
        more_leads=[v for v in views if not v.on_page],
        lead_counts=lead_actions.counts(marks or {}),
    )


# --- people and their names --------------------------------------------------------------


def named(case_id: str, person: Mention) -> NamedRecord:
    return NamedRecord(
        record_id=person.mention_id,
        role=person.role,
        forenames=person.forenames,
        surname=person.surname,
        aliases=person.aliases,
        person_id=person.person_id,
        case_id=case_id,
        address=person.address,
        postcode=person.postcode,
        care_setting=person.care_setting,
    )


def case_visibility(case_id: str, doc: CaseDocument, *, revealed: bool) -> Visibility:
    """Who is protected on the case page: see `relook.review.visibility`."""
    return Visibility(
        (named(case_id, p) for p in doc.people),
        revealed=revealed,
        protected_persons=protected_persons(doc),
        places=[
            Place(loc.address, loc.postcode, loc.name, loc.mention_id) for loc in doc.locations
        ],
        known_places=[Place(p.address, p.postcode) for p in doc.protected_places],
    )


def protected_persons(doc: CaseDocument) -> set[str]:
    """The case's resolved people that are victims or missing children on any record.

    Documents stored before the import recorded those facts still show a victim on
    another case, from the person's appearances there."""
    victim_elsewhere = {a.person_id for a in doc.appearances if a.role == "victim"}
    return {
        p.person_id
        for p in doc.people
        if p.person_id
        and protects_person(
            victim=bool(p.victim_in_any_case)
            or p.role == "victim"
            or p.person_id in victim_elsewhere,
            missing_child=bool(p.reported_missing),
        )
    }


def names_by_person(case_id: str, people: list[Mention], shown: Visibility) -> dict[str, str]:
    """Each resolved person of the case by the name the page shows them under."""
    return {p.person_id: shown.name(named(case_id, p)) for p in people if p.person_id}


def person_views(
    case_id: str,
    doc: CaseDocument,
    shown: Visibility,
    offence_day: dt.date | None,
    today: dt.date,
) -> list[PersonView]:
    other_cases: dict[str, set[str]] = defaultdict(set)
    for a in doc.appearances:
        other_cases[a.person_id].add(a.case_id)
    return [
        person_view(
            person,
            shown,
            name=shown.name(named(case_id, person)),
            offence_day=offence_day,
            today=today,
            other_cases=len(other_cases.get(person.person_id or "", ())),
        )
        for person in doc.people
    ]


def person_view(
    person: Mention,
    shown: Visibility,
    *,
    name: str,
    offence_day: dt.date | None,
    today: dt.date,
    other_cases: int,
) -> PersonView:
    """One person as the page lists them; ages from a partial date of birth read as its
    latest possible day, as screening reads it."""
    born = ages.latest_dob(person.date_of_birth)
    age_at_offence = person.age_at_offence
    if age_at_offence is None and born and offence_day:
        age_at_offence = ages.age_on(born, offence_day)

    def value(field: str, recorded: str | None) -> str | None:
        return shown.value(person.mention_id, field, recorded)

    return PersonView(
        mention_id=person.mention_id,
        role=person.role or "unknown",
        name=name,
        protected=shown.hides(person.mention_id),
        aliases=value("aliases", person.aliases),
        date_of_birth=value("date_of_birth", person.date_of_birth),
        age_at_offence=age_at_offence,
        under_18_today=(ages.age_on(born, today) < 18) if born else None,
        address=value("address", person.address),
        postcode=value("postcode", person.postcode),
        phone=value("phone", person.phone),
        nominal_id=person.nominal_id,
        relationship=person.relationship_to_victim,
        in_care=person.in_care,
        care_setting=person.care_setting,
        person_id=person.person_id,
        other_cases=other_cases,
    )


def linked_cases(
    appearances: list[Appearance],
    names: dict[str, str],
    reference: dt.date | None,
    reach: Reach,
) -> list[LinkedCase]:
    """Other cases of the case's people, once per case and name; later ones are those
    reported after `reference` (the case's report date)."""
    linked = []
    seen: set[tuple[str, str]] = set()
    for a in appearances:
        who = names[a.person_id]
        if (a.case_id, who) in seen:
            continue
        seen.add((a.case_id, who))
        later = bool(reference and a.reported_on and a.reported_on > reference)
        linked.append(
            LinkedCase(
                a.case_id, a.reported_on, who, a.role or "", later,
                reach.may_open(a.case_id, a.network_id),
            )
        )  # fmt: skip
    return linked


def vehicle_views(vehicles: list[Vehicle], shown: Visibility) -> list[Vehicle]:
    """Vehicles, their free-text context with protected names replaced."""
    return [
        replace(v, context=shown.redact(v.context) if v.context else v.context) for v in vehicles
    ]


def location_views(locations: list[Location], shown: Visibility) -> list[Location]:
    """Places; the address of a protected person's place (linked to them, or their
    children's home) is hidden like their own, and so is any protected address."""
    views = []
    for place in locations:
        hidden = (
            place.mention_id is not None and shown.hides(place.mention_id)
        ) or shown.hides_place(Place(place.address, place.postcode, place.name, place.mention_id))
        views.append(
            replace(
                place,
                name=shown.redact(place.name) if place.name else place.name,
                address=None if hidden else shown.value("", "address", place.address),
                postcode=None if hidden else shown.value("", "postcode", place.postcode),
            )
        )
    return views


# --- texts and their highlighted pieces -----------------------------------------------------

SourceKey = tuple[str, str, str]
"""(table, record id, field) of a free text."""


@dataclass(frozen=True)
class Sources:
    """The case's free texts, the highlights in each, and where on the page each is."""

    texts: dict[SourceKey, str]
    spans: dict[SourceKey, list[Span]]
    anchors: dict[tuple[str, str], str]
    """(table, record id) → the page anchor of the record's text."""

    def marked(self, key: SourceKey, redact: Callable[[str], str]) -> list[Piece]:
        return pieces(self.texts.get(key, ""), self.spans.get(key, ()), redact)

    def snippet(
        self, key: SourceKey, start: int, end: int, redact: Callable[[str], str]
    ) -> list[Piece]:
        """The text around [start, end), SNIPPET_CONTEXT characters either side, with its
        highlights; "…" where the text was cut."""
        text = self.texts.get(key, "")
        if not text:
            return []
        first = max(0, start - SNIPPET_CONTEXT)
        last = min(len(text), end + SNIPPET_CONTEXT)
        local = [
            Span(s.start - first, s.end - first, s.kind, s.note)
            for s in self.spans.get(key, ())
            if s.start >= first and s.end <= last
        ]
        cut = pieces(text[first:last], local, redact)
        return [
            *([Piece("…")] if first > 0 else []),
            *cut,
            *([Piece("…")] if last < len(text) else []),
        ]


def case_sources(case_id: str, summary: str | None, doc: CaseDocument) -> Sources:
    """The summary, notes, missing-episode records and vehicle contexts a lead or flag
    can point into."""
    texts: dict[SourceKey, str] = {("cases", case_id, "summary"): summary or ""}
    anchors: dict[tuple[str, str], str] = {("cases", case_id): "summary"}
    for note in doc.notes:
        texts[("notes", note.note_id, "text")] = note.text or ""
        anchors[("notes", note.note_id)] = f"note-{note.note_id}"
    for episode in doc.episodes:
        texts[("missing_episodes", episode.episode_id, "found_with")] = episode.found_with or ""
        texts[("missing_episodes", episode.episode_id, "found_location")] = (
            episode.found_location or ""
        )
        anchors[("missing_episodes", episode.episode_id)] = f"episode-{episode.episode_id}"
    for vehicle in doc.vehicles:
        texts[("vehicles", vehicle.vehicle_id, "context")] = vehicle.context or ""
    return Sources(texts, highlight_spans(case_id, doc.leads, doc.flags), anchors)


def highlight_spans(
    case_id: str, leads: list[Lead], flags: list[Flag]
) -> dict[SourceKey, list[Span]]:
    """Per free text, the stretches a lead was found in or a language flag marks."""
    spans: dict[SourceKey, list[Span]] = defaultdict(list)
    for lead in leads:
        if lead.source_table and lead.source_id and lead.span_start is not None:
            spans[(lead.source_table, lead.source_id, lead.source_field or "text")].append(
                Span(lead.span_start, lead.span_end or lead.span_start, "lead", lead.detail or "")
            )
    for flag in flags:
        if flag.span_start is None:
            continue
        # A flag without a note is in the case summary.
        key = ("notes", flag.note_id, "text") if flag.note_id else ("cases", case_id, "summary")
        spans[key].append(
            Span(
                flag.span_start,
                flag.span_end or flag.span_start,
                "language",
                f"Suggested wording: {flag.suggested_wording}"
                if flag.suggested_wording
                else "Review this wording",
            )
        )
    return spans


# --- the case, its timeline, leads and flags --------------------------------------------


def case_summary(case_row: Any, summary: list[Piece]) -> CaseSummary:
    """The case's facts from its `run_cases` row, with its summary text as `summary`."""
    return CaseSummary(
        case_id=case_row.case_id,
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
        summary=summary,
        in_scope_wider=bool(case_row.in_scope_wider),
        in_scope_narrower=bool(case_row.in_scope_narrower),
        category=case_row.category,
        rules_version=case_row.rules_version,
        network_id=case_row.network_id,
        rank=case_row.queue_rank,
        band=case_row.priority_band,
        score=case_row.priority_score,
    )


TIMELINE_ORDER = {"offence": 0, "report": 1, "note": 2, "missing": 2, "outcome": 3, "later_case": 4}
"""On one day: the offence, its report, notes and missing episodes, the outcome, later cases."""


def timeline(
    case: CaseSummary,
    doc: CaseDocument,
    linked: list[LinkedCase],
    sources: Sources,
    shown: Visibility,
) -> list[TimelineItem]:
    """Everything dated, oldest first; undated items last."""
    items = [
        *case_events(case),
        *note_items(doc.notes, sources, shown.redact),
        *episode_items(doc.episodes, victim_names(case.case_id, doc.people, shown), sources, shown),
        *later_case_items(linked),
    ]
    items.sort(key=lambda i: (i.date is None, i.date or dt.date.min, TIMELINE_ORDER.get(i.kind, 9)))
    return items


def case_events(case: CaseSummary) -> list[TimelineItem]:
    """The offence, its report and the outcome."""
    events = []
    if case.offence_from:
        until = f" to {case.offence_to.isoformat()}" if case.offence_to else ""
        events.append(
            TimelineItem(case.offence_from, "offence", f"Offending from {case.offence_from}{until}")
        )
    if case.reported_on:
        what = case.offence_title or case.offence_code or "offence"
        events.append(TimelineItem(case.reported_on, "report", f"Reported: {what}"))
    if case.outcome_on:
        by = "CPS" if case.outcome_by == "cps" else "police"
        events.append(
            TimelineItem(
                case.outcome_on,
                "outcome",
                f"Outcome {case.outcome_code} ({by}): {case.outcome_label}",
            )
        )
    return events


def note_items(
    notes: list[Note], sources: Sources, redact: Callable[[str], str]
) -> list[TimelineItem]:
    return [
        TimelineItem(
            note.recorded_on,
            "note",
            f"Note by {(note.author_role or 'unknown author').replace('_', ' ')}",
            sources.marked(("notes", note.note_id, "text"), redact),
            anchor=f"note-{note.note_id}",
        )
        for note in notes
    ]


def victim_names(case_id: str, people: list[Mention], shown: Visibility) -> dict[str, str]:
    """The case's victims by person id, as the page names them."""
    return {
        p.person_id: shown.name(named(case_id, p))
        for p in people
        if p.person_id and p.role == "victim"
    }


def episode_items(
    episodes: list[Episode], victims: dict[str, str], sources: Sources, shown: Visibility
) -> list[TimelineItem]:
    """Missing episodes: the case's victims' (by the name the page shows), or another
    child's that a lead points to."""
    items = []
    for episode in episodes:
        who = victims.get(episode.person_id or "", "A child linked to a lead")
        returned = (
            f", returned {episode.returned_at:%Y-%m-%d %H:%M}"
            if episode.returned_at
            else ", return not recorded"
        )
        place = f" from {episode.care_setting}" if episode.care_setting else ""
        found = sources.marked(
            ("missing_episodes", episode.episode_id, "found_location"), shown.redact
        )
        with_whom = sources.marked(
            ("missing_episodes", episode.episode_id, "found_with"), shown.redact
        )
        # Only the parts recorded: no "Found:  With:" around nothing.
        text = [Piece("Found: "), *found] if found else []
        if with_whom:
            text += [Piece(" With: " if found else "With: "), *with_whom]
        items.append(
            TimelineItem(
                episode.missing_from.date() if episode.missing_from else None,
                "missing",
                f"{who} reported missing{place}{returned}",
                text,
                anchor=f"episode-{episode.episode_id}",
            )
        )
    return items


def later_case_items(linked: list[LinkedCase]) -> list[TimelineItem]:
    return [
        TimelineItem(
            case.reported_on,
            "later_case",
            f"{case.who} appears in later case {case.case_id} as {case.role}",
            link=f"/cases/{case.case_id}" if case.may_open else None,
        )
        for case in linked
        if case.later
    ]


def lead_views(
    leads: list[Lead],
    sources: Sources,
    redact: Callable[[str], str],
    marks: dict[str, LeadMark] | None = None,
) -> list[LeadView]:
    views = []
    for lead in leads:
        key = (lead.source_table or "", lead.source_id or "", lead.source_field or "text")
        snippet = (
            sources.snippet(key, lead.span_start, lead.span_end or lead.span_start, redact)
            if lead.span_start is not None
            else []
        )
        source = " ".join(
            v for v in (lead.source_table, lead.source_id, lead.source_field) if v
        ).replace("_", " ")
        views.append(
            LeadView(
                lead_id=lead.lead_id,
                kind=(lead.kind or "lead").replace("_", " "),
                detail=redact(lead.detail or ""),
                evidence=redact(lead.evidence or ""),
                source=source,
                anchor=sources.anchors.get((lead.source_table or "", lead.source_id or "")),
                snippet=snippet,
                strength=lead.strength,
                reasons=lead.reasons or "",
                on_page=lead.on_page is not False,
                mark=_redacted_mark((marks or {}).get(lead.lead_id), redact),
            )
        )
    return views


def _redacted_mark(mark: LeadMark | None, redact: Callable[[str], str]) -> LeadMark | None:
    """A reviewer's reason for a mark is free text and may name the child, as a note may."""
    return replace(mark, reason=redact(mark.reason)) if mark else None


def flag_views(flags: list[Flag]) -> list[FlagView]:
    return [
        FlagView(
            note_id=f.note_id,
            phrase=f.phrase or "",
            suggested_wording=f.suggested_wording or "",
            anchor=f"note-{f.note_id}" if f.note_id else "summary",
        )
        for f in flags
    ]


# --- the network ------------------------------------------------------------------------


def network_view(
    document: dict[str, Any], case_id: str, reach: Reach, shown: Visibility
) -> NetworkView:
    """The case's network from its stored document; a suspect who is a protected person
    appears under a label, as on the rest of the page. A network too large to show whole
    is shown from this case outwards (`network_graph.neighbourhood`)."""
    network_id = document["network_id"]
    every_case = document.get("cases") or []
    shown_ids, linking = network_graph.neighbourhood(
        [c["case_id"] for c in every_case],
        network_graph.parse_identifiers(document.get("linking_identifiers")),
        case_id,
    )
    supporting = document.get("supporting_identifiers") or ""
    if shown_ids is not None:
        supporting = network_graph.format_identifiers(
            network_graph.within(network_graph.parse_identifiers(supporting), shown_ids)
        )
    cases = [
        network_graph.NetworkCase(
            c["case_id"],
            c["priority_band"],
            bool(c["in_scope_wider"]),
            reach.may_open(c["case_id"], network_id),
        )
        for c in every_case
        if shown_ids is None or c["case_id"] in shown_ids
    ]
    # An identifier may be a protected postcode: withheld in the list and the graph alike.
    identifiers = [
        replace(i, value=shown.redact(i.value)) if i.kind != "suspect" else i for i in linking
    ]
    suspects = document.get("suspects") or []
    named = {i.value for i in linking if i.kind == "suspect"} | {
        s["person_id"] for s in suspects[:5]
    }
    names = {
        n["person_id"]: shown.person_name(
            n["person_id"],
            n["name"],
            protected=protects_person(
                victim=bool(n.get("victim_in_any_case")),
                missing_child=bool(n.get("reported_missing")),
            ),
        )
        for n in document.get("names") or ()
        if shown_ids is None or n["person_id"] in named
    }
    return NetworkView(
        network_id=network_id,
        n_cases=document.get("n_cases") or len(every_case),
        n_suspects=document.get("n_suspects") or 0,
        n_victims=document.get("n_victims") or 0,
        identifiers=identifiers,
        supporting=shown.redact(supporting) or None,
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
        partial=shown_ids is not None,
    )
