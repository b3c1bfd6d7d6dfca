"""Name keys used by the comparisons: placeholder flag, phonetic key, nickname variants.

Thin, cached wrappers over the project's shared normalisers in `relook.normalise.names`
(`is_placeholder_name`, `name_key`, `forename_group`), so that "unknown" or "mohammed ~
muhammad" mean the same here as everywhere else in relook. Every function takes a
*folded* name (lower-case ASCII, single spaces).

Values are computed once per distinct name and joined back in the engine (see
`records.py`), so the cost grows with the variety of names, not with the rows.
"""

from __future__ import annotations

from functools import cache

from relook.normalise.names import forename_group, is_placeholder_name
from relook.normalise.names import name_key as shared_name_key


@cache
def is_placeholder(folded: str) -> bool:
    """True for "unknown", "male 2" and the like: a name that identifies nobody."""
    return is_placeholder_name(folded)


@cache
def name_key(folded: str) -> str | None:
    """A phonetic key that survives transliteration (mohammed / muhammad → same key)."""
    return shared_name_key(folded) or None


@cache
def forename_variants(folded: str) -> tuple[str, ...]:
    """The forename and the formal name it stands for (bob → robert, mohd → muhammad).

    Two forenames are nickname-compatible when their variant sets intersect: 'bob' and
    'robert' share 'robert'; 'bobby' and 'rob' share 'robert' too. A set rather than the
    group alone, so that a name the shared table maps elsewhere still meets itself.
    """
    group = forename_group(folded)
    return tuple(sorted({folded, group} - {""}))
