"""Literal anchors of a regular expression: words every match must contain.

The language lexicon is one large alternation of patterns with optional words and
inflections, and Python's regular expression engine tries it at every position of every
note: about four times the cost of the fixed strings it replaced. Most notes contain none
of the words the patterns need, so a cheap test first (one Aho-Corasick pass over the
lower-cased text for the anchors) lets the matcher skip them without changing a result.

    anchors("(?:put|puts|placing) (?:herself|himself) at risk") -> {"risk"} (or another
        set at least as long: any match contains one of its strings)

A pattern's anchors are a set of strings of which every match contains at least one.
They are worked out from the parsed pattern. A part that matches one of a few exact
strings (a literal, alternatives of literals, an optional word, a small character class,
a zero-width test such as `\\b`) is joined with its neighbours of the same kind, so
"(?:choosing|chose) to" gives {"choosing to", "chose to"}; a group of other parts has its
content's anchors; alternatives, the union of theirs (if every branch has some); a repeat
of at least once, its item's; anything else (`\\w+`) guarantees nothing. Of the parts in
sequence, the one whose shortest anchor is longest is kept. `None` means no guarantee:
the text must always be matched in full.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Set
from re import _constants as constants  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]
from typing import Any

MIN_ANCHOR = 3
"""Shorter anchors would be in almost every note, so they filter nothing."""


def anchors(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-case strings of which every match of `pattern` contains one, or None."""
    try:
        parsed = parser.parse(pattern, flags)
    except re.error:
        return None
    found = _sequence(list(parsed))
    if found is None or min(len(a) for a in found) < MIN_ANCHOR:
        return None
    return frozenset(a.lower() for a in found)


_MAX_EXACT = 64
"""An exact part with more strings than this is treated as an anchor set instead."""

_ZERO_WIDTH = (constants.AT, constants.ASSERT, constants.ASSERT_NOT)


def _quality(found: frozenset[str]) -> int:
    return min(len(a) for a in found)


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The best anchor set among the parts of a sequence, exact parts joined."""
    candidates: list[frozenset[str]] = []
    joined: set[str] = {""}
    for op, value in items:
        exact = _exact(op, value)
        if exact is not None and len(joined) * len(exact) <= _MAX_EXACT:
            joined = {a + b for a in joined for b in exact}
            continue
        if joined != {""}:
            candidates.append(frozenset(joined))
        joined = set(exact) if exact is not None else {""}
        found = _node(op, value) if exact is None else None
        if found is not None:
            candidates.append(found)
    if joined != {""}:
        candidates.append(frozenset(joined))
    return max(candidates, key=_quality) if candidates else None


def _exact_sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    joined: set[str] = {""}
    for op, value in items:
        exact = _exact(op, value)
        if exact is None or len(joined) * len(exact) > _MAX_EXACT:
            return None
        joined = {a + b for a in joined for b in exact}
    return joined


def _exact(op: Any, value: Any) -> set[str] | None:
    """The strings a part matches, when they are few and known; else None."""
    if op is constants.LITERAL:
        return {chr(value)}
    if op in _ZERO_WIDTH:
        return {""}
    if op is constants.IN and all(o is constants.LITERAL for o, _ in value):
        return {chr(v) for _, v in value}
    if op is constants.SUBPATTERN:
        return _exact_sequence(list(value[-1]))
    if op is constants.BRANCH:
        union = _union(value[1], _exact_sequence)
        return union if union is not None and len(union) <= _MAX_EXACT else None
    if op in (constants.MAX_REPEAT, constants.MIN_REPEAT) and (value[0], value[1]) == (0, 1):
        exact = _exact_sequence(list(value[2]))
        return None if exact is None else exact | {""}
    return None


def _node(op: Any, value: Any) -> frozenset[str] | None:
    """Anchors of a part that is not exact."""
    if op is constants.SUBPATTERN:
        return _sequence(list(value[-1]))
    if op is constants.BRANCH:
        union = _union(value[1], _sequence)
        return None if union is None else frozenset(union)
    if op in (constants.MAX_REPEAT, constants.MIN_REPEAT) and value[0] >= 1:
        return _sequence(list(value[2]))
    return None


def _union(
    branches: list[Any], of: Callable[[list[tuple[Any, Any]]], Set[str] | None]
) -> set[str] | None:
    """The union of every branch's strings, or None if one branch has none."""
    union: set[str] = set()
    for branch in branches:
        found = of(list(branch))
        if found is None:
            return None
        union |= found
    return union
