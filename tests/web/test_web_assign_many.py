"""Assigning many cases at once: a whole network, or everything the filters match."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select
from web_site import Site

from relook.review.case_state import get_state
from relook.store.tables import run_cases


def _network_cases(site: Site) -> tuple[str, list[str]]:
    with site.store.read() as connection:
        rows = connection.execute(
            select(run_cases.c.network_id, run_cases.c.case_id).where(
                run_cases.c.run_id == site.run_id,
                run_cases.c.in_scope_wider.is_(True),
                run_cases.c.network_id.is_not(None),
            )
        ).all()
    by_network: dict[str, list[str]] = {}
    for network_id, case_id in rows:
        by_network.setdefault(network_id, []).append(case_id)
    network_id = max(by_network, key=lambda n: (len(by_network[n]), n))
    return network_id, sorted(by_network[network_id])


def _assignees(site: Site, case_ids: list[str]) -> set[int | None]:
    with site.store.read() as connection:
        return {get_state(connection, c).assignee_id for c in case_ids}


def test_a_supervisor_assigns_a_whole_network_from_its_case_page(site: Site) -> None:
    supervisor = site.login("supervisor")
    network_id, cases = _network_cases(site)
    page = supervisor.get(f"/cases/{cases[0]}")
    assert f"Assign the network's {len(cases)} in-scope case" in page.text
    reviewer = site.users["reviewer"]
    done = supervisor.post(f"/networks/{network_id}/assign", {"assignee": str(reviewer.id)})
    assert done.status_code == 303
    target = urlsplit(done.headers["location"])
    assert parse_qs(target.query)["assigned"] == [str(len(cases))]
    assert _assignees(site, cases) == {reviewer.id}
    shown = supervisor.get(f"{target.path}?{target.query}")
    assert f"Assigned {len(cases)} cases to reviewer" in shown.text
    reviewer_client = site.login("reviewer")
    assert all(reviewer_client.get(f"/cases/{c}").status_code == 200 for c in cases)
    # A reviewer may not assign.
    refused = reviewer_client.post(f"/networks/{network_id}/assign", {"assignee": "none"})
    assert refused.status_code == 403


def test_assign_all_matching_takes_every_page_not_only_the_one_shown(site: Site) -> None:
    supervisor = site.login("supervisor")
    with site.store.read() as connection:
        out_of_scope = list(
            connection.execute(
                select(run_cases.c.case_id).where(
                    run_cases.c.run_id == site.run_id, run_cases.c.in_scope_wider.is_(False)
                )
            ).scalars()
        )
    assert len(out_of_scope) > 50  # more than one page
    reviewer2 = site.users["reviewer2"]
    form = {"filters": "scope=out&band=&status=", "assignee": str(reviewer2.id)}
    done = supervisor.post("/queue/assign-matching", form)
    assert done.status_code == 303
    assert parse_qs(urlsplit(done.headers["location"]).query)["assigned"] == [
        str(len(out_of_scope))
    ]
    assert _assignees(site, out_of_scope) == {reviewer2.id}
    queue = supervisor.get("/queue", params={"scope": "wider"})
    assert 'data-select-all="case_ids"' in queue.text and "matching</button>" in queue.text


def test_an_assign_form_that_names_nobody_changes_nothing(site: Site) -> None:
    """Only `none` unassigns: a blank choice, a word or a number beyond any id is refused with a
    400, never taken as "unassign" and never an overflow in the database."""
    supervisor = site.login("supervisor")
    network_id, cases = _network_cases(site)
    reviewer = site.users["reviewer"]
    supervisor.post(f"/networks/{network_id}/assign", {"assignee": str(reviewer.id)})
    for assignee in ("", "bob", "9223372036854775808", "²"):
        for path, form in (
            ("/queue/assign", {"case_ids": cases[0], "assignee": assignee}),
            (f"/networks/{network_id}/assign", {"assignee": assignee}),
            ("/queue/assign-matching", {"filters": f"network={network_id}", "assignee": assignee}),
        ):
            assert supervisor.post(path, form).status_code == 400, (path, assignee)
    assert _assignees(site, cases) == {reviewer.id}
    assert supervisor.get("/queue", params={"assignee": "9223372036854775808"}).status_code == 400
