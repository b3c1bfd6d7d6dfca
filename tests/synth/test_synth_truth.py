"""The ground truth agrees with the written data and with the brief's rules."""

from __future__ import annotations

from collections import Counter, defaultdict

from synth_force import (
    LEXICON_STEMS,
    Force,
    canonical_phone,
    canonical_postcode,
    canonical_vrm,
    screen,
    structured_values,
)

KINDS = {
    "network", "group", "intrafamilial", "institutional", "peer_on_peer", "single_suspect",
    "adult_victim", "charged", "out_of_window", "open", "online",
}  # fmt: skip
CATEGORIES = {
    "group_exploitation", "intrafamilial", "institutional", "peer_on_peer", "online", "unknown",
}  # fmt: skip
LEXICON_KEYS = {
    "putting herself at risk", "lifestyle choice", "promiscuous", "sexually active", "consented",
    "prostituting herself", "child prostitute", "in a relationship with", "boyfriend",
}  # fmt: skip


def test_every_record_is_in_persons_truth_exactly_once(force: Force) -> None:
    records = [(r["record_id"], r["record_kind"]) for r in force.truth["persons"]]
    assert len(records) == len(set(records))
    expected = {(r["mention_id"], "mention") for r in force.tables["people"]}
    expected |= {(r["episode_id"], "episode") for r in force.tables["missing_episodes"]}
    assert set(records) == expected
    assert all(r["person_id"] for r in force.truth["persons"])


def test_case_truth_rows(force: Force) -> None:
    truth = force.truth["cases"]
    assert [r["case_id"] for r in truth] == [r["case_id"] for r in force.tables["cases"]]
    for row in truth:
        assert row["kind"] in KINDS
        assert row["category"] in CATEGORIES
        for flag in ("in_scope_wider", "in_scope_narrower", "reoffended_later"):
            assert row[flag] in ("true", "false")
        if row["in_scope_narrower"] == "true":
            assert row["in_scope_wider"] == "true"
        assert bool(row["story_network_id"]) == (row["kind"] == "network")
        # A story network's cases are always joined by its shared offenders.
        if row["story_network_id"]:
            assert row["network_id"]


def test_every_network_has_at_least_two_cases(force: Force) -> None:
    for column in ("network_id", "story_network_id"):
        sizes = Counter(r[column] for r in force.truth["cases"] if r[column])
        assert sizes
        assert min(sizes.values()) >= 2


def test_story_networks_lie_within_linked_networks(force: Force) -> None:
    linked_of_story: dict[str, set[str]] = {}
    for row in force.truth["cases"]:
        if row["story_network_id"]:
            linked_of_story.setdefault(row["story_network_id"], set()).add(row["network_id"])
    assert all(len(linked) == 1 for linked in linked_of_story.values())


def test_scope_recomputed_from_written_data_agrees(force: Force) -> None:
    recomputed = screen(force)
    for row in force.truth["cases"]:
        wider, narrower, category = recomputed[row["case_id"]]
        got = (row["in_scope_wider"] == "true", row["in_scope_narrower"] == "true")
        assert got == (wider, narrower), row
        assert row["category"] == category, row


def test_reoffended_later_recomputed_agrees(force: Force) -> None:
    person_of = force.person_of()
    reported = {c["case_id"]: c["reported_on"] for c in force.tables["cases"]}
    last_seen: dict[str, str] = {}
    for mention in force.tables["people"]:
        pid = person_of[mention["mention_id"]]
        last_seen[pid] = max(last_seen.get(pid, ""), reported[mention["case_id"]])
    expected: dict[str, bool] = defaultdict(bool)
    for mention in force.tables["people"]:
        if mention["role"] == "suspect":
            pid = person_of[mention["mention_id"]]
            if last_seen[pid] > reported[mention["case_id"]]:
                expected[mention["case_id"]] = True
    for row in force.truth["cases"]:
        assert (row["reoffended_later"] == "true") == expected[row["case_id"]], row["case_id"]
    assert any(expected.values())


def _source_texts(force: Force) -> dict[tuple[str, str, str], str]:
    texts: dict[tuple[str, str, str], str] = {}
    for row in force.tables["notes"]:
        texts["notes", row["note_id"], "text"] = row["text"]
    for row in force.tables["cases"]:
        texts["cases", row["case_id"], "summary"] = row["summary"]
    for row in force.tables["missing_episodes"]:
        for field in ("found_with", "found_location"):
            texts["missing_episodes", row["episode_id"], field] = row[field]
    return texts


def _canonical(kind: str, written: str) -> str:
    if kind == "phone":
        return canonical_phone(written)
    if kind == "postcode":
        return canonical_postcode(written)
    if kind == "vrm":
        return canonical_vrm(written)
    return written


