"""A resolved person: every record relook joined into them, and why.

The match explanation has two levels. Always: for each identifying field, whether each
record agrees with the value most records share, differs, or has nothing recorded, and
the match probability that tied the record in. On request: the model's per-comparison
weights for any two records (`relook.review.match_explainer`).

Who is protected follows `relook.review.visibility`, as on the case page: a person who is
a victim on any case, a child in a missing-episode record, or (not a suspect) shares a name
with a victim of their case. A protected person's names, dates of birth and contact details
are hidden on every record (agreement is still shown) unless revealed with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select

from relook.review.access import Reach
from relook.review.judgements import JudgementRecord, about_records
from relook.review.visibility import NamedRecord, Visibility
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
PROTECTED_LABEL = "Protected person (victim, missing child or a victim's relative)"
# In a judgement's reason, a protected person on the other side of it: not lettered, as
# "Victim A" is this page's person.
OTHER_PROTECTED_LABEL = "another protected person"


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
    withhold: Callable[[str], str] = str
    """Replaces protected names and places in a value shown beside the page (the match
    explanation's compared values); the identity when revealed."""


@dataclass(frozen=True)
class _Record:
    """One record of the person as stored, before need to know is applied."""

    record_id: str
    kind: str
    case_id: str | None
    role: str | None
    date: dt.date | None
    match_probability: float | None
    may_open_case: bool
    values: dict[str, str | None]
    """The compared fields (`COMPARED_FIELDS`) as recorded."""
    named: NamedRecord


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _fold(value: str | None) -> str:
    return " ".join(value.casefold().split()) if value else ""


_MENTIONS = (
    select(run_people, run_cases.c.reported_on, run_cases.c.network_id)
    .join(
        run_cases,
        (run_cases.c.run_id == run_people.c.run_id) & (run_cases.c.case_id == run_people.c.case_id),
    )
    .where(
        run_people.c.run_id == bindparam("run_id"), run_people.c.person_id == bindparam("person_id")
    )
    .order_by(run_cases.c.reported_on, run_people.c.mention_id)
)
_EPISODES = (
    select(run_episodes)
    .where(
        run_episodes.c.run_id == bindparam("run_id"),
        run_episodes.c.person_id == bindparam("person_id"),
    )
    .order_by(run_episodes.c.missing_from, run_episodes.c.episode_id)
)
_VICTIMS = select(
    run_people.c.mention_id,
    run_people.c.case_id,
    run_people.c.forenames,
    run_people.c.surname,
    run_people.c.aliases,
    run_people.c.address,
    run_people.c.postcode,
    run_people.c.care_setting,
).where(
    run_people.c.run_id == bindparam("run_id"),
    run_people.c.role == "victim",
    run_people.c.case_id.in_(bindparam("case_ids", expanding=True)),
)


def _mention_records(rows: Iterable[Row[Any]], reach: Reach) -> list[_Record]:
    return [
        _Record(
            record_id=m.mention_id,
            kind="mention",
            case_id=m.case_id,
            role=m.role,
            date=m.reported_on,
            match_probability=m.match_probability,
            may_open_case=reach.may_open(m.case_id, m.network_id),
            values={name: _text(m._mapping[name]) for name, _ in COMPARED_FIELDS},
            named=NamedRecord(
                m.mention_id,
                m.role,
                m.forenames,
                m.surname,
                m.aliases,
                m.person_id,
                m.case_id,
                address=m.address,
                postcode=m.postcode,
                care_setting=m.care_setting,
            ),
        )
        for m in rows
    ]


def _episode_records(rows: Iterable[Row[Any]]) -> list[_Record]:
    return [
        _Record(
            record_id=e.episode_id,
            kind="missing_episode",
            case_id=None,
            role="missing child",
            date=e.missing_from.date() if e.missing_from else None,
            match_probability=e.match_probability,
            may_open_case=False,
            values={
                "forenames": e.forenames,
                "surname": e.surname,
                "date_of_birth": e.date_of_birth,
                "postcode": None,
                "phone": None,
                "nominal_id": None,
                "care_setting": e.care_setting,
            },
            named=NamedRecord(
                e.episode_id, "missing child", e.forenames, e.surname, person_id=e.person_id
            ),
        )
        for e in rows
    ]


def _victims_of_cases(connection: Connection, run_id: str, case_ids: set[str]) -> list[NamedRecord]:
    if not case_ids:
        return []
    rows = connection.execute(_VICTIMS, {"run_id": run_id, "case_ids": sorted(case_ids)})
    return [
        NamedRecord(
            v.mention_id,
            "victim",
            v.forenames,
            v.surname,
            v.aliases,
            case_id=v.case_id,
            address=v.address,
            postcode=v.postcode,
            care_setting=v.care_setting,
        )
        for v in rows
    ]


def _most_common(records: list[_Record]) -> dict[str, str]:
    """Per compared field, the value most records share (compared folded)."""
    common: dict[str, str] = {}
    for name, _ in COMPARED_FIELDS:
        counted = Counter(_fold(r.values[name]) for r in records if _fold(r.values[name]))
        if counted:
            common[name] = counted.most_common(1)[0][0]
    return common


def _record_view(record: _Record, common: dict[str, str], shown: Visibility) -> RecordView:
    cells = []
    for name, _ in COMPARED_FIELDS:
        folded = _fold(record.values[name])
        agreement = "blank" if not folded else ("same" if folded == common[name] else "differs")
        cells.append(FieldCell(shown.value(record.record_id, name, record.values[name]), agreement))
    return RecordView(
        record_id=record.record_id,
        kind=record.kind,
        case_id=record.case_id,
        role=record.role,
        date=record.date,
        match_probability=record.match_probability,
        fields=tuple(cells),
        may_open_case=record.may_open_case,
    )


def _person_records(
    connection: Connection, run_id: str, person_id: str, reach: Reach
) -> tuple[list[_Record], list[_Record]]:
    ids = {"run_id": run_id, "person_id": person_id}
    mentions = _mention_records(connection.execute(_MENTIONS, ids), reach)
    return mentions, _episode_records(connection.execute(_EPISODES, ids))


def _visibility(
    connection: Connection,
    run_id: str,
    person_id: str,
    mentions: list[_Record],
    episodes: list[_Record],
    *,
    revealed: bool,
    labelled_as: str | None = None,
) -> Visibility:
    return Visibility.for_person(
        person_id,
        [r.named for r in mentions + episodes],
        victim=any(r.role == "victim" for r in mentions),
        missing_child=bool(episodes),
        victims=_victims_of_cases(connection, run_id, {r.case_id for r in mentions if r.case_id}),
        revealed=revealed,
        labelled_as=labelled_as,
    )


def _persons_of(connection: Connection, run_id: str, record_ids: set[str]) -> set[str]:
    """The persons (of this run) that hold any of `record_ids`."""
    if not record_ids:
        return set()
    found: set[str] = set()
    for table, column in ((run_people, run_people.c.mention_id),
                          (run_episodes, run_episodes.c.episode_id)):  # fmt: skip
        found.update(
            connection.execute(
                select(table.c.person_id).where(
                    table.c.run_id == run_id,
                    column.in_(sorted(record_ids)),
                    table.c.person_id.is_not(None),
                )
            ).scalars()
        )
    return found


def _judgements_shown(
    connection: Connection,
    run_id: str,
    reach: Reach,
    on_page: list[_Record],
    withhold: Callable[[str], str],
) -> list[JudgementRecord]:
    """The judgements about the page's records, each reason with the protected names of
    this page withheld, and those of the person on the other side of a judgement too
    (a cannot-link joins this person's record to someone else's): a reveal here reveals
    this person only."""
    ids = {r.record_id for r in on_page}
    found = about_records(connection, ids)
    others = {j.record_b if j.record_a in ids else j.record_a for j in found} - ids
    redactors = [withhold]
    for other in sorted(_persons_of(connection, run_id, others)):
        mentions, episodes = _person_records(connection, run_id, other, reach)
        other_page = _visibility(
            connection, run_id, other, mentions, episodes, revealed=False,
            labelled_as=OTHER_PROTECTED_LABEL,
        )  # fmt: skip
        redactors.append(other_page.redact)

    def shown(reason: str) -> str:
        for redact in redactors:
            reason = redact(reason)
        return reason

    return [replace(j, reason=shown(j.reason)) for j in found]


def build(
    connection: Connection, run_id: str, person_id: str, *, reach: Reach, revealed: bool
) -> PersonPage | None:
    mentions, episodes = _person_records(connection, run_id, person_id, reach)
    records = mentions + episodes
    if not records:
        return None
    shown = _visibility(connection, run_id, person_id, mentions, episodes, revealed=revealed)
    common = _most_common(records)
    if shown.hides(records[0].record_id):
        label = PROTECTED_LABEL
    else:
        first = records[0].values
        label = " ".join(n for n in (first["forenames"], first["surname"]) if n) or person_id
    return PersonPage(
        person_id=person_id,
        label=label,
        protected=shown.any_protected,
        revealed=revealed,
        roles=dict(Counter(r.role or "unknown" for r in records)),
        records=[_record_view(r, common, shown) for r in records],
        field_names=tuple(title for _, title in COMPARED_FIELDS),
        judgements=_judgements_shown(connection, run_id, reach, records, shown.redact),
        withhold=shown.redact,
    )
