"""The fault suite: every input that once lost, rejected or crashed on rows (issue 14).

Each fault runs on its own copy of a small generated force. For every one: the exit code
is the one a user should see, the message names the file, no traceback is printed, and
rows in = accepted + quarantined where the rows in are counted independently of relook's
readers; no row is lost and none is rejected that should not be.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from fault_suite import FaultReport, run_fault

from relook.synth import generate
from relook.synth.fault_injection import FILE_FAULTS

FAULTS = {fault.name: fault for fault in FILE_FAULTS}


@pytest.fixture(scope="module")
def clean_force(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clean") / "force"
    generate(folder, cases=60, seed=5)
    return folder


@pytest.fixture(scope="module")
def outcome(
    clean_force: Path, tmp_path_factory: pytest.TempPathFactory
) -> functools._lru_cache_wrapper[FaultReport]:
    @functools.cache
    def run(name: str) -> FaultReport:
        return run_fault(FAULTS[name], clean_force, tmp_path_factory.mktemp(name))

    return run


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_is_accounted_for(
    name: str, outcome: functools._lru_cache_wrapper[FaultReport]
) -> None:
    report = outcome(name)
    assert not report.crashed, report.output
    assert report.exit_code == report.expected_exit, report.output
    for text in report.mentions:
        assert text in report.output, (text, report.output)
    if report.exit_code == 0:
        assert report.rows_in == report.expected_in
        assert report.accounted == report.expected_in
        assert report.rejected == {t: n for t, n in report.expected_rejected.items() if n}
        assert report.missing_reports == []
        assert report.unnamed == 0  # every quarantined problem names its file


def test_fault_suite_figures(outcome: functools._lru_cache_wrapper[FaultReport]) -> None:
    """The figures for bench/RESULTS.md: every one must be 0 but the first."""
    reports = [outcome(name) for name in FAULTS]
    figures = {
        "bad inputs tried": len(reports),
        "crashes": sum(r.crashed for r in reports),
        "rows lost": sum(r.rows_lost for r in reports),
        "rows wrongly rejected": sum(r.wrongly_rejected for r in reports),
        "rejections missed": sum(r.rejections_missed for r in reports),
    }
    print("fault suite:", ", ".join(f"{k} {v}" for k, v in figures.items()))
    assert figures["bad inputs tried"] >= 15
    assert [v for k, v in figures.items() if k != "bad inputs tried"] == [0, 0, 0, 0]
