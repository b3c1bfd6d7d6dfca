"""The case page's leads: strongest first, the strongest N shown, the rest counted."""

from __future__ import annotations

from test_case_page_builders import EVERYTHING, TODAY, case_row, document

from relook.review import case_page
from relook.review.case_document import Lead


def _lead(rank: int, *, on_page: bool | None) -> Lead:
    return Lead(
        f"L{rank}", "text_identifier", f"lead {rank}", strength=100 - rank,
        reasons=f"text identifier +40; {rank} records", rank=rank, on_page=on_page,
    )  # fmt: skip


def test_the_page_shows_the_leads_the_run_put_on_it_and_counts_the_rest() -> None:
    leads = [_lead(r, on_page=r <= 25) for r in range(1, 31)]
    page = case_page.page(
        case_row(), document(leads=leads), reach=EVERYTHING, revealed=False, today=TODAY
    )
    assert [v.detail for v in page.leads] == [f"lead {r}" for r in range(1, 26)]
    assert [v.detail for v in page.more_leads] == [f"lead {r}" for r in range(26, 31)]
    assert (page.leads[0].strength, page.leads[0].reasons) == (99, "text identifier +40; 1 records")


def test_a_document_stored_before_leads_were_ranked_shows_every_lead() -> None:
    leads = [Lead("L1", "text_identifier", "old lead")]
    page = case_page.page(
        case_row(), document(leads=leads), reach=EVERYTHING, revealed=False, today=TODAY
    )
    assert [v.detail for v in page.leads] == ["old lead"] and page.more_leads == []
