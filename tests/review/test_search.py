"""Reading a search every way it could be meant, on a hand-made index."""

from __future__ import annotations

from relook.review.access import Reach
from relook.review.search import MatchKind, SearchIndex, meanings, search
from relook.security.policy import Role


def _index() -> SearchIndex:
    index = SearchIndex("run")
    index.networks.update({"C1": "N1", "C2": None, "C3": None})
    index.add(MatchKind.NAME, "robert smith", "C1", "suspect")
    index.add(MatchKind.SURNAME, "smith", "C1", "suspect")
    index.add(MatchKind.SURNAME, "smith", "C2", "victim")
    index.add(MatchKind.PHONE, "+447700900123", "C3", "suspect")
    index.add(MatchKind.POSTCODE, "SW1A 1AA", "C2", None)
    index.add(MatchKind.VEHICLE, "AB12CDE", "C3", None)
    index.add(MatchKind.ALIAS, "smokey", "C2", "suspect")
    return index


EVERYONE = Reach(Role.SUPERVISOR, frozenset(), frozenset())


def test_a_query_is_read_as_each_kind_of_value() -> None:
    kinds = {kind for kind, _ in meanings("07700 900123")}
    assert MatchKind.PHONE in kinds and MatchKind.NAME not in kinds
    assert (MatchKind.POSTCODE, "SW1A 1AA") in meanings("sw1a1aa")
    assert (MatchKind.VEHICLE, "AB12CDE") in meanings("ab12 cde")
    assert (MatchKind.NAME, "robert smith") in meanings("Bob SMITH")


def test_hits_say_what_matched_never_the_value() -> None:
    result = search(_index(), "Bobby Smith", EVERYONE)
    assert [h.case_id for h in result.hits] == ["C1"]
    assert result.hits[0].matched == ("name of a suspect",)
    surname = search(_index(), "smith", EVERYONE)
    assert {h.case_id: h.matched for h in surname.hits} == {
        "C1": ("surname of a suspect",),
        "C2": ("surname of a victim",),
    }
    assert search(_index(), "AB 12 CDE", EVERYONE).hits[0].matched == ("registration mark",)
    assert search(_index(), "Smokey", EVERYONE).hits[0].case_id == "C2"


def test_cases_out_of_reach_are_only_counted() -> None:
    reviewer = Reach(Role.REVIEWER, frozenset({"C1"}), frozenset({"N1"}))
    result = search(_index(), "smith", reviewer)
    assert [h.case_id for h in result.hits] == ["C1"] and result.hidden == 1
    nothing = search(_index(), "+44 7700 900123", reviewer)
    assert nothing.hits == [] and nothing.hidden == 1


def test_a_blank_or_one_letter_query_matches_no_name() -> None:
    assert all(kind is MatchKind.CASE for kind, _ in meanings("a"))
    assert search(_index(), "   ", EVERYONE).hits == []