def test_planted_identifiers_match_their_text(force: Force) -> None:
    texts = _source_texts(force)
    planted = force.truth["planted_identifiers"]
    assert {r["kind"] for r in planted} == {"vrm", "phone", "postcode", "name", "place"}
    assert {r["source_table"] for r in planted} == {"notes", "cases", "missing_episodes"}
    case_of_note = {r["note_id"]: r["case_id"] for r in force.tables["notes"]}
    for row in planted:
        text = texts[row["source_table"], row["source_id"], row["source_field"]]
        assert text[int(row["start"]) : int(row["end"])] == row["written"], row
        if row["kind"] != "name":
            assert _canonical(row["kind"], row["written"]) == row["canonical"], row
        if row["source_table"] == "notes":
            assert row["case_id"] == case_of_note[row["source_id"]]
        elif row["source_table"] == "cases":
            assert row["case_id"] == row["source_id"]


def test_planted_identifiers_are_not_in_the_structured_records(force: Force) -> None:
    held = structured_values(force)
    person_of = force.person_of()
    victim_cases: dict[str, set[str]] = defaultdict(set)
    for mention in force.tables["people"]:
        if mention["role"] == "victim":
            victim_cases[person_of[mention["mention_id"]]].add(mention["case_id"])
    for row in force.truth["planted_identifiers"]:
        # A missing episode has no case: check every case naming the child as a victim.
        source = row["source_id"]
        cases = {row["case_id"]} if row["case_id"] else victim_cases[person_of[source]]
        for case_id in cases:
            assert row["canonical"] not in held[case_id][row["kind"]], (row, case_id)


def test_planted_names_are_mostly_people_with_records(force: Force) -> None:
    # A network member may be named only in free text, never recorded on any case: their
    # person_id has no record. Most named people do have records elsewhere.
    people = {r["person_id"] for r in force.truth["persons"]}
    names = [r for r in force.truth["planted_identifiers"] if r["kind"] == "name"]
    assert names
    assert all(r["canonical"].startswith("P") for r in names)
    assert sum(r["canonical"] in people for r in names) >= 0.4 * len(names)


def test_planted_language_spans_and_keys(force: Force) -> None:
    notes = {r["note_id"]: r for r in force.tables["notes"]}
    rows = force.truth["planted_language"]
    assert {r["flag"] for r in rows} == {"true", "false"}
    for row in rows:
        note = notes[row["note_id"]]
        assert note["case_id"] == row["case_id"]
        assert note["text"][int(row["start"]) : int(row["end"])] == row["phrase"], row
        assert row["lexicon_key"] in LEXICON_KEYS


def test_every_lexicon_phrase_in_the_text_is_in_the_truth(force: Force) -> None:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in force.truth["planted_language"]:
        spans[row["note_id"]].append((int(row["start"]), int(row["end"])))
    for note in force.tables["notes"]:
        for match in LEXICON_STEMS.finditer(note["text"]):
            inside = any(s <= match.start() and match.end() <= e for s, e in spans[note["note_id"]])
            assert inside, (note["note_id"], match.group(0), note["text"])
    for case in force.tables["cases"]:
        assert not LEXICON_STEMS.search(case["summary"]), case["case_id"]
    for episode in force.tables["missing_episodes"]:
        assert not LEXICON_STEMS.search(episode["found_with"] + " " + episode["found_location"])


def test_decoys_are_quoted_or_negated(force: Force) -> None:
    texts = {r["note_id"]: r["text"] for r in force.tables["notes"]}
    for row in force.truth["planted_language"]:
        if row["flag"] == "false":
            text = texts[row["note_id"]]
            start = int(row["start"])
            before = text[max(0, start - 40) : start]
            assert text[start - 1] == '"' or " not " in before or "cannot" in before, text


def test_planted_corroborations_match_their_text_and_are_recorded_on_the_case(
    force: Force,
) -> None:
    """A corroboration is a suspect's phone or car that the case DID record, written again
    in its note or in its victim's missing-episode record (issue 11)."""
    texts = _source_texts(force)
    held = structured_values(force)
    person_of = force.person_of()
    victim_cases: dict[str, set[str]] = defaultdict(set)
    for mention in force.tables["people"]:
        if mention["role"] == "victim":
            victim_cases[person_of[mention["mention_id"]]].add(mention["case_id"])
    rows = force.truth["planted_corroborations"]
    assert rows and {r["kind"] for r in rows} <= {"phone", "vrm"}
    for row in rows:
        text = texts[row["source_table"], row["source_id"], row["source_field"]]
        assert text[int(row["start"]) : int(row["end"])] == row["written"], row
        assert _canonical(row["kind"], row["written"]) == row["canonical"], row
        source = row["source_id"]
        cases = {row["case_id"]} if row["case_id"] else victim_cases[person_of[source]]
        assert any(row["canonical"] in held[c][row["kind"]] for c in cases), row
