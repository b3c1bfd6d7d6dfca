"""Split a text into plain and highlighted pieces, for leads and language flags.

Spans are character offsets into the original text. Pieces are built before any
redaction, so offsets stay right; each piece's text and its highlight's note (shown as
hover text) are then redacted. The template escapes both, so no text is ever marked up
as HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace


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
    """The text in order; overlapping spans keep the earlier (then longer) one. A span
    that would cut a protected name or address in two (`redact.ranges`, when it has them)
    is widened to cover it, or the halves would each escape the redaction."""
    protected: list[tuple[int, int]] = getattr(redact, "ranges", lambda _text: [])(text)
    chosen: list[Span] = []
    widened = (_widen(span, protected) for span in spans)
    for span in sorted(widened, key=lambda s: (s.start, -(s.end - s.start))):
        if 0 <= span.start < span.end <= len(text) and (not chosen or span.start >= chosen[-1].end):
            chosen.append(span)
    result = []
    position = 0
    for span in chosen:
        if span.start > position:
            result.append(Piece(redact(text[position : span.start])))
        # The note becomes the highlight's hover title: redacted like the text it marks.
        result.append(
            Piece(redact(text[span.start : span.end]), replace(span, note=redact(span.note)))
        )
        position = span.end
    if position < len(text):
        result.append(Piece(redact(text[position:])))
    return result


def _widen(span: Span, protected: Iterable[tuple[int, int]]) -> Span:
    start, end = span.start, span.end
    for low, high in protected:
        if low < start < high:
            start = low
        if low < end < high:
            end = high
    return replace(span, start=start, end=end) if (start, end) != (span.start, span.end) else span
