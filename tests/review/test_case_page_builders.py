"""The case page's builders, each on a small hand-made case document."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from relook.review import case_document, case_page, network_graph
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
from relook.review.errors import Conflict
from relook.review.highlight import Piece
from relook.review.lead_actions import LeadAction, LeadMark
from relook.review.visibility import Visibility
from relook.security.policy import Role

EVERYTHING = Reach(Role.SUPERVISOR, frozenset(), frozenset())
TODAY = dt.date(2026, 11, 1)

SUMMARY = "Amira Hollis was seen getting into cars. She is putting herself at risk."
NOTE = "Mother Grace says Amira was with Kyle in a grey car YX61 ABC near the station."


def case_row(**facts: Any) -> Any:
    """A `run_cases` row as the page reads it."""
    row = {
        "case_id": "C1", "force": "Northmoor", "area": "East", "reported_on": dt.date(2015, 3, 2),
        "offence_from": dt.date(2015, 1, 10), "offence_to": dt.date(2015, 2, 20),
        "offence_code": "71", "offence_title": "Abuse of children through sexual exploitation",
        "cse_flag": True, "setting": "street", "outcome_code": 16,
        "outcome_on": dt.date(2015, 9, 1), "outcome_by": "police", "summary": SUMMARY,
        "in_scope_wider": True, "in_scope_narrower": True, "category": "group_exploitation",
        "rules_version": "1", "network_id": None, "queue_rank": 3, "priority_band": "high",
        "priority_score": 71.5, "screening_reasons": None, "priority_reasons": None,
    }  # fmt: skip
    return SimpleNamespace(**{**row, **facts})


VICTIM = Mention("M1", "victim", "Amira", "Hollis", date_of_birth="2001-07", person_id="P1",
                 phone="07700 900111", in_care=True, care_setting="Oakfield House")  # fmt: skip
MOTHER = Mention("M2", "reporting_person", "Grace", "Hollis", address="4 Mill Row", person_id="P2")
SUSPECT = Mention("M3", "suspect", "Kyle", "Marsh", date_of_birth="1990", person_id="P3")


def document(**parts: Any) -> CaseDocument:
    values: dict[str, Any] = {
        "people": [VICTIM, MOTHER, SUSPECT], "appearances": [], "notes": [], "leads": [],
        "flags": [], "episodes": [], "vehicles": [], "locations": [], "network": None,
    }  # fmt: skip
    return CaseDocument(**{**values, **parts})


def text(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces)


def marks(pieces: list[Piece]) -> list[tuple[str, str]]:
    return [(p.text, p.span.kind) for p in pieces if p.span]


def hidden(doc: CaseDocument) -> Visibility:
    return case_page.case_visibility("C1", doc, revealed=False)


# --- people --------------------------------------------------------------------------------


def test_people_show_labels_ages_and_only_what_is_not_identifying() -> None:
    doc = document(appearances=[Appearance("P3", "C7"), Appearance("P3", "C8", "victim")])
    victim, mother, suspect = case_page.person_views(
        "C1", doc, hidden(doc), dt.date(2015, 1, 10), TODAY
    )
    assert (victim.name, victim.protected, victim.phone, victim.date_of_birth) == (
        "Victim A", True, None, None,
    )  # fmt: skip
    # Born in July 2001 at the latest: 13 at the offence, an adult today.
    assert (victim.age_at_offence, victim.under_18_today) == (13, False)
    assert (victim.in_care, victim.care_setting) == (True, "Oakfield House")
    assert (mother.name, mother.address) == ("Protected person A", None)
    # A victim on another case: protected here too.
    assert (suspect.name, suspect.protected, suspect.other_cases) == ("Protected person B", True, 2)


def test_revealed_people_show_everything() -> None:
    doc = document()
    shown = case_page.case_visibility("C1", doc, revealed=True)
    victim, mother, suspect = case_page.person_views("C1", doc, shown, None, TODAY)
    assert (victim.name, victim.protected, victim.phone) == ("Amira Hollis", False, "07700 900111")
    assert (mother.name, mother.address) == ("Grace Hollis", "4 Mill Row")
    assert (suspect.name, suspect.age_at_offence) == ("Kyle Marsh", None)


def test_a_person_is_protected_by_facts_from_other_records() -> None:
    missing = Mention("M4", "witness", "Tia", "Pike", person_id="P4", reported_missing=True)
    accused = Mention("M5", "suspect", "Ray", "Dunn", person_id="P5", victim_in_any_case=True)
    doc = document(people=[missing, accused])
    assert case_page.protected_persons(doc) == {"P4", "P5"}
    assert hidden(doc).protected_ids == {"M4", "M5"}


def test_linked_cases_once_per_case_and_name_later_ones_marked() -> None:
    appearances = [
        Appearance("P3", "C0", "suspect", dt.date(2013, 1, 1)),
        Appearance("P3", "C9", "suspect", dt.date(2019, 5, 1), network_id="N1"),
        Appearance("P3", "C9", "witness", dt.date(2019, 5, 1), network_id="N1"),
    ]
    reach = Reach(Role.REVIEWER, frozenset({"C1"}), frozenset({"N1"}))
    linked = case_page.linked_cases(appearances, {"P3": "Kyle Marsh"}, dt.date(2015, 3, 2), reach)
    assert [(c.case_id, c.later, c.may_open) for c in linked] == [
        ("C0", False, False),
        ("C9", True, True),
    ]


def test_places_of_protected_people_hide_their_address() -> None:
    home = Location("L1", "home", "Home of Amira Hollis", "4 Mill Row", "OL4 5UF", "M1")
    shop = Location("L2", "business", "Takeaway", "1 High St", "OL4 1AA", "M3")
    doc = document(locations=[home, shop])
    home_view, shop_view = case_page.location_views(doc.locations, hidden(doc))
    assert (home_view.name, home_view.address, home_view.postcode) == (
        "Home of [Victim A]", None, None,
    )  # fmt: skip
    assert shop_view == shop


def test_vehicle_context_reads_protected_names_as_labels() -> None:
    car = Vehicle("V1", "YX61ABC", context="Seen collecting Amira")
    (view,) = case_page.vehicle_views([car], hidden(document()))
    assert view.context == "Seen collecting [Victim A]"


# --- texts, highlights, leads and flags -----------------------------------------------------

NOTE_LEAD = Lead("L1", "vrm_in_text", "YX61ABC", "not on the case", "notes", "N1", "text",
                 NOTE.index("YX61"), NOTE.index("YX61") + 8)  # fmt: skip
SUMMARY_FLAG = Flag("cases", None, "putting herself at risk", "being sexually exploited",
                    SUMMARY.index("putting"), SUMMARY.index("putting") + 23)  # fmt: skip


def test_highlights_go_to_their_text_and_a_flag_without_a_note_to_the_summary() -> None:
    spans = case_page.highlight_spans(
        "C1", [NOTE_LEAD, Lead("L2", "phone")], [SUMMARY_FLAG, Flag(note_id="N1")]
    )
    assert set(spans) == {("notes", "N1", "text"), ("cases", "C1", "summary")}
    (flag,) = spans[("cases", "C1", "summary")]
    assert (flag.kind, flag.note) == ("language", "Suggested wording: being sexually exploited")


def test_marked_text_is_highlighted_then_redacted() -> None:
    doc = document(notes=[Note("N1", text=NOTE)], leads=[NOTE_LEAD], flags=[SUMMARY_FLAG])
    sources = case_page.case_sources("C1", SUMMARY, doc)
    shown = hidden(doc)
    summary = sources.marked(("cases", "C1", "summary"), shown.redact)
    assert marks(summary) == [("putting herself at risk", "language")]
    assert text(summary).startswith("[Victim A] was seen")
    note = sources.marked(("notes", "N1", "text"), shown.redact)
    assert marks(note) == [("YX61 ABC", "lead")]
    # Kyle is a suspect, and a protected person on no other record: named.
    assert text(note).startswith("Mother [Protected person A] says [Victim A] was with Kyle")


def test_lead_snippets_are_cut_around_the_lead() -> None:
    long_note = "x" * 200 + " YX61 ABC " + "y" * 200
    lead = Lead("L1", "vrm_in_text", "Amira's YX61ABC", "evidence of Amira", "notes", "N1",
                "text", 201, 209)  # fmt: skip
    doc = document(notes=[Note("N1", text=long_note)], leads=[lead, Lead("L2", "name")])
    sources = case_page.case_sources("C1", "", doc)
    view, bare = case_page.lead_views(doc.leads, sources, hidden(doc).redact)
    assert view.snippet[0] == Piece("…") and view.snippet[-1] == Piece("…")
    assert len(text(view.snippet)) == 2 + 90 + 8 + 90
    assert (view.detail, view.evidence) == ("[Victim A]'s YX61ABC", "evidence of [Victim A]")
    assert (view.kind, view.source, view.anchor) == ("vrm in text", "notes N1 text", "note-N1")
    assert (bare.snippet, bare.anchor, bare.kind) == ([], None, "name")


def test_a_lead_marks_reason_withholds_the_childs_name() -> None:
    """A reviewer's reason is free text and may name the child, as a note may."""
    lead = Lead("L1", "vrm_in_text", "YX61ABC", "", "notes", "N1", "text", 0, 8)
    doc = document(notes=[Note("N1", text="YX61 ABC seen")], leads=[lead])
    sources = case_page.case_sources("C1", "", doc)
    mark = LeadMark("L1", LeadAction.RESULTED, "PNC: Amira was in YX61ABC", "rev1", "2026-12-04")
    [view] = case_page.lead_views(doc.leads, sources, hidden(doc).redact, {"L1": mark})
    assert view.mark is not None
    assert view.mark.reason == "PNC: [Victim A] was in YX61ABC"
    assert (view.mark.by, view.mark.action) == ("rev1", LeadAction.RESULTED)


