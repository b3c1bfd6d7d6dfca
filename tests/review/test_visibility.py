"""Who is protected on a page, and what of them is shown until a reveal."""

from __future__ import annotations

from relook.review.visibility import IDENTIFYING_FIELDS, NamedRecord, Visibility, protects_person


def record(record_id: str, role: str, forenames: str, surname: str, **more: str) -> NamedRecord:
    return NamedRecord(
        record_id, role, forenames, surname, case_id=more.pop("case_id", "C1"), **more
    )


VICTIM = record("M2", "victim", "Amira", "Hollis", person_id="P2")
SECOND_VICTIM = record("M1", "victim", "Jo", "Brennan", aliases="Jojo")
MOTHER = record("M3", "reporting_person", "Grace", "Hollis")
FATHER = record("M4", "suspect", "Dean", "Hollis")
SUSPECT = record("M5", "suspect", "Kyle", "Marsh", person_id="P5")
WITNESS = record("M6", "witness", "Sam", "Okafor")
PEOPLE = (VICTIM, SECOND_VICTIM, MOTHER, FATHER, SUSPECT, WITNESS)


def test_a_person_is_protected_as_a_victim_or_a_missing_child() -> None:
    assert protects_person(victim=True, missing_child=False)
    assert protects_person(victim=False, missing_child=True)
    assert not protects_person(victim=False, missing_child=False)


def test_victims_relatives_and_protected_persons_are_protected_but_not_suspects() -> None:
    shown = Visibility(PEOPLE, revealed=False, protected_persons={"P5"})
    assert shown.protected_ids == {"M1", "M2", "M3", "M5"}
    # The father shares the victim's surname but is accused: the reviewer sees him.
    assert not shown.is_protected("M4") and not shown.is_protected("M6")


def test_labels_are_lettered_by_record_id_victims_apart() -> None:
    shown = Visibility(PEOPLE, revealed=False, protected_persons={"P5"})
    assert [shown.name(r) for r in PEOPLE] == [
        "Victim B", "Victim A", "Protected person A", "Dean Hollis", "Protected person B",
        "Sam Okafor",
    ]  # fmt: skip


def test_identifying_values_are_hidden_only_for_protected_records_until_revealed() -> None:
    hidden = Visibility(PEOPLE, revealed=False)
    assert hidden.value("M2", "phone", "07700 900123") is None
    assert hidden.value("M2", "care_setting", "Oakfield House") == "Oakfield House"
    assert hidden.value("M6", "phone", "07700 900123") == "07700 900123"
    assert {
        "forenames",
        "surname",
        "date_of_birth",
        "address",
        "postcode",
        "phone",
    } <= IDENTIFYING_FIELDS

    revealed = Visibility(PEOPLE, revealed=True)
    assert revealed.is_protected("M2") and not revealed.hides("M2")
    assert revealed.name(VICTIM) == "Amira Hollis"
    assert revealed.value("M2", "phone", "07700 900123") == "07700 900123"
    assert revealed.redact("Amira Hollis left") == "Amira Hollis left"


def test_free_text_names_read_as_labels_and_a_shared_name_as_the_victims() -> None:
    shown = Visibility(PEOPLE, revealed=False)
    assert shown.redact("Amira HOLLIS and Grace were seen; Jojo too") == (
        "[Victim B] and [Protected person A] were seen; [Victim A] too"
    )
    # one label for one person's names side by side; two people's stay two
    assert shown.redact("Amira  Hollis, Amira Hollis and Amira Jojo") == (
        "[Victim B], [Victim B] and [Victim B] [Victim A]"
    )
    # only the page's own labels, and only on one line: a writer's "[sic] [sic]" stays
    assert shown.redact("[sic] [sic] Amira\nHollis") == "[sic] [sic] [Victim B]\n[Victim B]"
    # A two-letter name is a name too, found capitalised (in lower case it is a word).
    assert shown.redact("Jo said so; JO left, jo.") == "[Victim A] said so; [Victim A] left, jo."


def test_a_name_joined_by_a_hyphen_shares_the_part() -> None:
    cousin = record("M7", "witness", "Lee", "Hollis-Grant")
    assert Visibility([VICTIM, cousin], revealed=False).is_protected("M7")


