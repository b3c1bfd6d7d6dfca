"""A resolved person: every record relook joined into them, and why.

The match explanation has two levels. Always: for each identifying field, whether each
record agrees with the value most records share, differs, or has nothing recorded, and
the match probability that tied the record in. On request: the model's per-comparison
weights for any two records (`relook.review.match_explainer`).

A person who is a victim on any case, or a child in a missing-episode record, is
protected: names, dates of birth and contact details are hidden (agreement is still
shown) unless revealed with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Connection, select

from relook.review.access import Reach
from relook.review.judgements import JudgementRecord, about_records
from relook.store.tables import run_cases, run_episodes, run_people

COMPARED_FIELDS = (
    ("forenames", "Forenames"),
    ("surname", "Surname"),
    ("date_of_birth", "Date of birth"),
    ("postcode", "Postcode"),
    ("phone", "Phone"),
    ("nominal_id", "Nominal id"),
    ("care_setting", "Care setting"),
)
IDENTIFYING = {"forenames", "surname", "date_of_birth", "postcode", "phone"}


@dataclass(frozen=True)
class FieldCell:
    value: str | None
    agreement: str
    """`same`, `differs` or `blank`."""


@dataclass(frozen=True)
class RecordView:
    record_id: str
    kind: str
    """`mention` or `missing_episode`."""
    case_id: str | None
    role: str | None
    date: dt.date | None
    match_probability: float | None
    fields: tuple[FieldCell, ...]
    may_open_case: bool


@dataclass(frozen=True)
class PersonPage:
    person_id: str
    label: str
    protected: bool
    revealed: bool
    roles: dict[str, int]
    records: list[RecordView]
    field_names: tuple[str, ...]
    judgements: list[JudgementRecord]


_Raw = tuple[
    str, str, str | None, str | None, dt.date | None, float | None, bool, dict[str, object]
]
"""(record id, kind, case id, role, date, match probability, may open case, field values)"""


def _fold(value: object) -> str:
    return " ".join(str(value).casefold().split()) if value not in (None, "") else ""


def build(
    connection: Connection, run_id: str, person_id: str, *, reach: Reach, revealed: bool
) -> PersonPage | None:
    mentions = list(
        connection.execute(
            select(run_people, run_cases.c.reported_on, run_cases.c.network_id)
            .join(
                run_cases,
                (run_cases.c.run_id == run_people.c.run_id)
                & (run_cases.c.case_id == run_people.c.case_id),
            )
            .where(run_people.c.run_id == run_id, run_people.c.person_id == person_id)
            .order_by(run_cases.c.reported_on, run_people.c.mention_id)
        )
    )
    episodes = list(
        connection.execute(
            select(run_episodes)
            .where(run_episodes.c.run_id == run_id, run_episodes.c.person_id == person_id)
            .order_by(run_episodes.c.missing_from, run_episodes.c.episode_id)
        )
    )
    if not mentions and not episodes:
        return None
    protected_person = bool(episodes) or any(m.role == "victim" for m in mentions)
    hide = protected_person and not revealed

    raw: list[_Raw] = []
    for m in mentions:
        values = {name: getattr(m, name) for name, _ in COMPARED_FIELDS if name != "care_setting"}
        values["care_setting"] = m.care_setting
        raw.append(
            (
                m.mention_id, "mention", m.case_id, m.role, m.reported_on, m.match_probability,
                reach.may_open(m.case_id, m.network_id), values,
            )
        )  # fmt: skip
    for e in episodes:
        values = {
            "forenames": e.forenames,
            "surname": e.surname,
            "date_of_birth": e.date_of_birth,
            "postcode": None,
            "phone": None,
            "nominal_id": None,
            "care_setting": e.care_setting,
        }
        day = e.missing_from.date() if e.missing_from else None
        raw.append(
            (e.episode_id, "missing_episode", None, "missing child", day, e.match_probability,
             False, values)
        )  # fmt: skip

    common: dict[str, str] = {}
    for name, _ in COMPARED_FIELDS:
        counted = Counter(_fold(r[7][name]) for r in raw if _fold(r[7][name]))
        if counted:
            common[name] = counted.most_common(1)[0][0]

    records = []
    for record_id, kind, case_id, role, day, probability, may_open, values in raw:
        cells = []
        for name, _ in COMPARED_FIELDS:
            folded = _fold(values[name])
            agreement = "blank" if not folded else ("same" if folded == common[name] else "differs")
            shown = None if (hide and name in IDENTIFYING) else values[name]
            cells.append(FieldCell(None if shown is None else str(shown), agreement))
        records.append(
            RecordView(record_id, kind, case_id, role, day, probability, tuple(cells), may_open)
        )

    roles = Counter(r.role or "unknown" for r in records)
    if hide:
        label = "Protected person (victim or missing child)"
    else:
        first = raw[0][7]
        label = " ".join(str(first[n]) for n in ("forenames", "surname") if first[n]) or person_id
    return PersonPage(
        person_id=person_id,
        label=label,
        protected=protected_person,
        revealed=revealed,
        roles=dict(roles),
        records=records,
        field_names=tuple(title for _, title in COMPARED_FIELDS),
        judgements=about_records(connection, [r.record_id for r in records]),
    )
