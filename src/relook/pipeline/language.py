"""Victim-blaming language in notes and case summaries (`language`).

One compiled pattern holds every lexicon phrase, matched case-insensitively on word
boundaries. The lexicon's patterns carry inflections and optional words
("(?:put|puts|putting)", "(?:own )?") and pronoun slots ({self}, {pos}, {obj}, {sub}), so
that one pattern covers "her lifestyle is placing her at risk" and "his behaviour is
putting him in danger". A match is
*not* flagged when the record discusses the wording rather than uses it:
- negated: a negation cue ("not", "cannot", …) within a few words before it, in the same
  clause ("she was not making a lifestyle choice");
- quoted as wording to avoid: inside quotation marks in a sentence with an avoidance cue
  (`the term "promiscuous" was removed`), or after an instruction cue even unquoted
  ("reminded not to describe her as promiscuous").
Everything else is flagged with the lexicon's suggested wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import ahocorasick
import duckdb
import pyarrow as pa

from relook.pipeline.literal_anchors import anchors
from relook.rules.lexicon import Lexicon

# Slots a lexicon pattern may use, so that one pattern covers every pronoun.
SLOTS = {
    "{self}": r"(?:herself|himself|themselves|themself|theirself)",
    "{pos}": r"(?:her|his|their)",
    "{obj}": r"(?:her|him|them)",
    "{sub}": r"(?:she|he|they)",
}
QUOTES = "\"“”‘’'«»"
SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
CLAUSE_BREAK = re.compile(r"[,;:()]")
WORD = re.compile(r"[a-z']+")
BATCH_ROWS = 20_000


@dataclass(frozen=True)
class LanguageFlag:
    key: str
    phrase: str
    start: int
    end: int
    suggested: str


class LanguageMatcher:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        alternatives = []
        for index, entry in enumerate(lexicon.phrases):
            body = "|".join(_expand(p) for p in entry.patterns)
            alternatives.append(f"(?P<p{index}>{body})")
        self.pattern = re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)
        self.prefilter = _anchor_automaton(
            [_expand(p) for entry in lexicon.phrases for p in entry.patterns]
        )
        self.negations = {cue.lower() for cue in lexicon.negation_cues}
        self.avoidance = [cue.lower() for cue in lexicon.avoidance_cues]
        self.instructions = [cue.lower() for cue in lexicon.instruction_cues]

    def find(self, text: str) -> list[LanguageFlag]:
        # Most notes hold none of the words a pattern needs: skip them in one C pass.
        if self.prefilter is not None and next(self.prefilter.iter(text.lower()), None) is None:
            return []
        flags = []
        for match in self.pattern.finditer(text):
            index = int(next(name for name, v in match.groupdict().items() if v)[1:])
            if self._discussed(text, match.start(), match.end()):
                continue
            entry = self.lexicon.phrases[index]
            flags.append(
                LanguageFlag(entry.key, match.group(0), match.start(), match.end(), entry.suggested)
            )
        return flags

    def _discussed(self, text: str, start: int, end: int) -> bool:
        sentence_start, sentence_end = _sentence_bounds(text, start, end)
        before = text[sentence_start:start].lower()
        sentence = text[sentence_start:sentence_end].lower()
        if _quoted(text, start, end, sentence_start) and any(c in sentence for c in self.avoidance):
            return True
        if any(cue in before for cue in self.instructions):
            return True
        clause = CLAUSE_BREAK.split(before)[-1]
        window = WORD.findall(clause)[-self.lexicon.negation_window :]
        return any(word in self.negations for word in window)


def _anchor_automaton(patterns: list[str]) -> ahocorasick.Automaton | None:
    """Every pattern's literal anchors in one automaton; None when some pattern has none
    (then no text can be skipped)."""
    automaton = ahocorasick.Automaton()
    for pattern in patterns:
        found = anchors(pattern, re.IGNORECASE)
        if found is None:
            return None
        for anchor in found:
            automaton.add_word(anchor, anchor)
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton


def _expand(pattern: str) -> str:
    for slot, alternatives in SLOTS.items():
        pattern = pattern.replace(slot, alternatives)
    return pattern


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    previous = [m.end() for m in SENTENCE_END.finditer(text, 0, start)]
    following = SENTENCE_END.search(text, end)
    return (previous[-1] if previous else 0), (following.start() if following else len(text))


def _quoted(text: str, start: int, end: int, sentence_start: int) -> bool:
    """Inside quotation marks: an odd number of double quotes before it in its sentence,
    or a quote mark right against both ends of the phrase."""
    before = text[sentence_start:start]
    doubles = sum(before.count(q) for q in '"“”')
    if doubles % 2 == 1:
        return True
    opening = start > 0 and text[start - 1] in QUOTES
    closing = end < len(text) and text[end] in QUOTES
    return opening and closing


def _flag_rows(
    matcher: LanguageMatcher, batch: pa.RecordBatch
) -> Iterator[tuple[str, str | None, str, str, str, str, int, int]]:
    columns = batch.to_pydict()
    for source, note_id, case_id, text in zip(
        columns["source_table"],
        columns["note_id"],
        columns["case_id"],
        columns["text"],
        strict=True,
    ):
        for flag in matcher.find(text):
            yield (
                source,
                note_id,
                case_id,
                flag.phrase,
                flag.suggested,
                flag.key,
                flag.start,
                flag.end,
            )


def build_language(con: duckdb.DuckDBPyConnection, lexicon: Lexicon) -> int:
    """Create `language`: one row per flagged phrase in notes and case summaries."""
    matcher = LanguageMatcher(lexicon)
    con.execute(
        "CREATE OR REPLACE TABLE language (source_table VARCHAR, note_id VARCHAR,"
        " case_id VARCHAR, phrase VARCHAR, suggested_wording VARCHAR, lexicon_key VARCHAR,"
        " span_start INTEGER, span_end INTEGER, lexicon_version VARCHAR)"
    )
    reader = con.sql(
        "SELECT 'notes' AS source_table, note_id, case_id, text FROM notes"
        " UNION ALL SELECT 'cases', NULL, case_id, summary FROM cases WHERE summary IS NOT NULL"
        " ORDER BY 1, 2, 3"
    ).to_arrow_reader(BATCH_ROWS)
    rows: list[tuple[object, ...]] = []
    for batch in reader:
        rows.extend((*row, lexicon.version) for row in _flag_rows(matcher, batch))
    if rows:
        con.executemany("INSERT INTO language VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)
