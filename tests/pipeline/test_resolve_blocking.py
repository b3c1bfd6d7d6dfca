"""Capped blocking rules: a block is compared whole while small, and on a refinement once
it is larger than the cap, so the comparisons grow with the records, not their square."""

from __future__ import annotations

import duckdb

from relook.pipeline.resolution.blocking import CappedRule, add_block_sizes
from relook.pipeline.resolution.settings import BLOCKING_RULES, CAPPED_RULES

RULE = CappedRule("name", ("surname",), ("birth_year",), cap=3)


def _pairs(con: duckdb.DuckDBPyConnection, rules: tuple[str, ...]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for rule in rules:
        rows = con.execute(
            f"SELECT l.record_id, r.record_id FROM t l JOIN t r ON {rule}"
            " WHERE l.record_id < r.record_id"
        ).fetchall()
        found.update((a, b) for a, b in rows)
    return found


def _table(rows: list[tuple[str, str, int | None]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (record_id VARCHAR, surname VARCHAR, birth_year INTEGER)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    add_block_sizes(con, "t", (RULE,))
    return con


def test_a_block_within_the_cap_is_compared_whole() -> None:
    con = _table([("a", "khan", 1990), ("b", "khan", 1991), ("c", "khan", None)])
    assert _pairs(con, RULE.rules()) == {("a", "b"), ("a", "c"), ("b", "c")}


def test_a_block_over_the_cap_is_compared_only_on_a_refinement() -> None:
    con = _table(
        [("a", "khan", 1990), ("b", "khan", 1990), ("c", "khan", 1991), ("d", "khan", None),
         ("e", "jones", 1990), ("f", "jones", 1980)]
    )  # fmt: skip
    sizes = dict(con.execute('SELECT record_id, "block_name" FROM t').fetchall())
    assert sizes == {"a": 4, "b": 4, "c": 4, "d": 4, "e": 2, "f": 2}
    # khan is over the cap: only the two born the same year; jones is small: compared
    assert _pairs(con, RULE.rules()) == {("a", "b"), ("e", "f")}


def test_every_capped_rule_keeps_its_keys_and_has_a_size_column() -> None:
    for capped in CAPPED_RULES:
        rules = capped.rules()
        assert rules[0] in BLOCKING_RULES
        assert len(rules) == 1 + len(capped.refinements)
        for rule in rules:
            assert all(f'l."{key}" = r."{key}"' in rule for key in capped.keys)
            assert f'l."{capped.size_column}"' in rule
