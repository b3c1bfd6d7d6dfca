"""The output side of the data contract: every file a run writes, declared once.

Each file is one query over a table the pipeline leaves in the analysis engine. The
columns are listed here, not in a `SELECT *`, so that a change to a stage's table cannot
change an output without a change to this list (and to docs/outputs.md, which a test
keeps equal to it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from relook.contract.schema import TABLES
from relook.errors import RelookError

# quarantine.csv and quality.csv are written by both `relook ingest` and `relook run`,
# in the contract's table order.
_TABLE_ORDER = "[" + ", ".join(f"'{name}'" for name in TABLES) + "]"


@dataclass(frozen=True)
class OutputFile:
    name: str
    one_row_per: str
    source: str
    """The analysis-engine table the file is read from."""
    columns: tuple[str, ...]
    order_by: str
    expressions: Mapping[str, str] = field(default_factory=dict)
    """SQL for a column that is not copied as it stands."""

    @property
    def query(self) -> str:
        selected = ", ".join(
            f"{self.expressions[c]} AS {_quoted(c)}" if c in self.expressions else _quoted(c)
            for c in self.columns
        )
        return f"SELECT {selected} FROM {self.source} ORDER BY {self.order_by}"


def _quoted(column: str) -> str:
    return f'"{column}"'


QUARANTINE = OutputFile(
    "quarantine.csv",
    "problem with an input row",
    "quarantine",
    ("table", "row_number", "column", "value", "error", "file", "action"),
    f'list_position({_TABLE_ORDER}, "table"), file, row_number, "column"',
)
QUALITY = OutputFile(
    "quality.csv",
    "table × role × field × year",
    "quality",
    (
        "table",
        "role",
        "field",
        "year",
        "recorded",
        "total",
        "completeness",
        "not_understood",
        "blank",
    ),
    f'list_position({_TABLE_ORDER}, "table"), role, field, year NULLS LAST',
)

RUN_OUTPUTS: tuple[OutputFile, ...] = (
    OutputFile(
        "screening.csv",
        "case",
        "screening",
        ("case_id", "in_scope_wider", "in_scope_narrower", "category", "reasons", "rules_version"),
        "case_id",
    ),
    OutputFile(
        "persons.csv",
        "people mention or missing episode",
        "persons",
        ("record_id", "person_id", "match_probability", "record_kind", "cluster_size"),
        "record_id",
        # Four decimals: beyond that the value is noise from parallel floating-point sums,
        # and the same input must give the same file.
        {"match_probability": "round(match_probability, 4)"},
    ),
    OutputFile(
        "networks.csv",
        "case in a network",
        "networks",
        ("network_id", "case_id"),
        "network_id, case_id",
    ),
    OutputFile(
        "network_summary.csv",
        "network",
        "network_summary",
        (
            "network_id",
            "n_cases",
            "n_suspects",
            "n_victims",
            "linking_identifiers",
            "supporting_identifiers",
        ),
        "n_cases DESC, network_id",
    ),
    OutputFile(
        "network_suspects.csv",
        "suspect in a network",
        "network_suspects",
        ("network_id", "person_id", "n_cases", "degree", "betweenness"),
        "network_id, betweenness DESC, person_id",
    ),
    OutputFile(
        "repeat_victims.csv",
        "person who is a victim in two or more cases",
        "repeat_victims",
        ("person_id", "n_cases", "case_ids"),
        "n_cases DESC, person_id",
    ),
    OutputFile(
        "leads.csv",
        "line of enquiry",
        "leads",
        (
            "lead_id",
            "case_id",
            "rank",
            "kind",
            "strength",
            "detail",
            "reasons",
            "evidence",
            "value",
            "n_evidence",
            "evidence_ids",
            "source_table",
            "source_id",
            "source_field",
            "span_start",
            "span_end",
        ),
        # Strongest first within each case: the order a reviewer works in.
        "case_id, rank",
    ),
    OutputFile(
        "language.csv",
        "flagged phrase",
        "language",
        (
            "note_id",
            "case_id",
            "phrase",
            "suggested_wording",
            "lexicon_key",
            "source_table",
            "span_start",
            "span_end",
            "lexicon_version",
        ),
        "case_id, source_table, note_id, span_start",
    ),
    OutputFile(
        "priorities.csv",
        "in-scope case",
        "priorities",
        ("case_id", "rank", "score", "band", "reasons", "rules_version"),
        "rank",
    ),
    OutputFile(
        "case_signals.csv",
        "case × signal present",
        "case_signals",
        ("case_id", "signal", "signal_group", "value", "points", "evidence"),
        "case_id, points DESC, signal",
    ),
    OutputFile(
        "hub_identifiers.csv",
        "identifier shared by implausibly many cases",
        "hub_identifiers",
        ("kind", "value", "n_cases"),
        "n_cases DESC, kind, value",
    ),
    QUALITY,
    QUARANTINE,
)

INGEST_OUTPUTS: tuple[OutputFile, ...] = (QUARANTINE, QUALITY)

RUN_DOCUMENT = "run.json"
"""The run's own record (parameters, rules, checksums, counts, timings), beside the CSVs."""

OUTPUT_NAMES = frozenset({*(o.name for o in RUN_OUTPUTS), RUN_DOCUMENT})


def check_output_folder(folder: Path) -> None:
    """Refuse, before any work, an output folder that is a file or holds files relook did
    not write: the folder is replaced whole, and nothing of the user's may go with it."""
    if folder.exists() and not folder.is_dir():
        raise RelookError(f"{folder}: --out must be a folder; this is a file")
    if not folder.exists():
        return
    foreign = sorted(p.name for p in folder.iterdir() if p.name not in OUTPUT_NAMES)
    if foreign:
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise RelookError(
            f"{folder}: --out holds files relook did not write ({shown}); relook replaces"
            " the whole folder, so choose an empty or new folder"
        )
