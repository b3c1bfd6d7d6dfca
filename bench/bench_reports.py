"""Case reports and the referral pack: time and peak memory against the targets.

Run on a shared machine, wall seconds vary with the other work on it; the CPU seconds
(this process and its PDF workers) are the steadier figure.

    PYTHONPATH=src .venv/bin/python bench/bench_reports.py [--cases 3000] [--pack 100]

Generates a synthetic force, runs it into a fresh workspace, then in one process:
- the report of a case in the network whose size is nearest 10 cases: built from the
  store and rendered as HTML only (the baseline), then as PDF (target <= 3 s); the first
  PDF of a process also loads WeasyPrint and its fonts, so it is shown apart;
- a referral pack of `--pack` cases, each signed off for the national panel (target
  <= 2 minutes), written as `relook export referrals` writes it.
Peak memory is the process's peak resident set size (ru_maxrss).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pypdf import PdfReader
from sqlalchemy import func, select

from relook.reports.document import DEFAULT_MARKING, CaseReport
from relook.reports.production import case_report
from relook.reports.referral_pack import write_pack
from relook.reports.render import report_html, report_pdf
from relook.review import assessments, case_page
from relook.review.assessments import (
    DECISION_REASONS,
    Answer,
    AssessmentInput,
    Decision,
    SignOffOutcome,
)
from relook.runs import run_force
from relook.security import accounts
from relook.security.accounts import User
from relook.security.audit import SYSTEM
from relook.store.engine import Store
from relook.store.tables import run_cases
from relook.synth import generate
from relook.workspace import Workspace

T = TypeVar("T")
REASON = "benchmark of the case report"
PASSWORD = "correct horse battery staple"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(call: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def timed_cpu(call: Callable[[], T]) -> tuple[T, float, float]:
    """(result, wall seconds, CPU seconds): on a shared machine the CPU seconds say what
    the work costs, the wall seconds what waiting for it cost this time."""
    cpu = cpu_seconds()
    result, wall = timed(call)
    return result, wall, cpu_seconds() - cpu


def network_case(store: Store, run_id: str) -> tuple[str, int]:
    """A case of the network whose number of cases is nearest 10."""
    with store.read() as connection:
        sizes = connection.execute(
            select(run_cases.c.network_id, func.count())
            .where(run_cases.c.run_id == run_id, run_cases.c.network_id.is_not(None))
            .group_by(run_cases.c.network_id)
        ).all()
        network_id, size = min(sizes, key=lambda row: (abs(row[1] - 10), -row[1]))
        case_id = connection.execute(
            select(run_cases.c.case_id)
            .where(run_cases.c.run_id == run_id, run_cases.c.network_id == network_id)
            .order_by(run_cases.c.queue_rank)
            .limit(1)
        ).scalar_one()
    return case_id, int(size)


def report_figures(store: Store, run_id: str, user: User, case_id: str, repeat: int) -> None:
    with store.read() as connection:
        row = case_page.find_case(connection, run_id, case_id)
        assert row is not None

        def build() -> CaseReport:
            return case_report(
                connection, run_id, row, user, reason=REASON, reveal=False,
                marking=DEFAULT_MARKING,
            )  # fmt: skip

        html = [timed_cpu(lambda: report_html(build())) for _ in range(repeat)]
        _, first_wall, first_cpu = timed_cpu(lambda: report_pdf(build()))
        pdf = [timed_cpu(lambda: report_pdf(build())) for _ in range(repeat)]
        pages = len(PdfReader(io.BytesIO(pdf[0][0])).pages)
    html_wall, html_cpu = (statistics.median(t[i] for t in html) for i in (1, 2))
    pdf_wall, pdf_cpu = (statistics.median(t[i] for t in pdf) for i in (1, 2))
    print(
        f"report of {case_id} ({pages} pages; built from the store and rendered),"
        f" median of {repeat}:"
    )
    print(f"  baseline: HTML only   {html_wall:6.3f} s wall  {html_cpu:6.3f} s CPU")
    print(
        f"  PDF, first (cold)     {first_wall:6.3f} s wall  {first_cpu:6.3f} s CPU"
        "  (loads WeasyPrint)"
    )
    print(
        f"  PDF                   {pdf_wall:6.3f} s wall  {pdf_cpu:6.3f} s CPU"
        f"  ({pdf_wall / html_wall:.0f} x the baseline's wall time; target <= 3 s)"
    )
    print(f"  peak RSS so far       {peak_mb():6.0f} MB")


def sign_off_for_panel(store: Store, run_id: str, count: int) -> list[str]:
    with store.write() as connection:
        author = accounts.create_user(connection, "bench-author", "supervisor", PASSWORD, by=SYSTEM)
        signer = accounts.create_user(connection, "bench-signer", "supervisor", PASSWORD, by=SYSTEM)
        case_ids = list(
            connection.execute(
                select(run_cases.c.case_id)
                .where(run_cases.c.run_id == run_id, run_cases.c.in_scope_wider.is_(True))
                .order_by(run_cases.c.queue_rank)
                .limit(count)
            ).scalars()
        )
        answers = AssessmentInput(
            Answer.YES, "", Answer.YES, "", Answer.NO, "", Answer.YES, "",
            Decision.REFER_NATIONAL_PANEL, "meets the panel's criteria",
            tuple(DECISION_REASONS[Decision.REFER_NATIONAL_PANEL]),
        )  # fmt: skip
        for case_id in case_ids:
            assessments.submit(connection, case_id, answers, author=author, run_id=run_id)
            assessments.sign_off(
                connection, case_id, 1, SignOffOutcome.APPROVED, "", supervisor=signer
            )
    return case_ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pack", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="relook-bench-reports-") as scratch:
        base = Path(scratch)
        generate(base / "force", cases=args.cases, seed=args.seed)
        workspace = Workspace(base / "workspace")
        run = run_force(base / "force", base / "out", workspace=workspace)
        print(f"force of {args.cases:,} cases run ({run.run_id[:12]}); peak RSS {peak_mb():.0f} MB")
        with workspace.store() as store:
            case_ids = sign_off_for_panel(store, run.run_id, args.pack)
            with store.read() as connection:
                supervisor = accounts.find_user(connection, "bench-signer")
            assert supervisor is not None
            case_id, size = network_case(store, run.run_id)
            print(f"network of {size} cases")
            report_figures(store, run.run_id, supervisor, case_id, args.repeat)
            result, seconds, cpu = timed_cpu(
                lambda: write_pack(
                    store,
                    supervisor,
                    base / "pack",
                    reason=REASON,
                    marking=DEFAULT_MARKING,
                    via="command line",
                )
            )
        size_mb = sum(p.stat().st_size for p in (base / "pack").rglob("*") if p.is_file()) / 1e6
        print(
            f"referral pack of {len(result.referrals)} cases ({len(case_ids)} signed off):"
            f" {seconds:.1f} s wall (target <= 120 s), {cpu:.1f} s CPU over {os.cpu_count()} cores,"
            f" {seconds / len(result.referrals):.2f} s a case,"
            f" {result.files} files, {size_mb:.1f} MB"
        )
        print(f"peak RSS {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
