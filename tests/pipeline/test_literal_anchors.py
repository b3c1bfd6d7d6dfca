"""Literal anchors: every match of a pattern contains one of its anchors."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from relook.pipeline.language import LanguageMatcher, _expand
from relook.pipeline.literal_anchors import anchors
from relook.rules.lexicon import load_lexicon

CORPUS = Path(__file__).parents[1] / "fixtures" / "language" / "paraphrases.yaml"


def test_alternatives_sharing_a_prefix_give_whole_words() -> None:
    # The regular expression parser factors "cho" out of these; the anchors put it back.
    assert anchors("(?:choosing|chose) to go") == frozenset({"choosing to go", "chose to go"})


def test_optional_words_and_character_classes_are_joined_with_their_neighbours() -> None:
    assert anchors("street[- ]?wise") == frozenset({"streetwise", "street-wise", "street wise"})
    assert anchors(r"\bher (?:own )?lifestyle\b") == frozenset(
        {"her lifestyle", "her own lifestyle"}
    )


def test_the_longest_guaranteed_part_is_kept() -> None:
    assert anchors(r"go \w+ willingly") == frozenset({" willingly"})


def test_no_anchor_when_a_match_needs_no_particular_letters() -> None:
    assert anchors(r"\w+ at risk|\d+") is None
    assert anchors("(?:ab)?c") is None  # shorter than any useful anchor


def test_every_match_in_the_corpus_contains_an_anchor_of_its_pattern() -> None:
    lexicon = load_lexicon()
    corpus = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    texts = list(corpus["flag"]) + list(corpus["decoy"])
    checked = 0
    for entry in lexicon.phrases:
        for raw in entry.patterns:
            pattern = _expand(raw)
            found = anchors(pattern, re.IGNORECASE)
            assert found is not None, raw
            for text in texts:
                for match in re.finditer(pattern, text, re.IGNORECASE):
                    assert any(a in match.group(0).lower() for a in found), (raw, text)
                    checked += 1
    assert checked >= 45


def test_the_prefilter_changes_no_flag_and_skips_text_without_anchors() -> None:
    lexicon = load_lexicon()
    prefiltered, unfiltered = LanguageMatcher(lexicon), LanguageMatcher(lexicon)
    unfiltered.prefilter = None
    assert prefiltered.prefilter is not None
    corpus = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    for text in list(corpus["flag"]) + list(corpus["decoy"]):
        assert prefiltered.find(text) == unfiltered.find(text)
    plain = "Strategy meeting held; CSE risk assessment reviewed with the school."
    assert next(prefiltered.prefilter.iter(plain.lower()), None) is None
