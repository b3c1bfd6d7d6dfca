"""Victim-blaming language by pattern: recall and precision on the paraphrase corpus,
beside the fixed-string lexicon relook shipped before issue 11, in the same run.

    PYTHONPATH=src .venv/bin/python bench/bench_language.py [--corpus FILE] [--repeat N]

The corpus (tests/fixtures/language/paraphrases.yaml) holds phrasings that the fixed-string
lexicon did not list (`flag`) and decoys (`decoy`): the same words used properly, negated,
or quoted as wording to avoid. A record counts as flagged when the matcher flags anything
in it. Recall: flagged `flag` records / all of them; precision: flagged `flag` records /
all flagged records. It also times both matchers over the corpus repeated N times.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import yaml

from relook.pipeline.language import LanguageMatcher
from relook.rules.lexicon import Lexicon, load_lexicon

FIXTURES = Path(__file__).parents[1] / "tests" / "fixtures" / "language"


def _score(matcher: LanguageMatcher, flag: list[str], decoy: list[str]) -> str:
    hits = sum(1 for text in flag if matcher.find(text))
    false = sum(1 for text in decoy if matcher.find(text))
    recall = hits / len(flag) if flag else 1.0
    precision = hits / (hits + false) if hits + false else 1.0
    return (
        f"recall {recall:.4f} ({hits}/{len(flag)})  precision {precision:.4f}"
        f" ({hits}/{hits + false}; {false} of {len(decoy)} decoys flagged)"
    )


def _seconds(matcher: LanguageMatcher, texts: list[str], repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            matcher.find(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=FIXTURES / "paraphrases.yaml")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    corpus = yaml.safe_load(args.corpus.read_text(encoding="utf-8"))
    flag, decoy = list(corpus["flag"]), list(corpus["decoy"])
    old = Lexicon.model_validate(
        yaml.safe_load((FIXTURES / "lexicon-fixed-strings.yaml").read_text(encoding="utf-8"))
    )
    new = load_lexicon()
    print(f"corpus: {len(flag)} phrasings to flag, {len(decoy)} decoys")
    for label, lexicon in ((f"patterns ({new.version})", new), (f"baseline ({old.version})", old)):
        matcher = LanguageMatcher(lexicon)
        seconds = _seconds(matcher, flag + decoy, args.repeat)
        per_record = seconds / (args.repeat * len(flag + decoy)) * 1e6
        print(f"{label:<28} {_score(matcher, flag, decoy)}  [{per_record:.1f} µs per record]")


if __name__ == "__main__":
    main()
