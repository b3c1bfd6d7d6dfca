"""Every form of the web app, posted with random values by a signed-in user: never a 500.

The forms are read from the app's own OpenAPI description (every POST route with a form
body), so a new form is fuzzed without a change here. Values are drawn from each field's
schema (its enumeration, its type, lengths just over its limit) and from hostile text:
any unicode, control characters, very long text, markup and SQL-looking strings. Path
parameters are real ids of the run (so the request reaches the form's handler) or junk.
Signing in and out are left to the sign-in tests: they end the fuzzing session.

Bounded: SQLite only, a fixed number of examples, each one request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from review_world import add_users
from sqlalchemy import select
from web_site import USERS, Site
from webclient import WebClient

from relook.security.policy import Role
from relook.store.tables import run_people

SKIPPED = {"/login", "/logout"}

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "          ",
        "\u200b" * 12,
        "<script>alert(1)</script>",
        "'; DROP TABLE users; --",
        '=HYPERLINK("http://x")',
        "../../etc/passwd",
        "%00",
        "\x00",
        "\r\n\t\x0b\x0c\x1b",
        "\ud7ff\ue000\U0010ffff",
        "é" * 25_000,
        "-1",
        "0",
        "99999999999999999999999",
        "nan",
        "true",
    ]
)
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)


def _schema(openapi: dict[str, Any], ref_or_schema: dict[str, Any]) -> dict[str, Any]:
    ref = ref_or_schema.get("$ref")
    if ref:
        return dict(openapi["components"]["schemas"][ref.rsplit("/", 1)[1]])
    one = ref_or_schema.get("anyOf") or ref_or_schema.get("allOf")
    return _schema(openapi, one[0]) if one else ref_or_schema


def _value(openapi: dict[str, Any], prop: dict[str, Any]) -> st.SearchStrategy[Any]:
    schema = _schema(openapi, prop)
    options: list[st.SearchStrategy[Any]] = [TEXT, HOSTILE]
    if "enum" in schema:
        # Mostly a valid choice, so that forms get past validation into their handlers.
        options += [st.sampled_from([str(v) for v in schema["enum"]])] * 6
    if schema.get("type") == "integer":
        options.append(st.integers().map(str))
    if schema.get("type") == "array":
        options.append(st.lists(st.one_of(TEXT, HOSTILE), max_size=4))
    if "maxLength" in schema:
        options.append(st.just("x" * (int(schema["maxLength"]) + 1)))
    return st.one_of(options)


def _forms(site: Site) -> list[tuple[str, dict[str, dict[str, Any]]]]:
    """(path, {field: schema}) for every POST route with a form body."""
    openapi = site.app.openapi()
    forms = []
    for path, operations in sorted(openapi["paths"].items()):
        post = operations.get("post")
        if not post or path in SKIPPED:
            continue
        content = post.get("requestBody", {}).get("content", {})
        body = content.get("application/x-www-form-urlencoded", {}).get("schema", {})
        fields = _schema(openapi, body).get("properties", {}) if body else {}
        forms.append((path, dict(fields)))
    return forms


def _ids(site: Site) -> dict[str, list[str]]:
    with site.store.read() as connection:
        people = connection.execute(
            select(run_people.c.person_id)
            .where(run_people.c.person_id.is_not(None))
            .distinct()
            .limit(20)
        )
        persons = [str(p) for p in people.scalars()]
    # Accounts the admin may lock out or deactivate: never the fuzzing sessions' own, or
    # every later request would only be sent to the sign-in page.
    throwaway = {f"fuzz-{role.value}": role for role in Role}
    add_users(site.store, throwaway)
    return {
        "case_id": site.in_scope_cases()[:20],
        "person_id": persons,
        "username": list(throwaway),
        "version": ["1", "2"],
    }


def _roles_allowed(
    path: str, ids: dict[str, list[str]], client: Callable[[str], WebClient]
) -> list[str]:
    """The roles a form is for: those not refused (403) an empty post to a real id."""
    url = path
    for name, values in ids.items():
        url = url.replace("{" + name + "}", quote(values[0], safe=""))
    roles = [role for role in sorted(USERS) if client(role).post(url, {}).status_code != 403]
    return roles or sorted(USERS)


ACCOUNT_FORMS = (
    "/admin/users",
    "/admin/users/{username}/unlock",
    "/admin/users/{username}/deactivate",
)


@pytest.mark.parametrize("site", ["sqlite"], indirect=True)
def test_no_form_gives_a_server_error(site: Site) -> None:
    forms = [(path, fields) for path, fields in _forms(site) if path not in ACCOUNT_FORMS]
    assert len(forms) >= 7, [path for path, _ in forms]
    _fuzz(site, forms, examples=150)


@pytest.mark.parametrize("site", ["sqlite"], indirect=True)
def test_no_account_form_gives_a_server_error(site: Site) -> None:
    forms = [(path, fields) for path, fields in _forms(site) if path in ACCOUNT_FORMS]
    assert len(forms) == len(ACCOUNT_FORMS)
    _fuzz(site, forms, examples=40)


def _fuzz(site: Site, forms: list[tuple[str, dict[str, dict[str, Any]]]], examples: int) -> None:
    """Post `examples` random forms, each as a signed-in user; none may give a 500."""
    openapi = site.app.openapi()
    ids = _ids(site)
    clients: dict[str, WebClient] = {}

    def client(role: str) -> WebClient:
        if role not in clients:
            clients[role] = site.login(role)
        return clients[role]

    allowed = {path: _roles_allowed(path, ids, client) for path, _ in forms}

    @st.composite
    def request(draw: st.DrawFn) -> tuple[str, str, dict[str, Any]]:
        path, fields = draw(st.sampled_from(forms))
        url = path
        for name in [p.split("}")[0] for p in path.split("{")[1:]]:
            known = ids.get(name) or ["x"]
            real = st.sampled_from(known)
            segment = draw(st.one_of(real, real, real, TEXT.filter(bool)))
            url = url.replace("{" + name + "}", quote(segment, safe=""))
        data = {
            name: draw(_value(openapi, schema))
            for name, schema in fields.items()
            if name != "csrf_token" and draw(st.integers(0, 9))  # a field now and then missing
        }
        # Mostly a role the form is for (so the handler runs), now and then any role.
        role = draw(st.one_of(st.sampled_from(allowed[path]), st.sampled_from(sorted(USERS))))
        return role, url, data

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(request())
    def post(drawn: tuple[str, str, dict[str, Any]]) -> None:
        role, url, data = drawn
        browser = client(role)
        response = browser.post(url, data)
        # The session must survive: a redirect to sign in would end the fuzzing quietly.
        assert "/login" not in response.headers.get("location", ""), (role, url)
        assert response.status_code < 500, (role, url, data, response.text[:300])

    post()
