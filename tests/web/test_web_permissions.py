"""The permission matrix: every route × every role (and no one signed in), against the
policy tables (`ROUTE_POLICY`: route → permission; `ROLE_PERMISSIONS`: role → permissions).
Every route must be in the policy and declare exactly the permission the policy gives it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import select
from starlette.routing import Mount
from web_site import Site
from webclient import form_token

from relook.review import assessments, assignments
from relook.review.assessments import Answer, AssessmentInput, Decision
from relook.security.policy import PUBLIC, ROUTE_POLICY, Permission, Role, allows
from relook.store.engine import open_store
from relook.store.tables import run_cases, run_leads, run_people
from relook.web.app import ROUTERS, check_policy_coverage, create_app, registered_routes
from relook.web.deps import declared_policy
from relook.web.settings import WebSettings

ANONYMOUS = "anonymous"


def route_policy(route: APIRoute) -> Permission | str:
    """What the policy module says the route needs (and the route must declare the same)."""
    assert route.name in ROUTE_POLICY, f"{route.name} ({route.path}) is not in ROUTE_POLICY"
    assert declared_policy(route) == ROUTE_POLICY[route.name], route.name
    return ROUTE_POLICY[route.name]


def api_routes() -> list[APIRoute]:
    return registered_routes()


@pytest.fixture
def bare_app(tmp_path: Path) -> Iterator[FastAPI]:
    store = open_store(f"sqlite:///{tmp_path / 'relook.db'}", audit_key=b"k" * 32)
    yield create_app(WebSettings(tmp_path, "", "k" * 40, False), store=store)
    store.dispose()


def test_every_route_declares_its_policy() -> None:
    routes = api_routes()
    assert len(routes) >= 20
    for route in routes:
        policy = route_policy(route)
        assert policy == PUBLIC or isinstance(policy, Permission)
    public = {r.name for r in routes if route_policy(r) == PUBLIC}
    assert public == {"healthz", "login_form", "login"}
    assert {r.name for r in routes} == set(ROUTE_POLICY)
    check_policy_coverage()


def test_the_app_serves_nothing_else(bare_app: FastAPI) -> None:
    """Only the walked routers' routes, and static files (which hold no data)."""
    known = set(map(id, api_routes()))
    for entry in bare_app.routes:
        if isinstance(entry, Mount):
            assert entry.path == "/static"
        elif isinstance(entry, APIRoute):  # FastAPI versions that flatten included routers
            assert id(entry) in known or any(
                entry.path == r.path and entry.endpoint is r.endpoint for r in api_routes()
            )
        else:  # FastAPI versions that keep an included router as one entry
            assert getattr(entry, "original_router", None) in ROUTERS, entry