def test_flags_point_at_their_note_or_the_summary() -> None:
    flags = case_page.flag_views([SUMMARY_FLAG, Flag("notes", "N2", "boyfriend")])
    assert [(f.anchor, f.phrase, f.suggested_wording) for f in flags] == [
        ("summary", "putting herself at risk", "being sexually exploited"),
        ("note-N2", "boyfriend", ""),
    ]


# --- the case and its timeline ---------------------------------------------------------------


def test_summary_carries_the_case_facts_and_outcome_label() -> None:
    summary = case_page.case_summary(case_row(), [Piece("text")])
    assert (summary.case_id, summary.rank, summary.band, summary.score) == ("C1", 3, "high", 71.5)
    assert summary.outcome_label == "Evidential difficulties: victim does not support action"
    assert case_page.case_summary(case_row(outcome_code=None), []).outcome_label == (
        "no outcome recorded"
    )


def test_timeline_in_date_order_with_undated_items_last() -> None:
    missing = Episode("E1", "P1", missing_from=dt.datetime(2015, 2, 1, 22, 0),
                      returned_at=dt.datetime(2015, 2, 2, 9, 30), care_setting="Oakfield House",
                      found_with="Kyle Marsh")  # fmt: skip
    other = Episode("E2", "P8", found_location="Station car park")
    doc = document(
        notes=[Note("N1", dt.date(2015, 3, 2), "social_worker", NOTE), Note("N2")],
        episodes=[missing, other],
    )
    summary = case_page.case_summary(case_row(), [])
    later = case_page.LinkedCase("C9", dt.date(2019, 5, 1), "Kyle Marsh", "suspect", True, False)
    earlier = case_page.LinkedCase("C0", dt.date(2013, 1, 1), "Kyle Marsh", "suspect", False, True)
    sources = case_page.case_sources("C1", SUMMARY, doc)
    items = case_page.timeline(summary, doc, [earlier, later], sources, hidden(doc))
    assert [(i.kind, i.title) for i in items] == [
        ("offence", "Offending from 2015-01-10 to 2015-02-20"),
        ("missing", "Victim A reported missing from Oakfield House, returned 2015-02-02 09:30"),
        ("report", "Reported: Abuse of children through sexual exploitation"),
        ("note", "Note by social worker"),
        ("outcome", "Outcome 16 (police): Evidential difficulties: victim does not support action"),
        ("later_case", "Kyle Marsh appears in later case C9 as suspect"),
        ("note", "Note by unknown author"),
        ("missing", "A child linked to a lead reported missing, return not recorded"),
    ]
    # Only what was recorded (issue 14: "Found:  With:").
    assert text(items[1].text) == "With: Kyle Marsh"
    assert items[5].link is None and text(items[7].text) == "Found: Station car park"


