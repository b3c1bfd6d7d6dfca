"""Lead rules on hand-made cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from handmade import case, load, person

from relook.pipeline.extract.stage import build_text_mentions
from relook.pipeline.language import build_language
from relook.pipeline.leads import build_leads
from relook.pipeline.link import build_networks
from relook.pipeline.prioritise import build_priorities
from relook.pipeline.screen import build_screening
from relook.rules.leads import LeadRules, load_lead_rules
from relook.rules.lexicon import load_lexicon
from relook.rules.scope import load_scope
from relook.rules.scoring import load_scoring


def _leads(
    con: duckdb.DuckDBPyConnection,
    tmp_path: Path,
    tables: dict[str, list[dict[str, Any]]],
    persons: dict[str, str] | None = None,
) -> list[tuple[str, str, str, str]]:
    load(con, tmp_path / "d", tables, persons)
    build_networks(con)
    build_text_mentions(con)
    build_leads(con)
    rows = con.execute(
        "SELECT case_id, kind, value, evidence_ids FROM leads ORDER BY ALL"
    ).fetchall()
    return [(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]


def _network_of(con: duckdb.DuckDBPyConnection, case_id: str) -> str:
    row = con.execute("SELECT network_id FROM networks WHERE case_id = ?", [case_id]).fetchone()
    assert row is not None
    return str(row[0])


def _note(note_id: str, case_id: str, text: str) -> dict[str, str]:
    return {"note_id": note_id, "case_id": case_id, "text": text}


def test_identifier_only_in_a_note_is_a_lead_and_a_recorded_one_is_not(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    tables = {
        "cases": [case("C1")],
        "people": [person("S1", "C1", "suspect", phone="07700 900111")],
        "vehicles": [{"vehicle_id": "V1", "case_id": "C1", "vrm": "AB12CDE"}],
        "notes": [
            _note("N1", "C1", "Seen in AB12 CDE and a grey car YX61 ABC; calls to 07700900111."),
            _note("N2", "C1", "Again in YX61ABC, called 07700 900222."),
        ],
    }
    leads = _leads(con, tmp_path, tables)
    text_leads = {(k, v): e for c, k, v, e in leads if k == "text_identifier"}
    assert set(text_leads) == {
        ("text_identifier", "vrm=YX61ABC"),
        ("text_identifier", "phone=+447700900222"),
    }
    # The same mark in two notes is one lead with both pieces of evidence.
    assert text_leads[("text_identifier", "vrm=YX61ABC")] == (
        "notes N1 text[32:40] | notes N2 text[9:16]"
    )


def test_a_suspect_named_in_another_case_ties_both_cases(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    tables = {
        "cases": [case("C1"), case("C2")],
        "people": [
            person("S1", "C1", "suspect", forenames="Daniel", surname="Novak"),
            person("V2", "C2", "victim", forenames="Amira", surname="Hassan"),
        ],
        "notes": [_note("N2", "C2", "Amira said Dan Novak drove her to the address.")],
    }
    leads = _leads(con, tmp_path, tables)
    assert ("C2", "text_identifier", "name=S1") in {(c, k, v) for c, k, v, _ in leads}
    assert ("C1", "identifier_elsewhere", "name=S1") in {(c, k, v) for c, k, v, _ in leads}


def test_suspect_in_later_case_and_missing_after_closure(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    tables = {
        "cases": [
            case("C1", reported_on="2012-01-01", outcome_on="2012-03-01"),
            case("C2", reported_on="2015-01-01", outcome_on="2015-03-01"),
        ],
        "people": [
            person("S1", "C1", "suspect", forenames="Dean", surname="Hart"),
            person("W2", "C2", "witness"),
            person("V1", "C1", "victim"),
        ],
        "missing_episodes": [
            {"episode_id": "E1", "missing_from": "2012-02-01T22:00"},
            {
                "episode_id": "E2",
                "missing_from": "2012-05-01T22:00",
                "found_with": "Found in AB12 CDE",
            },
        ],
    }
    persons = {"S1": "P1", "W2": "P1", "V1": "PV", "E1": "PV", "E2": "PV"}
    load(con, tmp_path / "d", tables)
    con.execute(
        "INSERT INTO persons SELECT episode_id, 'missing_episode', episode_id FROM missing_episodes"
    )
    for record, person_id in persons.items():
        con.execute("UPDATE persons SET person_id = ? WHERE record_id = ?", [person_id, record])
    build_networks(con)
    build_text_mentions(con)
    build_leads(con)
    rows = con.execute(
        "SELECT case_id, kind, detail || ' / ' || evidence FROM leads ORDER BY ALL"
    ).fetchall()
    kinds = {(c, k): d for c, k, d in rows}
    assert kinds[("C1", "suspect_later_cases")] == (
        "suspect Dean Hart appears in 1 later case(s) / C2 (as witness, reported 2015-01-01)"
    )
    assert kinds[("C1", "missing_after_closure")] == (
        "a victim of this case went missing 1 time(s) after the case closed on 2012-03-01"
        " / missing-episode record of 2012-05-01"
    )
    # The episode of the case's victim is searched as the case's own text.
    assert ("C1", "text_identifier") in kinds


@pytest.mark.parametrize("max_network_cases", [200, 2, 1])
def test_episode_naming_a_network_vehicle_is_a_lead_for_its_case_and_its_network(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, max_network_cases: int
) -> None:
    """...unless the network has more cases than `common.max_network_cases` (a network of
    tens of thousands of cases gave every case every record naming any of its people)."""
    tables = {
        "cases": [case("C1"), case("C2")],
        "people": [person("S1", "C1", "suspect"), person("S2", "C2", "suspect")],
        "missing_episodes": [
            {
                "episode_id": "E9",
                "missing_from": "2016-01-01T22:00",
                "found_with": "Found with two men in a silver Prius ab12 cde.",
            },
        ],
    }
    load(con, tmp_path / "d", tables, {"S1": "P1", "S2": "P1"})
    con.execute(
        "INSERT INTO vehicles (vehicle_id, case_id, vrm, vrm_canonical, vrm_format)"
        " VALUES ('V1', 'C1', 'AB12CDE', 'AB12CDE', 'current')"
    )
    con.execute(
        "INSERT INTO persons SELECT episode_id, 'missing_episode', episode_id FROM missing_episodes"
    )
    build_networks(con)
    build_text_mentions(con)
    rules = load_lead_rules()
    common = rules.common.model_copy(update={"max_network_cases": max_network_cases})
    build_leads(con, rules.model_copy(update={"common": common}))
    rows = con.execute(
        "SELECT case_id, kind, value FROM leads WHERE kind <> 'common_identifier' ORDER BY 1"
    ).fetchall()
    # The case that recorded the car: its vehicle is written elsewhere. The other case of
    # the network: one lead for the network, however many episodes name it.
    network_lead = ("C2", "episode_names_network", "network=" + _network_of(con, "C2"))
    elsewhere = ("C1", "identifier_elsewhere", "vrm=AB12CDE")
    assert rows == ([elsewhere, network_lead] if max_network_cases >= 2 else [elsewhere])


# --- specificity, corroboration, strength (issue 11) ------------------------------------


def _rules(max_cases: int = 3, max_persons: int = 2) -> LeadRules:
    rules = load_lead_rules()
    common = rules.common.model_copy(update={"max_cases": max_cases, "max_persons": max_persons})
    return rules.model_copy(update={"common": common})


def _run(con: duckdb.DuckDBPyConnection, tmp_path: Path, tables: dict[str, Any]) -> None:
    load(con, tmp_path / "d", tables)
    build_networks(con)
    build_text_mentions(con)
    build_leads(con, _rules())


def test_a_common_alias_is_one_summary_per_case_not_a_lead_per_case(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """'Smokey' is the alias of three suspects (more than `max_persons`, 2 here) and is
    written in three more cases, so it links nothing on its own."""
    people = [person(f"S{i}", f"C{i}", "suspect", forenames="Dan", surname=f"Name{i}",
                     aliases="Smokey") for i in range(1, 4)]  # fmt: skip
    notes = [_note(f"N{i}", f"C{i}", "Intelligence suggests Smokey is in contact with her.")
             for i in range(4, 7)]  # fmt: skip
    tables = {"cases": [case(f"C{i}") for i in range(1, 7)], "people": people, "notes": notes}
    _run(con, tmp_path, tables)
    rows = con.execute("SELECT case_id, kind, detail FROM leads ORDER BY ALL").fetchall()
    assert {k for _, k, _ in rows} == {"common_identifier"}
    assert len(rows) == 6  # one per case, whatever the number of other cases
    assert "name ‘Smokey’ (6 cases, 3 people)" in rows[3][2]


def test_a_common_alias_counts_beside_a_second_identifier_of_the_same_person(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    people = [person(f"S{i}", f"C{i}", "suspect", forenames="Dan", surname=f"Name{i}",
                     aliases="Smokey", phone=f"07700 90011{i}") for i in range(1, 5)]  # fmt: skip
    note = _note("N9", "C9", "Smokey called her from 07700 900112 again.")
    tables = {"cases": [case(f"C{i}") for i in (1, 2, 3, 4, 9)], "people": people,
              "notes": [note]}  # fmt: skip
    _run(con, tmp_path, tables)
    rows = con.execute(
        "SELECT kind, value, n_evidence, detail FROM leads WHERE case_id = 'C9' ORDER BY ALL"
    ).fetchall()
    assert ("text_identifier", "name=S2", 1) in {(k, v, n) for k, v, n, _ in rows}
    assert ("text_identifier", "phone=+447700900112", 1) in {(k, v, n) for k, v, n, _ in rows}
    assert not any(k == "text_identifier" and v in ("name=S1", "name=S3") for k, v, _, _ in rows)


def test_the_suspects_recorded_phone_in_the_victims_note_is_a_corroboration(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    tables = {
        "cases": [case("C1")],
        "people": [
            person("S1", "C1", "suspect", forenames="Dean", surname="Hart", phone="07194 427627")
        ],
        "notes": [
            {
                "note_id": "N1",
                "case_id": "C1",
                "recorded_on": "2012-07-15",
                "author_role": "investigating_officer",
                "text": "Victim's phone shows repeated calls from 07194 427627 saved as 'Dean'."
                " Number not attributed.",
            },
            {
                "note_id": "N2",
                "case_id": "C1",
                "text": "Phone 07194 427627 recorded on this report was checked on PNC.",
            },
        ],
    }
    _run(con, tmp_path, tables)
    rows = con.execute(
        "SELECT kind, value, strength, reasons, evidence, evidence_ids, rank FROM leads"
    ).fetchall()
    assert len(rows) == 1
    kind, value, strength, reasons, evidence, ids, rank = rows[0]
    assert (kind, value, rank) == ("corroboration", "phone=+447194427627", 1)
    # The note that says it was followed up is not evidence of a line left open.
    assert evidence == "note of 2012-07-15 by the investigating officer: “07194 427627”"
    assert ids == "notes N1 text[41:53]"
    assert reasons == "corroboration +70; phone +10; “not attributed” +15" and strength == 95


def test_leads_are_ranked_strongest_first_within_a_case(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    tables = {
        "cases": [case("C1")],
        "people": [person("S1", "C1", "suspect", phone="07700 900111")],
        "notes": [
            _note("N1", "C1", "Address of interest at LS1 4AB."),
            _note("N2", "C1", "Calls from 07700 900999; number not traced."),
            _note("N3", "C1", "Calls from 07700 900111, not attributed."),
        ],
    }
    _run(con, tmp_path, tables)
    rows = con.execute("SELECT rank, kind, value, strength FROM leads ORDER BY rank").fetchall()
    assert [(k, v) for _, k, v, _ in rows] == [
        ("corroboration", "phone=+447700900111"),
        ("text_identifier", "phone=+447700900999"),
        ("text_identifier", "postcode=LS1 4AB"),
    ]
    assert [s for *_, s in rows] == sorted((s for *_, s in rows), reverse=True)


# --- graded specificity and probable episodes (issue 11, at 50,000 cases) -----------------


def test_a_full_name_many_people_bear_is_still_a_lead_where_it_is_written(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Four suspects are called Mohammed Khan (more than `max_persons`, 2 here): written
    in another case's note, the full name names somebody in particular, so it is that
    case's lead (one of four people); the one-word alias they share is not."""
    people = [person(f"S{i}", "C1", "suspect", forenames="Mohammed", surname="Khan",
                     aliases="Smokey") for i in range(1, 5)]  # fmt: skip
    note = _note("N9", "C9", "She was seen with Mohammed Khan, known as Smokey, at the flat.")
    tables = {"cases": [case("C1"), case("C9")], "people": people,
              "notes": [note]}  # fmt: skip
    _run(con, tmp_path, tables)
    rows = con.execute(
        "SELECT kind, value, detail FROM leads WHERE case_id = 'C9' ORDER BY ALL"
    ).fetchall()
    by_kind = {k: (v, d) for k, v, d in rows}
    assert by_kind["text_identifier"][0] == "name=S1,S2,S3,S4"
    assert (
        "one of 4 people of that name: suspect Mohammed Khan in C1" in by_kind["text_identifier"][1]
    )
    assert "name ‘Smokey’" in by_kind["common_identifier"][1]
    assert "Mohammed" not in by_kind["common_identifier"][1]
    # Linking the note to each Mohammed Khan's own case needs a name fewer people bear.
    others = con.execute("SELECT count(*) FROM leads WHERE kind = 'identifier_elsewhere'")
    assert others.fetchone() == (0,)


