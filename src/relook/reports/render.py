"""A case report as a self-contained HTML page, and as a PDF (WeasyPrint).

The HTML carries its stylesheet inline and the network as inline SVG, so the file reads
alone, offline. The PDF is that HTML laid out on A4 with CSS page margin boxes: the case
reference and the handling marking at the top of every page, who produced it and when,
and "Page n of m", at the bottom.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from relook.errors import RelookError
from relook.reports.document import CaseReport
from relook.reports.network_picture import network_svg
from relook.review.highlight import Piece

TEMPLATES = Path(__file__).parent / "templates"


class PdfUnavailable(RelookError):
    """The system libraries WeasyPrint needs are missing."""


FORMATS = ("pdf", "html")

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def _stamp(value: str | None) -> str:
    return value.replace("T", " ")[:19] if value else "—"


def _humanise(value: object) -> str:
    text = "" if value is None else str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


def marked(pieces: Iterable[Piece]) -> Markup:
    """A text with its highlights (leads, language flags), every piece escaped."""
    return Markup("").join(
        Markup('<mark class="hl-{}">{}</mark>').format(p.span.kind, p.text)
        if p.span
        else escape(p.text)
        for p in pieces
    )


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string, safe inside a <style> element (where HTML escapes
    are not decoded): quotes, backslashes, line breaks and <, >, & as CSS escapes."""
    out = []
    for char in text:
        if char in '"\\<>&' or ord(char) < 0x20:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return Markup('"' + "".join(out) + '"')


_env.filters.update(day=_day, stamp=_stamp, humanise=_humanise)
_env.globals["marked"] = marked
_CSS = (TEMPLATES / "report.css").read_text(encoding="utf-8")


def report_html(report: CaseReport) -> str:
    """The report as one HTML document."""
    made = report.production
    picture = network_svg(report.page.network) if report.page.network else ""
    return _env.get_template("case_report.html").render(
        report=report,
        css=Markup(_CSS),
        network_svg=Markup(picture),
        header_left=css_string(f"Case report {report.case_id}"),
        header_right=css_string(made.marking),
        footer_left=css_string(f"Produced by {made.produced_by} on {made.produced_at}"),
    )


def report_pdf(report: CaseReport) -> bytes:
    """The report as a PDF."""
    return pdf_from_html(report_html(report))


def pdf_from_html(html: str) -> bytes:
    """A report's HTML laid out as a PDF. WeasyPrint is imported here, on first use: it
    is heavy, and only a PDF needs it."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # WeasyPrint loads Pango when imported
        raise PdfUnavailable(
            "PDF reports need Pango and HarfBuzz (Debian: sudo apt-get install libpango-1.0-0"
            f" libpangoft2-1.0-0 libharfbuzz-subset0, or make install): {exc}"
        ) from None
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def pdfs(htmls: Sequence[str], *, workers: int | None = None) -> Iterator[bytes]:
    """Many reports' PDFs, in order. Layout is CPU work in Python, so several reports are
    laid out in worker processes (spawned, not forked: the web server has threads), one
    per core; a few are laid out here, where starting workers would cost more."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(htmls) < 2 * workers:
        yield from (pdf_from_html(html) for html in htmls)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(pdf_from_html, htmls)


def render(report: CaseReport, kind: str) -> bytes:
    """The report as `kind` (`pdf` or `html`) bytes."""
    if kind == "pdf":
        return report_pdf(report)
    if kind == "html":
        return report_html(report).encode("utf-8")
    raise ValueError(f"unknown report format {kind!r}: expected one of {', '.join(FORMATS)}")