def test_case_events_without_dates_are_left_out() -> None:
    summary = case_page.case_summary(
        case_row(offence_from=None, reported_on=None, outcome_on=None, outcome_by="cps"), []
    )
    assert case_page.case_events(summary) == []
    cps = case_page.case_summary(case_row(offence_to=None, outcome_by="cps"), [])
    titles = [e.title for e in case_page.case_events(cps)]
    assert titles[0] == "Offending from 2015-01-10" and "(CPS)" in titles[-1]


# --- the network and the whole page ----------------------------------------------------------

NETWORK = {
    "network_id": "N1", "n_cases": 2, "n_suspects": 2, "n_victims": 1,
    "linking_identifiers": None, "supporting_identifiers": None,
    "cases": [{"case_id": "C1", "priority_band": "high", "in_scope_wider": True},
              {"case_id": "C9", "priority_band": None, "in_scope_wider": False}],
    "suspects": [{"person_id": "P3", "betweenness": 0.5}, {"person_id": "P7", "betweenness": None}],
    "names": [{"person_id": "P3", "name": "Kyle Marsh"},
              {"person_id": "P7", "name": "Ray Dunn", "reported_missing": True}],
}  # fmt: skip


def test_network_names_protected_suspects_by_label() -> None:
    reach = Reach(Role.REVIEWER, frozenset({"C1"}), frozenset())
    view = case_page.network_view(NETWORK, "C1", reach, hidden(document()))
    assert view.suspect_names == {"P3": "Kyle Marsh", "P7": "Protected person"}
    assert view.key_suspects == [("P3", "Kyle Marsh", 0.5), ("P7", "Protected person", 0.0)]
    assert [(c.case_id, c.may_open) for c in view.cases] == [("C1", True), ("C9", False)]