def test_relatives_are_judged_against_victims_of_their_own_case() -> None:
    # A person page: the person's records on two cases, the victims of both.
    here = record("M8", "witness", "Grace", "Hollis", case_id="C2")
    victims = [VICTIM, record("M9", "victim", "Tia", "Pike", case_id="C2")]
    assert not Visibility([here], revealed=False, victims=victims).any_protected
    there = record("M10", "witness", "Grace", "Hollis", case_id="C1")
    assert Visibility([here, there], revealed=False, victims=victims).protected_ids == {"M10"}


def test_a_protected_person_from_elsewhere_is_named_by_their_label_here_or_generically() -> None:
    shown = Visibility(PEOPLE, revealed=False, protected_persons={"P5"})
    assert shown.person_name("P5", "Kyle Marsh") == "Protected person B"
    assert shown.person_name("P9", "Ray Dunn", protected=True) == "Protected person"
    assert shown.person_name("P9", "Ray Dunn") == "Ray Dunn"
    assert Visibility(PEOPLE, revealed=True).person_name("P9", "Ray Dunn", protected=True) == (
        "Ray Dunn"
    )


def test_a_page_without_protected_people_hides_nothing() -> None:
    shown = Visibility([FATHER, WITNESS], revealed=False)
    assert not shown.any_protected
    assert shown.redact("Dean Hollis") == "Dean Hollis"


def test_a_persons_records_are_protected_together() -> None:
    # A person page: one person's records on two cases; on C1 she is the victim's mother.
    mother = record("M3", "reporting_person", "Grace", "Hollis", person_id="P3")
    elsewhere = record("M8", "witness", "Grace", "Hollis", person_id="P3", case_id="C2")
    shown = Visibility.for_person(
        "P3",
        [mother, elsewhere],
        victim=False,
        missing_child=False,
        victims=[VICTIM],
        revealed=False,
    )
    assert shown.protected_ids == {"M3", "M8"}
    assert shown.value("M8", "surname", "Hollis") is None


def test_a_victim_or_missing_child_is_protected_on_every_record() -> None:
    as_suspect = record("M5", "suspect", "Kyle", "Marsh", person_id="P5")
    episode = NamedRecord("E1", "missing child", "Kyle", "Marsh", person_id="P5")
    for victim, missing in ((True, False), (False, True)):
        shown = Visibility.for_person(
            "P5",
            [as_suspect, episode],
            victim=victim,
            missing_child=missing,
            victims=(),
            revealed=False,
        )
        assert shown.protected_ids == {"M5", "E1"}
    plain = Visibility.for_person(
        "P5", [as_suspect], victim=False, missing_child=False, victims=[VICTIM], revealed=False
    )
    assert not plain.any_protected


AT_HOME = record("M20", "victim", "Hana", "Mehta", address="90 Ash Road, Eastwick",
                 postcode="EW1 4AB")  # fmt: skip


def test_anyone_but_a_suspect_living_where_a_victim_lives_is_protected() -> None:
    parent = record("M21", "reporting_person", "Oxana", "Husain", address="90 ash rd",
                    person_id="P21")  # fmt: skip
    neighbour = record("M22", "witness", "Sam", "Okafor", postcode="ew1 4ab")
    stepfather = record("M23", "suspect", "Wade", "Lennox", address="90 ASH ROAD")
    shown = Visibility([AT_HOME, parent, neighbour, stepfather], revealed=False)
    assert shown.protected_ids == {"M20", "M21", "M22"}
    assert shown.value("M23", "address", "90 ASH ROAD") is None
    assert shown.value("M23", "surname", "Lennox") == "Lennox"
    assert shown.redact("Oxana rang from 90, Ash Rd EW14AB") == (
        "[Protected person A] rang from [address withheld] [postcode withheld]"
    )
    # The person page applies the same rule to the parent's own records.
    page = Visibility.for_person(
        "P21", [parent], victim=False, missing_child=False, victims=[AT_HOME], revealed=False
    )
    assert page.protected_ids == {"M21"} and page.value("M21", "address", "90 ash rd") is None
    assert Visibility([AT_HOME, parent], revealed=True).value("M21", "address", "90 ash rd")
