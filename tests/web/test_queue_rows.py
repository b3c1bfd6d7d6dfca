"""The queue's rows are rendered in Python (`relook.web.queue_rows`) for speed; this pins
them to the Jinja markup they replaced, including escaping of values from the data."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from relook.review.queue import STATUS_LABELS, CaseStatus, QueueRow
from relook.web.queue_rows import queue_rows
from relook.web.routes.queue import CATEGORY_LABELS
from relook.web.templating import templates

# The row markup exactly as `_queue_results.html` had it before the rows moved to Python.
TEMPLATE_ROWS = """\
{% for row in rows %}
<tr>
  {% if may_assign %}<td><input type="checkbox" name="case_ids" value="{{ row.case_id }}" form="assign-form" aria-label="Select {{ row.case_id }}"></td>{% endif %}
  <td class="num">{{ row.rank or "—" }}</td>
  <td>{% if row.may_open %}<a href="/cases/{{ row.case_id }}" class="case-link">{{ row.case_id }}</a>{% else %}<span title="Not assigned to you" class="locked">{{ row.case_id }}</span>{% endif %}{% if row.in_scope_narrower %} <span class="tag" title="In scope under the narrower definition">narrower</span>{% endif %}</td>
  <td>{% if row.band %}<span class="band band-{{ row.band }}">{{ row.band }}</span>{% else %}<span class="band band-none">not ranked</span>{% endif %}</td>
  <td>{{ category_labels.get(row.category, row.category) or "—" }}</td>
  <td>{{ row.area or "—" }}</td>
  <td>{{ row.offence_code or "—" }}</td>
  <td>{{ row.outcome_on|date }}</td>
  <td>{% if row.network_id %}<a href="/queue?scope={{ scope }}&amp;network={{ row.network_id|urlencode }}" title="Cases in this network">{{ row.network_cases }} cases</a>{% else %}—{% endif %}</td>
  <td class="num">{{ row.n_leads or "" }}</td>
  <td class="num">{{ row.n_language or "" }}</td>
  <td><span class="status status-{{ row.status.value }}">{{ statuses[row.status] }}</span></td>
  <td>{{ row.assignee or "—" }}</td>
</tr>
{% endfor %}
"""


def row(**changes: object) -> QueueRow:
    values: dict[str, object] = {
        "case_id": "C000123",
        "rank": 7,
        "band": "urgent",
        "score": 41.5,
        "category": "group_exploitation",
        "area": "North",
        "offence_code": "71",
        "reported_on": dt.date(2014, 3, 2),
        "outcome_on": dt.date(2014, 9, 30),
        "in_scope_narrower": True,
        "network_id": "N0004",
        "network_cases": 5,
        "n_leads": 3,
        "n_language": 1,
        "status": CaseStatus.ASSIGNED,
        "assignee": "rev1",
        "may_open": True,
    }
    values.update(changes)
    return QueueRow(**values)  # type: ignore[arg-type]


ROWS = [
    row(),
    row(
        case_id="C9",
        rank=None,
        band=None,
        category=None,
        area=None,
        offence_code=None,
        outcome_on=None,
        in_scope_narrower=False,
        network_id=None,
        network_cases=0,
        n_leads=0,
        n_language=0,
        status=CaseStatus.UNASSIGNED,
        assignee=None,
        may_open=False,
    ),
    # Values from a force's export can hold anything: they must arrive escaped.
    row(
        case_id="C<1>&\"'",
        area='<script>alert("x")</script>',
        offence_code="19C & 71",
        category="not_a_known_category <b>",
        network_id="N 1/&?#é",
        assignee="o'brien <x>",
        band='high" onmouseover="x',
        status=CaseStatus.AWAITING_SIGN_OFF,
    ),
    row(status=CaseStatus.SIGNED_OFF, rank=1, band="low", network_cases=31),
]


def squeeze(html: str) -> str:
    """Markup with the whitespace between tags removed (the browser ignores it there)."""
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("may_assign", [True, False])
@pytest.mark.parametrize("scope", ["wider", "narrower", "out"])
def test_rows_match_the_template_they_replaced(may_assign: bool, scope: str) -> None:
    expected = templates.env.from_string(TEMPLATE_ROWS).render(
        rows=ROWS,
        may_assign=may_assign,
        scope=scope,
        statuses=STATUS_LABELS,
        category_labels=CATEGORY_LABELS,
    )
    actual = queue_rows(
        ROWS,
        may_assign=may_assign,
        scope=scope,
        status_labels=STATUS_LABELS,
        category_labels=CATEGORY_LABELS,
    )
    assert squeeze(actual) == squeeze(expected)


def test_values_from_the_data_are_escaped() -> None:
    html = str(
        queue_rows(
            ROWS[2:3],
            may_assign=True,
            scope="wider",
            status_labels=STATUS_LABELS,
            category_labels=CATEGORY_LABELS,
        )
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'onmouseover="x' not in html
    assert "o&#39;brien &lt;x&gt;" in html
    assert "network=N%201/%26%3F%23%C3%A9" in html


def test_no_rows_render_nothing() -> None:
    html = queue_rows(
        [], may_assign=True, scope="wider", status_labels=STATUS_LABELS,
        category_labels=CATEGORY_LABELS,
    )  # fmt: skip
    assert str(html) == ""