def test_a_network_too_large_to_show_is_shown_from_this_case_outwards() -> None:
    # 450 cases: C0001-C0300 joined by one phone, C0300-C0450 by another, C0001 and C0450
    # also by a suspect. From C0001 the page shows the suspect's case first (the fewest
    # cases), then the phone's up to the limit, and not the second phone, which C0001
    # does not hold; places are kept only between cases shown.
    ids = [f"C{n:04d}" for n in range(1, 451)]
    big = {
        **NETWORK,
        "n_cases": len(ids),
        "cases": [{"case_id": c, "priority_band": None, "in_scope_wider": True} for c in ids],
        "linking_identifiers": ";".join((
            f"phone=+447700900001 ({','.join(ids[:300])})",
            f"phone=+447700900002 ({','.join(ids[299:])})",
            "suspect=P3 (C0001,C0450)",
        )),
        "supporting_identifiers": "postcode=LS1 1AA (C0001,C0002,C0400);"
                                  "postcode=M1 1AA (C0300,C0400)",
    }  # fmt: skip
    view = case_page.network_view(big, "C0001", EVERYTHING, hidden(document()))
    limit = network_graph.SHOWN_CASES_MAX
    assert view.partial and view.n_cases == 450
    assert [c.case_id for c in view.cases] == [*ids[: limit - 1], "C0450"]
    assert [i.value for i in view.identifiers] == ["+447700900001", "P3"]
    assert all(set(i.case_ids) <= {c.case_id for c in view.cases} for i in view.identifiers)
    assert view.supporting == "postcode=LS1 1AA (C0001,C0002)"
    assert set(view.suspect_names) == {"P3", "P7"}  # the shown suspect and the key ones
    nodes = [e for e in view.elements if e["group"] == "nodes"]
    assert len(nodes) == limit + 2
    whole = case_page.network_view(NETWORK, "C1", EVERYTHING, hidden(document()))
    assert not whole.partial and len(whole.cases) == 2


