"""The input tables of data contract v1: their columns, types and allowed values.

The schema is data, not code scattered through readers: validation, normalisation,
documentation and the synthetic generator all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ColumnType(StrEnum):
    TEXT = "text"
    DATE = "date"
    PARTIAL_DATE = "partial_date"  # a date of birth: 1998, 1998-07 or 1998-07-14
    DATETIME = "datetime"
    INT = "int"
    BOOL = "bool"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    allowed: frozenset[str] | None = None
    int_range: tuple[int, int] | None = None
    description: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    id_column: str
    columns: tuple[Column, ...]
    references_case: bool = True
    description: str = ""
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


T = ColumnType

ROLES = frozenset({"victim", "suspect", "witness", "associate", "reporting_person"})
SETTINGS = frozenset(
    {
        "family_home",
        "institution",
        "hotel",
        "vehicle",
        "street",
        "private_address",
        "online",
        "other",
    }
)
RELATIONSHIPS = frozenset(
    {
        "family",
        "carer",
        "institution_staff",
        "partner",
        "peer",
        "acquaintance",
        "stranger",
        "unknown",
    }
)
OUTCOME_BY = frozenset({"police", "cps"})
SEXES = frozenset({"F", "M", "X"})
LOCATION_KINDS = frozenset(
    {
        "hotel",
        "restaurant",
        "takeaway",
        "private_address",
        "children_home",
        "park",
        "car_park",
        "other",
    }
)

CASES = Table(
    "cases",
    "case_id",
    (
        Column("case_id", required=True, description="the force's reference for the investigation"),
        Column("force", description="force name or code"),
        Column("area", description="borough / basic command unit"),
        Column("reported_on", T.DATE, required=True, description="when the crime was recorded"),
        Column("offence_from", T.DATE, description="first date of the offending"),
        Column("offence_to", T.DATE, description="last date of the offending"),
        Column("offence_code", required=True, description="Home Office offence code"),
        Column("offence_title", description="the title as recorded"),
        Column("cse_flag", T.BOOL, description="child sexual exploitation marker"),
        Column("setting", allowed=SETTINGS, description="where the abuse took place"),
        Column("outcome_code", T.INT, int_range=(1, 22), description="Home Office outcome type"),
        Column("outcome_on", T.DATE, description="date the outcome was recorded"),
        Column("outcome_by", allowed=OUTCOME_BY, description="who took the NFA decision"),
        Column("summary", description="free-text summary"),
        Column(
            "previously_reviewed",
            T.BOOL,
            description="already reviewed under an earlier review (national criteria exclude it)",
        ),
    ),
    references_case=False,
    description="one row per investigation (crime report)",
)

PEOPLE = Table(
    "people",
    "mention_id",
    (
        Column("mention_id", required=True),
        Column("case_id", required=True),
        Column("role", required=True, allowed=ROLES),
        Column("forenames"),
        Column("surname"),
        Column("aliases", description="other names or nicknames, ';'-separated"),
        Column("date_of_birth", T.PARTIAL_DATE),
        Column("age_at_offence", T.INT, int_range=(0, 120)),
        Column("sex", allowed=SEXES),
        Column("ethnicity"),
        Column("nationality"),
        Column("address"),
        Column("postcode"),
        Column("phone"),
        Column("nominal_id"),
        Column("relationship_to_victim", allowed=RELATIONSHIPS),
        Column("in_care", T.BOOL),
        Column("care_setting"),
        Column("deceased", T.BOOL, description="the person is known to have died"),
    ),
    description="one row per person as recorded on one case (a mention)",
)

VEHICLES = Table(
    "vehicles",
    "vehicle_id",
    (
        Column("vehicle_id", required=True),
        Column("case_id", required=True),
        Column("vrm"),
        Column("make"),
        Column("model"),
        Column("colour"),
        Column("mention_id"),
        Column("context"),
    ),
    description="a vehicle recorded on a case",
)

LOCATIONS = Table(
    "locations",
    "location_id",
    (
        Column("location_id", required=True),
        Column("case_id", required=True),
        Column("kind", allowed=LOCATION_KINDS),
        Column("name"),
        Column("address"),
        Column("postcode"),
        Column("mention_id"),
    ),
    description="a place recorded on a case",
)

NOTES = Table(
    "notes",
    "note_id",
    (
        Column("note_id", required=True),
        Column("case_id", required=True),
        Column("recorded_on", T.DATE),
        Column("author_role"),
        Column("text", required=True),
    ),
    description="free text recorded on a case",
)

MISSING_EPISODES = Table(
    "missing_episodes",
    "episode_id",
    (
        Column("episode_id", required=True),
        Column("forenames"),
        Column("surname"),
        Column("date_of_birth", T.PARTIAL_DATE),
        Column("care_setting"),
        Column("missing_from", T.DATETIME, required=True),
        Column("returned_at", T.DATETIME),
        Column("found_location"),
        Column("found_with"),
    ),
    references_case=False,
    description="a child reported missing (separate record system, no case key)",
)

TABLES: dict[str, Table] = {
    t.name: t for t in (CASES, PEOPLE, VEHICLES, LOCATIONS, NOTES, MISSING_EPISODES)
}
"""All input tables, in load order: cases first, since the others reference it."""
