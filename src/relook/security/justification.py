"""The reason a user types for a disclosure (a reveal of a victim's identity, an export).

DPA 2018 s.62 asks for the justification of every disclosure, so the audit trail must
hold a reason someone can read later. Lengths counted before cleaning let ten spaces,
ten dots or ten zero-width spaces through; a reason is therefore checked after cleaning:
invisible characters removed, whitespace collapsed, and at least `MIN_WORDS` words of
letters making up `MIN_LENGTH` characters.
"""

from __future__ import annotations

import re
import unicodedata

from relook.errors import RelookError

MIN_LENGTH = 10
MIN_WORDS = 2
MAX_LENGTH = 500
_WORD = re.compile(r"[^\W\d_]{2,}")
"""A word: two or more letters (any script)."""


class InvalidReason(RelookError, ValueError):
    """The reason is blank, too short or not words (a ValueError, so form models report
    it as a field error)."""


def clean(text: str) -> str:
    """The reason as it is recorded: no invisible (format or control) characters, runs of
    whitespace as one space, no space at either end."""
    visible = "".join(
        ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch)[0] != "C"
    )
    return " ".join(visible.split())


def checked_reason(text: str) -> str:
    """The cleaned reason, or InvalidReason when it does not say anything."""
    reason = clean(text)
    if len(reason) > MAX_LENGTH:
        raise InvalidReason(f"a reason is at most {MAX_LENGTH} characters")
    words = _WORD.findall(reason)
    if len(reason) < MIN_LENGTH or len(words) < MIN_WORDS:
        raise InvalidReason(
            f"give a reason in words (at least {MIN_WORDS} words and {MIN_LENGTH} characters):"
            " it is recorded in the audit trail"
        )
    return reason