def test_the_whole_page_hides_until_revealed() -> None:
    doc = document(notes=[Note("N1", dt.date(2015, 3, 2), "social_worker", NOTE)],
                   flags=[SUMMARY_FLAG], network=NETWORK)  # fmt: skip
    row = case_row(network_id="N1")
    page = case_page.page(row, doc, reach=EVERYTHING, revealed=False, today=TODAY)
    assert page.has_protected and not page.revealed
    assert "Amira" not in repr(page) and "Hollis" not in repr(page)
    assert "Ray Dunn" not in repr(page)
    shown = case_page.page(row, doc, reach=EVERYTHING, revealed=True, today=TODAY)
    assert shown.people[0].name == "Amira Hollis" and "Ray Dunn" in repr(shown.network)


# --- reading the stored document ---------------------------------------------------------------


def test_a_document_from_an_older_or_newer_import_still_reads() -> None:
    doc = case_document.parse(
        {
            "people": [{"mention_id": "M1", "role": "victim", "shoe_size": 5}],
            "episodes": [{"episode_id": "E1", "missing_from": "2015-02-01 22:00:00"}],
            "appearances": [{"person_id": "P1", "case_id": "C2", "reported_on": "2019-05-01"}],
        }
    )
    assert doc.people == [Mention("M1", "victim")]  # no facts recorded: None
    assert doc.episodes[0].missing_from == dt.datetime(2015, 2, 1, 22, 0)
    assert doc.appearances[0].reported_on == dt.date(2019, 5, 1)
    assert doc.notes == [] and doc.network is None


def test_a_case_without_a_stored_document_is_refused_not_rebuilt() -> None:
    row = SimpleNamespace(case_id="C1", _mapping={"case_id": "C1", "document": None})
    with pytest.raises(Conflict, match="imported before"):
        case_document.load(None, "R1", row)  # type: ignore[arg-type]


# --- where protected people live (issue 14) -----------------------------------------------

HOME = Mention("M1", "victim", "Hana", "Mehta", address="Flat 2, 90 Ash Road, Eastwick",
               postcode="EW1 4AB", person_id="P1", in_care=True,
               care_setting="Oakfield House")  # fmt: skip
REPORTER = Mention("M2", "reporting_person", "Oxana", "Husain", address="90 ash rd, Eastwick",
                   postcode="ew14ab", person_id="P2")  # fmt: skip
STEPFATHER = Mention("M3", "suspect", "Wade", "Lennox", address="90 Ash Road",
                     postcode="EW1 4AB", person_id="P3")  # fmt: skip
SHORT = Mention("M4", "victim", "Li", "Wu", person_id="P4")
HOME_NOTE = (
    "Oxana Husain called from 90 ASH RD (EW1  4ab). Hana was later seen with Wu at the"
    " Eastwick Road shops; Wu said so."
)
HOME_NETWORK = {
    "network_id": "N1", "n_cases": 2, "n_suspects": 1, "n_victims": 1,
    "linking_identifiers": "suspect=P3 (C1,C9);postcode=EW1 4AB (C1,C9)",
    "supporting_identifiers": "postcode EW14AB shared by C1, C9",
    "cases": [{"case_id": "C1", "priority_band": "high", "in_scope_wider": True},
              {"case_id": "C9", "priority_band": "low", "in_scope_wider": True}],
    "suspects": [{"person_id": "P3", "betweenness": 0.5}],
    "names": [{"person_id": "P3", "name": "Wade Lennox"}],
}  # fmt: skip