def _fixtures(site: Site) -> dict[str, Any]:
    """A case assigned to the reviewer with version 1 written by another supervisor, a
    person on it, a user to act on."""
    case_id = site.in_scope_cases(in_network=True)[0]
    users = site.users
    with site.store.write() as connection:
        assignments.assign(
            connection, site.run_id, [case_id], users["reviewer"].id, by=users["supervisor"]
        )
        assessments.submit(
            connection,
            case_id,
            AssessmentInput(
                Answer.YES,
                "",
                Answer.NO,
                "",
                Answer.NO,
                "",
                Answer.NO,
                "",
                Decision.NO_FURTHER_ACTION,
                "nothing more to do",
                ("original_decision_sound",),
            ),
            author=users["supervisor2"],
            run_id=site.run_id,
        )
    with site.store.read() as connection:
        records = connection.execute(
            select(run_people.c.mention_id, run_people.c.person_id)
            .where(
                run_people.c.run_id == site.run_id,
                run_people.c.case_id == case_id,
                run_people.c.role == "suspect",
            )
            .order_by(run_people.c.mention_id)
        ).all()
        network_id = connection.execute(
            select(run_cases.c.network_id).where(
                run_cases.c.run_id == site.run_id, run_cases.c.case_id == case_id
            )
        ).scalar_one()
        lead_id = connection.execute(
            select(run_leads.c.lead_id)
            .where(run_leads.c.run_id == site.run_id, run_leads.c.case_id == case_id)
            .order_by(run_leads.c.lead_id)
        ).scalars().first()  # fmt: skip
        victim = connection.execute(
            select(run_people.c.mention_id).where(
                run_people.c.run_id == site.run_id,
                run_people.c.case_id == case_id,
                run_people.c.role == "victim",
            )
        ).scalars().first()  # fmt: skip
    person_id = records[0].person_id
    return {
        "path": {
            "case_id": case_id,
            "network_id": network_id,
            "name": "band",
            "person_id": person_id,
            "lead_id": lead_id or "L0",
            "version": "1",
            "username": "reviewer2",
        },
        "query": {"a": records[0].mention_id, "b": records[-1].mention_id},
        "form": {
            "reason": "checking the matrix of permissions",
            "outcome": "returned",
            "comment": "please add detail",
            "case_ids": case_id,
            "assignee": str(users["reviewer"].id),
            "return_to": "/queue",
            **{f"{k}_answer": "unclear" for k in ("enquiry", "risk", "safeguarding", "justice")},
            "decision": "refer_local_action",
            "reasons": "lines_of_enquiry",
            "rationale": "lines of enquiry remain",
            "role": "reviewer",
            "record_a": records[0].mention_id,
            "record_b": "M9999999",
            "kind": "cannot_link",
            "weekly_target": "20",
            "action": "raised",
            "victim_mention_id": victim or "M0",
            "status": "contact_attempted",
            "happened_on": "2026-10-01",
        },
    }


def _call(
    site: Site, client: Any, route: APIRoute, method: str, sample: dict[str, Any], n: int
) -> Any:
    url = route.path.format(**{k: v for k, v in sample["path"].items() if "{" + k in route.path})
    if method == "GET":
        return client.get(url, params=sample["query"] if "explain" in url else None)
    form = dict(sample["form"])
    form["username"] = f"made-by-matrix-{n}"
    if route.name == "login":
        # Signing in is the same for everyone: the form's token comes from a new visitor.
        client = site.client()
        form = {"username": "nobody", "password": "wrong password"}
        form["csrf_token"] = form_token(client.get("/login").text)
    return client.post(url, form)


def _denied(response: Any, role: str, method: str) -> bool:
    if role == ANONYMOUS:
        if method == "GET":
            return response.status_code == 303 and "/login" in response.headers["location"]
        return response.status_code in (401, 403)
    return response.status_code == 403


def test_permission_matrix(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # The model explanation is tested elsewhere; here it answers quickly either way.
    monkeypatch.setattr(type(site.app.state.explainer), "available", lambda _self, _run: False)
    sample = _fixtures(site)
    roles = [r.value for r in Role] + [ANONYMOUS]
    clients = {role: site.login(role) if role != ANONYMOUS else site.client() for role in roles}
    failures = []
    n = 0
    for route in sorted(api_routes(), key=lambda r: r.name == "logout"):
        policy = route_policy(route)
        for method in sorted(route.methods - {"HEAD"}):
            for role in roles:
                n += 1
                response = _call(site, clients[role], route, method, sample, n)
                if policy == PUBLIC:
                    expected_allowed = True
                else:
                    expected_allowed = role != ANONYMOUS and allows(role, policy)  # type: ignore[arg-type]
                if expected_allowed:
                    ok = response.status_code < 400 or response.status_code in (400, 409)
                    ok = ok and not (
                        response.status_code == 303
                        and "/login" in response.headers["location"]
                        and route.name not in ("logout", "login_form")
                    )
                    if route.name == "login":
                        ok = response.status_code == 401  # wrong password, but not forbidden
                    if method == "GET" and route.name not in ("home", "login_form"):
                        ok = ok and response.status_code == 200
                else:
                    ok = _denied(response, role, method)
                if not ok:
                    failures.append(
                        f"{method} {route.path} as {role}: {response.status_code}"
                        f" (expected {'allowed' if expected_allowed else 'denied'})"
                    )
                if route.name == "logout" and role != ANONYMOUS:
                    clients[role] = site.login(role)
    assert n >= 100
    assert not failures, "\n".join(failures)