def test_a_full_name_carried_by_more_than_a_share_of_the_force_is_common(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """With 5 cases, max_cases 3 and the shipped 1 %, a full name written in four cases is
    too common: the share only ever raises the limit above max_cases."""
    notes = [_note(f"N{i}", f"C{i}", "Seen with Steven Ward again.") for i in range(1, 5)]
    people = [person("S5", "C5", "suspect", forenames="Steven", surname="Ward")]
    tables = {"cases": [case(f"C{i}") for i in range(1, 6)], "people": people, "notes": notes}
    _run(con, tmp_path, tables)
    kinds = {k for (k,) in con.execute("SELECT kind FROM leads WHERE case_id = 'C1'").fetchall()}
    assert kinds == {"common_identifier"}


# An episode of "Millie Taylor" of Larch Court, found with the suspect's recorded phone.
_SUSPECTS_PHONE_EPISODE = {
    "episode_id": "E1", "forenames": "Millie", "surname": "Taylor",
    "care_setting": "Larch Court", "found_with": "Found with a man; phone 07194 427627.",
}  # fmt: skip


def _episode_case(episode: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    return {
        "cases": [case("C1")],
        "people": [
            person("S1", "C1", "suspect", forenames="Dean", surname="Hart", phone="07194 427627"),
            person(
                "V1",
                "C1",
                "victim",
                forenames="Amelia",
                surname="Taylor",
                care_setting="Larch Court",
            ),
        ],
        "missing_episodes": [{"missing_from": "2015-08-25T22:00", **episode}],
    }


def _run_with_episodes(
    con: duckdb.DuckDBPyConnection,
    tmp_path: Path,
    tables: dict[str, Any],
    pairs: tuple[str, str, float] | None = None,
) -> list[tuple[str, str, str]]:
    """Leads with every episode its own person; `pairs`: one pair resolution scored."""
    load(con, tmp_path / "d", tables)
    if pairs is not None:
        con.execute(
            "CREATE TABLE resolve_pairs (record_id_l VARCHAR, record_id_r VARCHAR,"
            " match_probability DOUBLE)"
        )
        con.execute("INSERT INTO resolve_pairs VALUES (?, ?, ?)", list(pairs))
    con.execute(
        "INSERT INTO persons SELECT episode_id, 'missing_episode', episode_id FROM missing_episodes"
    )
    build_networks(con)
    build_text_mentions(con)
    build_leads(con, _rules())
    rows = con.execute("SELECT kind, detail, evidence FROM leads ORDER BY ALL").fetchall()
    return [(str(k), str(d), str(e)) for k, d, e in rows]


def test_an_episode_left_apart_by_resolution_corroborates_when_the_child_agrees(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Resolution did not tie the episode ("Millie Taylor") to the victim (Amelia Taylor):
    the suspect's recorded phone in it is still a corroboration, with the surname and the
    care setting as the reason it is probably hers."""
    tables = _episode_case(_SUSPECTS_PHONE_EPISODE)
    rows = _run_with_episodes(con, tmp_path, tables)
    corroborations = [(d, e) for k, d, e in rows if k == "corroboration"]
    assert len(corroborations) == 1
    detail, evidence = corroborations[0]
    assert detail.startswith(
        "a missing-episode record probably of this case's victim (surname and care setting"
        " agree) names the phone recorded for a suspect of this case"
    )
    assert "probably of this case's victim" in evidence


def test_an_episode_of_another_child_does_not_corroborate(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    tables = _episode_case({**_SUSPECTS_PHONE_EPISODE, "surname": "Okonkwo"})
    rows = _run_with_episodes(con, tmp_path, tables)
    assert not [k for k, _, _ in rows if k == "corroboration"]


def test_an_untied_episode_goes_to_the_case_of_its_best_possible_match(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Resolution scored the episode against the victim at 0.62 (a possible match, below
    the 0.9 that links): the vehicle written in it is a lead on the victim's case, and
    the lead says how sure the tie is."""
    tables = _episode_case({
        "episode_id": "E1", "forenames": "Amy", "surname": "Tailor",
        "found_with": "Got out of a silver car YX61 ABC.",
    })  # fmt: skip
    rows = _run_with_episodes(con, tmp_path, tables, pairs=("E1", "V1", 0.62))
    assert [k for k, _, _ in rows] == ["text_identifier"]
    assert rows[0][1].startswith("registration mark “YX61 ABC” is written in this case")
    assert "probably of this case's victim (match probability 0.62)" in rows[0][2]


def test_a_corroboration_lead_is_a_priority_signal_with_its_value(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    tables = _episode_case(_SUSPECTS_PHONE_EPISODE)
    _run_with_episodes(con, tmp_path, tables)
    build_screening(con, load_scope())
    build_language(con, load_lexicon())
    build_priorities(con, load_scoring())
    signal = con.execute(
        "SELECT value, points, evidence FROM case_signals"
        " WHERE case_id = 'C1' AND signal = 'corroboration_leads'"
    ).fetchone()
    assert signal == (1, 8.0, "phone=+447194427627")


@pytest.mark.parametrize("max_network_cases", [200, 1])
def test_a_vehicle_shared_in_a_network_is_a_signal_unless_the_network_is_too_large(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, max_network_cases: int
) -> None:
    """`shared_vehicle_or_phone` gives each case every vehicle and phone joining its
    network; above `max_network_cases` (scoring rules) it is not given at all (on a
    network of 66,000 cases, every case times every identifier ran out of memory)."""
    tables = {
        "cases": [case("C1"), case("C2")],
        "people": [person("S1", "C1", "suspect"), person("S2", "C2", "suspect")],
    }
    load(con, tmp_path / "d", tables, {"S1": "P1", "S2": "P2"})
    con.execute(
        "INSERT INTO vehicles (vehicle_id, case_id, vrm, vrm_canonical, vrm_format) VALUES"
        " ('V1', 'C1', 'AB12CDE', 'AB12CDE', 'current'),"
        " ('V2', 'C2', 'AB12 CDE', 'AB12CDE', 'current')"
    )
    build_networks(con)
    build_text_mentions(con)
    build_leads(con)
    build_screening(con, load_scope())
    build_language(con, load_lexicon())
    scoring = load_scoring().model_copy(update={"max_network_cases": max_network_cases})
    build_priorities(con, scoring)
    signals = con.execute(
        "SELECT case_id, evidence FROM case_signals WHERE signal = 'shared_vehicle_or_phone'"
        " ORDER BY case_id"
    ).fetchall()
    expected = [("C1", "vrm=AB12CDE (C1,C2)"), ("C2", "vrm=AB12CDE (C1,C2)")]
    assert signals == (expected if max_network_cases >= 2 else [])
