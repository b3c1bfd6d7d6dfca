"""The records table the model compares; also the builders the other resolve tests use.

The builders create `people`, `missing_episodes` and `cases` as ingest would (folded
names, parsed dates of birth, normalised postcodes and phones) with a tiny local fold, so
that these tests do not depend on the normalise package.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from relook.pipeline.resolution.records import RECORDS_TABLE, build_records

PEOPLE_SCHEMA = pa.schema(
    [
        ("mention_id", pa.string()),
        ("case_id", pa.string()),
        ("role", pa.string()),
        ("forenames", pa.string()),
        ("surname", pa.string()),
        ("aliases", pa.string()),
        ("forenames_folded", pa.string()),
        ("surname_folded", pa.string()),
        ("aliases_folded", pa.list_(pa.string())),
        ("date_of_birth", pa.string()),
        ("dob_year", pa.int32()),
        ("dob_month", pa.int32()),
        ("dob_day", pa.int32()),
        ("dob_precision", pa.string()),
        ("age_at_offence", pa.int32()),
        ("sex", pa.string()),
        ("ethnicity", pa.string()),
        ("nationality", pa.string()),
        ("address", pa.string()),
        ("postcode", pa.string()),
        ("postcode_norm", pa.string()),
        ("phone", pa.string()),
        ("phone_e164", pa.string()),
        ("nominal_id", pa.string()),
        ("relationship_to_victim", pa.string()),
        ("in_care", pa.bool_()),
        ("care_setting", pa.string()),
        ("care_setting_folded", pa.string()),
    ]
)
EPISODE_SCHEMA = pa.schema(
    [
        ("episode_id", pa.string()),
        ("forenames", pa.string()),
        ("surname", pa.string()),
        ("forenames_folded", pa.string()),
        ("surname_folded", pa.string()),
        ("date_of_birth", pa.string()),
        ("dob_year", pa.int32()),
        ("dob_month", pa.int32()),
        ("dob_day", pa.int32()),
        ("dob_precision", pa.string()),
        ("care_setting", pa.string()),
        ("care_setting_folded", pa.string()),
        ("missing_from", pa.timestamp("us")),
        ("returned_at", pa.timestamp("us")),
        ("found_location", pa.string()),
        ("found_with", pa.string()),
    ]
)


def fold(value: str | None) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9' -]", " ", text).replace("'", "")
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


def _dob_parts(dob: str | None) -> dict[str, Any]:
    if not dob:
        return {"dob_year": None, "dob_month": None, "dob_day": None, "dob_precision": None}
    parts = [int(p) for p in dob.split("-")]
    parts += [None] * (3 - len(parts))  # type: ignore[list-item]
    precision = {1: "year", 2: "month", 3: "day"}[len(dob.split("-"))]
    return {
        "dob_year": parts[0],
        "dob_month": parts[1],
        "dob_day": parts[2],
        "dob_precision": precision,
    }


def person(
    mention_id: str,
    forenames: str | None = None,
    surname: str | None = None,
    dob: str | None = None,
    *,
    case_id: str = "C1",
    role: str = "suspect",
    aliases: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One people row as ingest would leave it."""
    row: dict[str, Any] = dict.fromkeys(PEOPLE_SCHEMA.names)
    row.update(
        mention_id=mention_id,
        case_id=case_id,
        role=role,
        forenames=forenames,
        surname=surname,
        aliases=aliases,
        forenames_folded=fold(forenames),
        surname_folded=fold(surname),
        aliases_folded=[f for a in (aliases or "").split(";") if (f := fold(a))],
        date_of_birth=dob,
        **_dob_parts(dob),
    )
    if extra.get("postcode"):
        extra.setdefault("postcode_norm", extra["postcode"].upper())
    if extra.get("phone"):
        extra.setdefault("phone_e164", extra["phone"])
    if extra.get("care_setting"):
        extra.setdefault("care_setting_folded", fold(extra["care_setting"]))
    row.update(extra)
    return row


