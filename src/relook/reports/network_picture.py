"""The case's network as a static SVG picture, for a report (no script: it prints).

Drawn from the same graph elements as the case page's interactive graph
(`NetworkView.elements`), so both show the same cases, identifiers and labels, with
protected values already withheld. Positions come from a seeded spring layout: the same
network is always drawn the same way.
"""

from __future__ import annotations

from html import escape
from typing import Any

import networkx as nx

from relook.review.case_page import NetworkView

WIDTH = 640
HEIGHT = 420
MARGIN = 60
CASE_COLOUR = "#2f5d8a"
CURRENT_COLOUR = "#c05600"
IDENTIFIER_COLOUR = "#6b7785"


def layout(elements: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    """Each node's position in the picture, in pixels."""
    graph = nx.Graph()
    for element in elements:
        data = element["data"]
        if element["group"] == "nodes":
            graph.add_node(data["id"])
        else:
            graph.add_edge(data["source"], data["target"])
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_nodes() == 1:
        return {next(iter(graph.nodes)): (WIDTH / 2, HEIGHT / 2)}
    raw = nx.spring_layout(graph, seed=1, iterations=100)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        node: (
            MARGIN + (float(p[0]) - min(xs)) / span_x * (WIDTH - 2 * MARGIN),
            MARGIN / 2 + (float(p[1]) - min(ys)) / span_y * (HEIGHT - MARGIN),
        )
        for node, p in raw.items()
    }


def network_svg(network: NetworkView) -> str:
    """An SVG of the network: cases as circles (this case highlighted), the identifiers
    that link them as squares, lines between them."""
    elements = network.elements
    positions = layout(elements)
    title = f"Network {network.network_id}: cases and the identifiers that link them"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network" role="img"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"'
        f' aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for element in elements:
        if element["group"] != "edges":
            continue
        data = element["data"]
        (x1, y1), (x2, y2) = positions[data["source"]], positions[data["target"]]
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"'
            ' stroke="#b8c2cc" stroke-width="1.2"/>'
        )
    for element in elements:
        if element["group"] != "nodes":
            continue
        data = element["data"]
        x, y = positions[data["id"]]
        label = escape(str(data["label"]))
        if data["kind"] == "case":
            colour = CURRENT_COLOUR if data.get("current") else CASE_COLOUR
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{colour}"/>')
        else:
            parts.append(
                f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12"'
                f' fill="{IDENTIFIER_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{x:.1f}" y="{y - 12:.1f}" text-anchor="middle" font-size="9">{label}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
