"""Blocking rules whose blocks stay small as a force grows.

A rule such as "same phonetic full name" is an equi-join: it compares every pair inside
each block, so its cost is the sum of the squared block sizes. With real (or generated)
names a common name's block grows with the force: on a generated force the name blocks
grew 20 times from 9,000 to 50,000 cases (5.6 times the records), and prediction with
them as n^1.55-1.8.

So every rule on a common value is **capped**: it compares the pairs of a block only
while the block holds at most `BLOCK_CAP` records. Inside a larger block a pair is
compared only when it also shares one of the rule's *refinements*: a year of birth (or
one of two overlapping two-year periods, so that a year slipped by one still meets), a
care setting, a postcode district, the time of the record (two overlapping two-year
periods), an initial. The refinements are the evidence a pair
with a common name needs anyway to be linked (term-frequency adjustments make a common
name alone worth little), so what the cap costs in recall is small, and it is measured
(`bench/bench_resolve.py --guards`: true pairs never compared; figures in
docs/resolution.md). Each record then meets at most about `BLOCK_CAP` others per rule
and its refinements, and the comparisons grow towards linearly once the blocks are full.

The size of each block is a column of `resolve_records` (`block_<name>`, see
`add_block_sizes`), so every rule stays an equi-join with a filter DuckDB pushes below
the join. A force smaller than the cap in every block compares exactly the pairs the
uncapped rules compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

# The most records a block may hold and still be compared whole: above one person's own
# records (up to ten missing episodes and a few mentions), below a common name's block on
# a national force (105 records for the largest full-name block at 50,000 cases). 40 kept
# 5.9 million comparisons at 50,000 cases, 20 keeps 2.6 million.
BLOCK_CAP = 20
# Rules that only find what the full name and the date of birth missed (one name and a
# year): fewer true pairs per comparison, so a smaller cap.
SECONDARY_CAP = 10


@dataclass(frozen=True)
class CappedRule:
    """Pairs that agree on `keys`; in a block larger than the cap, also on a refinement.

    `keys` and `refinements` are columns of `resolve_records`; `condition` is an extra
    filter on the pair (SQL on l. and r.), applied in every case.
    """

    name: str
    keys: tuple[str, ...]
    refinements: tuple[str, ...]
    condition: str = ""
    cap: int = BLOCK_CAP

    @property
    def size_column(self) -> str:
        return f"block_{self.name}"

    def _join(self, columns: tuple[str, ...]) -> str:
        return " AND ".join(f'l."{c}" = r."{c}"' for c in columns)

    def rules(self, cap: int | None = None) -> tuple[str, ...]:
        """The Splink blocking rules: the small blocks whole, then each refinement."""
        cap = self.cap if cap is None else cap
        extra = f" AND ({self.condition})" if self.condition else ""
        size = f'l."{self.size_column}"'
        small = f"{self._join(self.keys)} AND {size} <= {cap}{extra}"
        refined = tuple(
            f"{self._join((*self.keys, refinement))} AND {size} > {cap}{extra}"
            for refinement in self.refinements
        )
        return (small, *refined)


def add_block_sizes(
    con: duckdb.DuckDBPyConnection, table: str, rules: tuple[CappedRule, ...]
) -> None:
    """Give each record of `table` the size of its block under each rule (a column each).

    One GROUP BY per rule joined back, rather than window counts: on a 50,000-case force
    the windows took four times as long.
    """
    sizes = []
    joins = []
    for n, rule in enumerate(rules):
        keys = ", ".join(f'"{key}"' for key in rule.keys)
        on = " AND ".join(f't."{key}" = b{n}."{key}"' for key in rule.keys)
        joins.append(
            f"LEFT JOIN (SELECT {keys}, count(*) AS n FROM {table} GROUP BY ALL) b{n} ON {on}"
        )
        sizes.append(f'coalesce(b{n}.n, 0) AS "{rule.size_column}"')
    con.execute(
        f"CREATE OR REPLACE TABLE {table} AS SELECT t.*, {', '.join(sizes)}"
        f" FROM {table} t {' '.join(joins)} ORDER BY t.record_id"
    )
