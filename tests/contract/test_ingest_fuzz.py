"""Property: whatever the cells hold, every record is accepted or quarantined, never lost.

Random cells (any unicode, control characters, very long text, numbers in name fields,
dates and codes half right) are written into the cases and people tables of the minimal
dataset, either quoted properly or joined raw with broken quoting. Ingest must finish
without an unexpected exception (a user error naming the file is allowed), and rows in =
accepted + quarantined; with proper quoting the rows in must equal the records written,
counted here and not by relook's reader.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relook.errors import RelookError
from relook.pipeline.ingest import ingest

FIXTURES = Path(__file__).parents[1] / "fixtures" / "minimal"

_ANY_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)),  # lone surrogates cannot be UTF-8
    max_size=40,
)
_LIKELY = st.sampled_from(
    [
        "",
        "   ",
        "C001",
        "C002",
        "M001",
        "2014-03-02",
        "2014-02-30",
        "1850-01-01",
        "9999-12-31",
        "15",
        "2.4",
        "1e1",
        "0x10",
        "victim",
        "Suspect",
        "true",
        "12345",
        "SW1A 1AA",
        "75008 Paris",
        '"',
        'a "quoted" word',
        "line\nbreak",
        "x\r\ny",
        "\x00\x1b\x7f",
        "\u2028\u2029\x85",
    ]
)
# Longer than Python's csv field limit (131,072), shorter than relook's (1,000,000).
_LONG = st.builds(lambda n, c: c * n, st.sampled_from([131_073, 200_000]), st.sampled_from("xé"))
_CELL = st.one_of(_ANY_TEXT, _LIKELY, _LIKELY, st.integers().map(str))


def _rows(width: int) -> st.SearchStrategy[list[list[str]]]:
    row = st.lists(_CELL, min_size=width, max_size=width)
    return st.lists(row, min_size=0, max_size=8)


def _header(table: str) -> list[str]:
    with (FIXTURES / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


HEADERS = {t: _header(t) for t in ("cases", "people")}


def _write(path: Path, header: list[str], rows: list[list[str]], *, quoted: bool) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    if quoted:
        writer.writerows(rows)
    else:
        # Broken quoting: cells joined as they are, stray quotes and line breaks included.
        buffer.write("".join(",".join(row) + "\n" for row in rows))
    path.write_text(buffer.getvalue(), encoding="utf-8")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    cases=_rows(len(HEADERS["cases"])),
    people=_rows(len(HEADERS["people"])),
    quoted=st.booleans(),
    long_cell=st.one_of(st.none(), _LONG),
)
def test_every_record_is_accepted_or_quarantined(
    cases: list[list[str]],
    people: list[list[str]],
    quoted: bool,
    long_cell: str | None,
) -> None:
    # Long cells are rare (at most one per example) to keep each example quick.
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(FIXTURES, data)
        if long_cell is not None and cases:
            cases[0][-1] = long_cell
        _write(data / "cases.csv", HEADERS["cases"], cases, quoted=quoted)
        _write(data / "people.csv", HEADERS["people"], people, quoted=quoted)
        con = duckdb.connect()
        try:
            result = ingest(con, data)
        except RelookError as exc:
            # A whole-file problem is allowed, as one line that names the file.
            assert "data/" in str(exc) or str(data) in str(exc), str(exc)
            return
        finally:
            con.close()
    for counts in result.counts.values():
        assert counts.rows_in == counts.accepted + counts.quarantined
    if quoted:
        assert result.counts["cases"].rows_in == len(cases)
        assert result.counts["people"].rows_in == len(people)
