"""Building free text from templates while recording exactly where planted identifiers and
phrases land. Offsets are Python string indices (Unicode code points), end exclusive:
`text[start:end] == written`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Planted:
    """An identifier to write into free text, with its canonical form for the truth.
    `kind` is vrm, phone, postcode, name or place; for a name the canonical is the true
    person_id. `detail` describes it in words (e.g. "silver Ford Focus") when useful.
    `corroborates`: the value IS recorded on the case, for a suspect (a corroboration
    nobody connected), so it goes to the corroboration truth, not the lead truth."""

    kind: str
    written: str
    canonical: str
    detail: str = ""
    corroborates: bool = False


@dataclass(frozen=True)
class Phrase:
    """A lexicon phrase as written: `flag` False for a quoted or negated decoy."""

    written: str
    key: str
    flag: bool


@dataclass(frozen=True)
class Placed:
    item: Planted | Phrase
    start: int
    end: int


@dataclass
class TextBuilder:
    """Appends sentences; remembers the offsets of every Planted and Phrase value."""

    parts: list[str] = field(default_factory=list)
    placed: list[Placed] = field(default_factory=list)
    length: int = 0

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def sentence(self, template: str, **values: str | Planted | Phrase) -> None:
        """Append one sentence; `{slot}`s are filled from `values`."""
        if self.parts:
            self._append(" ")
        position = 0
        for match in _SLOT.finditer(template):
            self._append(template[position : match.start()])
            value = values[match.group(1)]
            if isinstance(value, str):
                self._append(value)
            else:
                start = self.length
                self._append(value.written)
                self.placed.append(Placed(value, start, self.length))
            position = match.end()
        self._append(template[position:])

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def empty(self) -> bool:
        return not self.parts