def episode(
    episode_id: str,
    forenames: str | None = None,
    surname: str | None = None,
    dob: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(EPISODE_SCHEMA.names)
    row.update(
        episode_id=episode_id,
        forenames=forenames,
        surname=surname,
        forenames_folded=fold(forenames),
        surname_folded=fold(surname),
        date_of_birth=dob,
        **_dob_parts(dob),
    )
    if extra.get("care_setting"):
        extra.setdefault("care_setting_folded", fold(extra["care_setting"]))
    row.update(extra)
    return row


def make_con(
    people: Iterable[Mapping[str, Any]], episodes: Iterable[Mapping[str, Any]] = ()
) -> duckdb.DuckDBPyConnection:
    """A connection holding people, missing_episodes and cases tables."""
    con = duckdb.connect()
    people_table = pa.Table.from_pylist(list(people), schema=PEOPLE_SCHEMA)
    episode_table = pa.Table.from_pylist(list(episodes), schema=EPISODE_SCHEMA)
    con.register("people_arrow", people_table)
    con.register("episodes_arrow", episode_table)
    con.execute("CREATE TABLE people AS SELECT * FROM people_arrow")
    con.execute("CREATE TABLE missing_episodes AS SELECT * FROM episodes_arrow")
    con.execute(
        "CREATE TABLE cases AS SELECT DISTINCT case_id, DATE '2015-06-01' AS reported_on,"
        " NULL::DATE AS offence_from FROM people"
    )
    con.unregister("people_arrow")
    con.unregister("episodes_arrow")
    return con


def records(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    rows = con.sql(f"SELECT * FROM {RECORDS_TABLE}").to_arrow_table().to_pylist()
    return {row["record_id"]: row for row in rows}


def test_mentions_and_episodes_become_one_table() -> None:
    con = make_con(
        [person("m1", "Robert", "Smith", "1990-05-01")],
        [episode("e1", "Bob", "Smith", "1990-05", care_setting="Oak House")],
    )
    assert build_records(con) == 2
    rows = records(con)
    assert rows["m1"]["record_kind"] == "mention"
    assert rows["e1"]["record_kind"] == "missing_episode"
    assert rows["m1"]["dob_iso"] == "1990-05-01"
    assert rows["e1"]["dob_iso"] is None
    assert (rows["e1"]["dob_year"], rows["e1"]["dob_month"]) == (1990, 5)
    assert rows["e1"]["care_setting"] == "oak house"


def test_placeholder_names_are_not_names() -> None:
    con = make_con(
        [
            person("m1", "Male", "2"),
            person("m2", "Unknown", "Unknown"),
            person("m3", "Unknown", "Khan"),
            person("m4", None, None, "1990"),
        ]
    )
    build_records(con)
    rows = records(con)
    assert rows["m1"]["forename1"] is None and rows["m1"]["surname"] is None
    assert not rows["m1"]["identifiable"]
    assert not rows["m2"]["identifiable"]
    assert rows["m3"]["forename1"] is None and rows["m3"]["surname"] == "khan"
    assert rows["m3"]["identifiable"]
    assert rows["m4"]["identifiable"]  # a date of birth identifies


def test_name_keys_and_variants() -> None:
    con = make_con(
        [
            person("m1", "Mohammed Imran", "Chaudhry", aliases="Mo;Immy Khan"),
            person("m2", "Muhammad", "Choudhury"),
            person("m3", "Bob", "Smith"),
        ]
    )
    build_records(con)
    rows = records(con)
    assert rows["m1"]["forename_key"] == rows["m2"]["forename_key"]
    assert rows["m1"]["surname_key"] == rows["m2"]["surname_key"]
    assert rows["m1"]["forename_tokens"] == ["mohammed", "imran"]
    assert rows["m1"]["aliases"] == ["immy khan", "mo"]
    assert rows["m1"]["alias_surnames"] == ["khan"]
    assert "robert" in rows["m3"]["forename_variants"]


def test_age_at_offence_gives_an_approximate_birth_year() -> None:
    con = make_con([person("m1", "Amy", "Jones", age_at_offence=14)])
    build_records(con)
    row = records(con)["m1"]
    assert row["birth_year"] == 2001
    assert row["birth_year_derived"] is True
    assert row["dob_year"] is None


def test_possible_birth_years() -> None:
    con = make_con(
        [person("m1", "Amy", "Jones", "2001-07"), person("m2", "Amy", "Jones", age_at_offence=14)],
        [episode("e1", "Amy", "Jones", missing_from=datetime(2016, 3, 1))],
    )
    build_records(con)
    rows = records(con)
    assert (rows["m1"]["birth_year_min"], rows["m1"]["birth_year_max"]) == (2001, 2001)
    assert (rows["m2"]["birth_year_min"], rows["m2"]["birth_year_max"]) == (2000, 2001)
    # a missing child with no date of birth was 6 to 17 when they went missing
    assert (rows["e1"]["birth_year_min"], rows["e1"]["birth_year_max"]) == (1998, 2010)
    assert rows["e1"]["birth_year"] is None


def test_postcode_sector_and_district() -> None:
    con = make_con([person("m1", "Amy", "Jones", postcode="SW1A 1AA")])
    build_records(con)
    row = records(con)["m1"]
    assert (row["postcode"], row["postcode_sector"], row["postcode_district"]) == (
        "SW1A 1AA",
        "SW1A 1",
        "SW1A",
    )


@pytest.mark.parametrize("column", ["ethnicity", "nationality", "sex", "religion"])
def test_protected_characteristics_are_not_carried(column: str) -> None:
    con = make_con([person("m1", "Amy", "Jones", ethnicity="W1", nationality="GB", sex="F")])
    build_records(con)
    assert column not in records(con)["m1"]
