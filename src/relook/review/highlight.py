"""Split a text into plain and highlighted pieces, for leads and language flags.

Spans are character offsets into the original text. Pieces are built before any
redaction, so offsets stay right; the template escapes each piece, so no text is ever
marked up as HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    """`lead` or `language`."""
    note: str
    """What the highlight means (the lead's detail, the suggested wording)."""


@dataclass(frozen=True)
class Piece:
    text: str
    span: Span | None = None


def pieces(
    text: str, spans: Iterable[Span], redact: Callable[[str], str] = lambda s: s
) -> list[Piece]:
    """The text in order; overlapping spans keep the earlier (then longer) one."""
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if 0 <= span.start < span.end <= len(text) and (not chosen or span.start >= chosen[-1].end):
            chosen.append(span)
    result = []
    position = 0
    for span in chosen:
        if span.start > position:
            result.append(Piece(redact(text[position : span.start])))
        result.append(Piece(redact(text[span.start : span.end]), span))
        position = span.end
    if position < len(text):
        result.append(Piece(redact(text[position:])))
    return result
