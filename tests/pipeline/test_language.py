"""The language matcher: positives with pronoun and inflection, negated and quoted uses."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml
from handmade import case, load

from relook.pipeline.language import LanguageMatcher, build_language
from relook.rules.lexicon import Lexicon, load_lexicon


@pytest.fixture(scope="module")
def matcher() -> LanguageMatcher:
    return LanguageMatcher(load_lexicon())


@pytest.mark.parametrize(
    ("text", "key", "phrase"),
    [
        (
            "She is putting herself at risk by going missing.",
            "putting herself at risk",
            "putting herself at risk",
        ),
        (
            "Staff feel that he puts himself at risk.",
            "putting herself at risk",
            "puts himself at risk",
        ),
        ("They PUT THEMSELVES AT RISK again.", "putting herself at risk", "PUT THEMSELVES AT RISK"),
        (
            "Going missing is one of her lifestyle choices.",
            "lifestyle choice",
            "her lifestyle choices",
        ),
        ("Described by staff as promiscuous.", "promiscuous", "promiscuous"),
        ("She is believed to be sexually active.", "sexually active", "sexually active"),
        ("She stated that she consented to going.", "consented", "consented"),
        (
            "Staff believe he is prostituting himself.",
            "prostituting herself",
            "prostituting himself",
        ),
        ("A log refers to her as a child prostitute.", "child prostitute", "child prostitute"),
        (
            "She says she is in a relationship with a 27-year-old man.",
            "in a relationship with",
            "in a relationship with",
        ),
        ("Collected by her boyfriend, an adult male.", "boyfriend", "boyfriend"),
        ('She called him her "boyfriend" in interview.', "boyfriend", "boyfriend"),
    ],
)
def test_flags_victim_blaming_wording(
    matcher: LanguageMatcher, text: str, key: str, phrase: str
) -> None:
    flags = matcher.find(text)
    assert [(f.key, f.phrase) for f in flags] == [(key, phrase)]
    assert text[flags[0].start : flags[0].end] == phrase
    assert flags[0].suggested


@pytest.mark.parametrize(
    "text",
    [
        "She is not making a lifestyle choice; she is being exploited.",
        "He is not putting himself at risk; adults are exploiting him.",
        "A child cannot have consented to what happened.",
        "They are not in a relationship with the adult; they are being groomed.",
        'Staff were reminded not to describe her as "promiscuous".',
        "Staff were reminded not to describe her as promiscuous.",
        'The term "child prostitute" was removed and replaced with "being sexually exploited".',
        "Guidance says to avoid the phrase 'sexually active' for children.",
        "The victim never consented.",
    ],
)
def test_negated_or_quoted_as_wording_to_avoid_is_not_flagged(
    matcher: LanguageMatcher, text: str
) -> None:
    assert matcher.find(text) == []


def test_negation_does_not_reach_across_a_clause(matcher: LanguageMatcher) -> None:
    flags = matcher.find("She was not at home, and her boyfriend collected her.")
    assert [f.key for f in flags] == ["boyfriend"]


def test_word_boundaries(matcher: LanguageMatcher) -> None:
    assert matcher.find("The consentingly-named file was unconsented.") == []


def test_stage_writes_language_rows_for_notes(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    notes = [
        {"note_id": "N1", "case_id": "C1", "text": "She is putting herself at risk."},
        {"note_id": "N2", "case_id": "C1", "text": "She is not making a lifestyle choice."},
    ]
    load(con, tmp_path / "d", {"cases": [case("C1")], "notes": notes})
    assert build_language(con, load_lexicon()) == 1
    row = con.execute("SELECT note_id, case_id, phrase, span_start FROM language").fetchone()
    assert row == ("N1", "C1", "putting herself at risk", 7)


# --- patterns, not fixed strings (issue 11) --------------------------------------------

CORPUS = Path(__file__).parents[1] / "fixtures" / "language"


def test_the_note_quoted_by_the_national_inquiry_is_flagged(matcher: LanguageMatcher) -> None:
    flags = matcher.find("Her lifestyle is placing her at risk; her behaviour is not good.")
    assert [(f.key, f.phrase) for f in flags] == [
        ("putting herself at risk", "Her lifestyle is placing her at risk")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "His behaviour is putting him in danger.",
        "Their choices are placing them at risk.",
        "She runs off with her boyfriend.",
        "He is streetwise.",
        "She is choosing to go missing.",
        "She went willingly.",
    ],
)
def test_one_pattern_covers_pronouns_inflections_and_optional_words(
    matcher: LanguageMatcher, text: str
) -> None:
    assert matcher.find(text)


def test_negated_and_quoted_pattern_matches_are_not_flagged(matcher: LanguageMatcher) -> None:
    assert matcher.find("She is not choosing to go missing; adults are grooming her.") == []
    assert matcher.find('Do not describe her as a "willing participant".') == []


def test_paraphrase_corpus_recall_and_precision(matcher: LanguageMatcher) -> None:
    """At least 40 phrasings the fixed-string lexicon missed and 40 decoys; the targets
    of issue 11 (bench/bench_language.py prints the figures beside the old lexicon's)."""
    corpus = yaml.safe_load((CORPUS / "paraphrases.yaml").read_text(encoding="utf-8"))
    flagged, decoys = corpus["flag"], corpus["decoy"]
    assert len(flagged) >= 40 and len(decoys) >= 40
    hits = sum(1 for text in flagged if matcher.find(text))
    false = sum(1 for text in decoys if matcher.find(text))
    assert hits / len(flagged) >= 0.95
    assert hits / (hits + false) >= 0.90


def test_the_paraphrases_are_not_in_the_fixed_string_lexicon() -> None:
    old = Lexicon.model_validate(
        yaml.safe_load((CORPUS / "lexicon-fixed-strings.yaml").read_text(encoding="utf-8"))
    )
    baseline = LanguageMatcher(old)
    corpus = yaml.safe_load((CORPUS / "paraphrases.yaml").read_text(encoding="utf-8"))
    assert [text for text in corpus["flag"] if baseline.find(text)] == []