def _home_page(**parts: Any) -> case_page.CasePage:
    values: dict[str, Any] = {
        "people": [HOME, REPORTER, STEPFATHER, SHORT],
        "notes": [Note("N1", dt.date(2015, 3, 2), "call_handler", HOME_NOTE)],
        "leads": [Lead("L1", "name", "name written: hana mehta", "", "notes", "N1", "text", 0, 13)],
        "locations": [
            Location("L1", "care_home", "Oakfield House", "12 Elm Street, Eastwick", "EW2 9ZZ"),
            Location("L2", "address", "", "90 Ash Rd", "EW1 4AB"),
            Location("L3", "shop", "Corner shop", "3 High Street, Eastwick", "EW3 1AA"),
        ],
        "network": HOME_NETWORK,
    }
    doc = document(**{**values, **parts})
    return case_page.page(case_row(network_id="N1", summary=""), doc, reach=EVERYTHING,
                          revealed=False, today=TODAY)  # fmt: skip


def _rendered(page: case_page.CasePage) -> str:
    """Every value the page carries, hover titles and graph data included."""
    return repr(page).casefold()


def test_the_reporting_parent_at_the_victims_home_is_protected_whatever_their_surname() -> None:
    page = _home_page()
    people = {p.mention_id: p for p in page.people}
    assert people["M2"].name.startswith("Protected person") and people["M2"].protected
    # The stepfather is accused: named, but not where the victim lives.
    assert people["M3"].name == "Wade Lennox"
    assert people["M3"].address is None and people["M3"].postcode is None
    for needle in ("oxana", "husain", "hana", "mehta", "90 ash", "ash rd", "ew1 4ab", "ew14ab"):
        assert needle not in _rendered(page), needle


def test_a_protected_address_is_withheld_in_any_spelling_in_text() -> None:
    page = _home_page()
    note = next(i for i in page.timeline if i.kind == "note")
    said = "".join(p.text for p in note.text)
    assert "[address withheld]" in said and "[postcode withheld]" in said
    assert "Eastwick Road shops" in said  # the town is not an address


def test_two_letter_names_are_hidden_too() -> None:
    page = _home_page()
    assert " wu " not in _rendered(page) and "'li'" not in _rendered(page)


def test_nothing_protected_in_hover_titles_places_or_graph_data() -> None:
    page = _home_page()
    lead = page.leads[0]
    titles = [p.span.note for p in lead.snippet if p.span]
    assert titles and all("hana" not in t.casefold() for t in titles)
    places = {loc.location_id: loc for loc in page.locations}
    # The victim's children's home (named as her care setting) and her own address.
    assert places["L1"].address is None and places["L1"].postcode is None
    assert places["L2"].address is None and places["L2"].postcode is None
    assert places["L3"].address == "3 High Street, Eastwick"
    assert page.network is not None
    graph = repr(page.network.elements).casefold() + repr(page.network.identifiers).casefold()
    assert "ew1 4ab" not in graph and "ew14ab" not in (page.network.supporting or "").casefold()
    assert "12 elm street" not in _rendered(page)


def test_addresses_from_the_victims_other_records_are_withheld_too() -> None:
    elsewhere = case_document.ProtectedPlace("7 Quarry Lane, Westby", "WB5 2CD")
    page = _home_page(
        notes=[Note("N1", dt.date(2015, 3, 2), "officer", "Visited 7 quarry ln, WB52CD.")]
    )
    assert "quarry" in "".join(p.text for i in page.timeline for p in i.text).casefold()
    page = _home_page(
        notes=[Note("N1", dt.date(2015, 3, 2), "officer", "Visited 7 quarry ln, WB52CD.")],
        protected_places=[elsewhere],
    )
    note = next(i for i in page.timeline if i.kind == "note")
    assert "".join(p.text for p in note.text) == (
        "Visited [address withheld], [postcode withheld]."
    )


def test_a_reveal_shows_where_they_live() -> None:
    doc = document(people=[HOME, REPORTER], locations=[])
    page = case_page.page(case_row(summary=""), doc, reach=EVERYTHING, revealed=True, today=TODAY)
    people = {p.mention_id: p for p in page.people}
    assert people["M2"].name == "Oxana Husain" and people["M2"].address == "90 ash rd, Eastwick"
