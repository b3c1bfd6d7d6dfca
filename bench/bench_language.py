"""Victim-blaming language by pattern: recall and precision on the paraphrase corpus,
beside the fixed-string lexicon relook shipped before issue 11, in the same run.

    PYTHONPATH=src .venv/bin/python bench/bench_language.py [--corpus FILE] [--repeat N]

The corpus (tests/fixtures/language/paraphrases.yaml) holds phrasings that the fixed-string
lexicon did not list (`flag`) and decoys (`decoy`): the same words used properly, negated,
or quoted as wording to avoid. A record counts as flagged when the matcher flags anything
in it. Recall: flagged `flag` records / all of them; precision: flagged `flag` records /
all flagged records. It also times both matchers over the corpus repeated N times.

With `--notes-of N` it also times the matchers over the notes of a generated force of N
cases (most of which hold no such phrase): the pattern lexicon with its literal-anchor
prefilter (relook.pipeline.literal_anchors), the same without it, and the fixed strings,
checking that the prefilter changes no flag.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

import yaml

from relook.pipeline.language import LanguageMatcher
from relook.rules.lexicon import Lexicon, load_lexicon
from relook.synth import generate

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


def _force_notes(cases: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), cases, 1)
        with (Path(tmp) / "notes.csv").open(newline="", encoding="utf-8") as handle:
            return [row["text"] for row in csv.DictReader(handle) if row["text"]]


def _time_notes(notes: list[str], new: Lexicon, old: Lexicon) -> None:
    prefiltered = LanguageMatcher(new)
    unfiltered = LanguageMatcher(new)
    unfiltered.prefilter = None
    fixed = LanguageMatcher(old)
    print(f"\nnotes of a generated force: {len(notes):,}")
    flags: dict[str, list[list[str]]] = {}
    rows = (("patterns, prefiltered", prefiltered), ("patterns, no prefilter", unfiltered),
            ("fixed strings", fixed))  # fmt: skip
    for label, matcher in rows:
        started = time.perf_counter()
        found = [[f.phrase for f in matcher.find(text)] for text in notes]
        seconds = time.perf_counter() - started
        flags[label] = found
        print(f"  {label:<24} {seconds:.2f} s  ({sum(map(len, found)):,} flags)")
    same = flags["patterns, prefiltered"] == flags["patterns, no prefilter"]
    print(f"  prefilter changes no flag: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=FIXTURES / "paraphrases.yaml")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--notes-of", type=int, default=0, metavar="CASES")
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
    if args.notes_of:
        _time_notes(_force_notes(args.notes_of), new, old)


if __name__ == "__main__":
    main()
