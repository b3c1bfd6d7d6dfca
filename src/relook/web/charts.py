"""Charts drawn on the server as SVG: no script, so they obey the Content Security Policy
(which forbids the `eval` a Vega runtime needs), print, and read without JavaScript.
Each chart sits beside the table it draws, which carries the exact figures."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#b8c2cc", "#2f5d8a", "#c05600", "#2e7d5b", "#7b3f9e")
_BAR = 16
_GAP = 6
_LABEL = 150
_WIDTH = 640


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[str], *, title: str
) -> Markup:
    """One horizontal bar per row, split into the series, all on one scale."""
    biggest = max((sum(values) for _label, values in rows), default=0) or 1
    scale = (_WIDTH - _LABEL - 60) / biggest
    height = len(rows) * (_BAR + _GAP) + 30
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}"'
        f' height="{height}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, (label, values) in enumerate(rows):
        y = i * (_BAR + _GAP)
        parts.append(
            f'<text x="{_LABEL - 6}" y="{y + _BAR - 4}" text-anchor="end">{escape(label)}</text>'
        )
        x = float(_LABEL)
        for j, value in enumerate(values):
            width = value * scale
            if width > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{_BAR}"'
                    f' fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(series[j])}: {value}'
                    "</title></rect>"
                )
            x += width
        parts.append(f'<text x="{x + 4:.1f}" y="{y + _BAR - 4}">{sum(values)}</text>')
    legend_y = len(rows) * (_BAR + _GAP) + 16
    x = float(_LABEL)
    for j, name in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10"'
            f' fill="{PALETTE[j % len(PALETTE)]}"></rect>'
            f'<text x="{x + 14}" y="{legend_y}">{escape(name)}</text>'
        )
        x += 14 + 7 * len(name) + 16
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(
    values: Sequence[tuple[str, int]],
    *,
    title: str,
    target: int | None = None,
    ceiling: int | None = None,
    unit: str = "",
) -> Markup:
    """One column per value (weeks, years), with a dashed line at `target` if given.
    `ceiling` fixes the top of the scale (100 for percentages), so heights compare."""
    height, top, bottom = 180, 10, 30
    biggest = ceiling or max([v for _label, v in values] + [target or 0]) or 1
    step = max(8.0, (_WIDTH - 40) / max(len(values), 1))
    scale = (height - top - bottom) / biggest
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}"'
        f' height="{height}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    every = max(1, len(values) // 12)
    for i, (label, value) in enumerate(values):
        x = 30 + i * step
        bar = value * scale
        parts.append(
            f'<rect x="{x:.1f}" y="{height - bottom - bar:.1f}" width="{step * 0.8:.1f}"'
            f' height="{bar:.1f}" fill="{PALETTE[1]}">'
            f"<title>{escape(label)}: {value}{unit}</title></rect>"
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 14}" font-size="9">{escape(label)}</text>'
            )
    for mark in (0, biggest // 2, biggest) if ceiling else ():
        y = height - bottom - mark * scale
        parts.append(
            f'<line x1="26" x2="{_WIDTH - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e7ec"></line>'
            f'<text x="0" y="{y + 3:.1f}" font-size="9">{mark}{unit}</text>'
        )
    if target:
        y = height - bottom - target * scale
        parts.append(
            f'<line x1="30" x2="{_WIDTH - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{PALETTE[2]}"'
            f' stroke-dasharray="4 3"><title>target {target} a week</title></line>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
