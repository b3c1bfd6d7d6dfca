"""CSRF, lock-out, cookies and headers, error pages, and assets that never leave the site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from review_world import PASSWORD
from sqlalchemy import select
from web_site import Site
from webclient import form_token

from relook.review import case_page
from relook.security.accounts import MAX_FAILED_LOGINS
from relook.store.tables import audit_log

WEB = Path(__file__).parents[2] / "src" / "relook" / "web"


def test_state_changing_requests_need_the_session_token(site: Site) -> None:
    supervisor = site.login("supervisor")
    case_id = site.in_scope_cases()[0]
    form = {"case_ids": case_id, "assignee": str(site.users["reviewer"].id)}
    assert supervisor.post("/queue/assign", form, csrf=False).status_code == 403
    assert supervisor.post("/queue/assign", {**form, "csrf_token": "forged"}).status_code == 403
    # Another user's token is no good either.
    other = site.login("supervisor2")
    assert supervisor.post("/queue/assign", {**form, "csrf_token": other.csrf}).status_code == 403
    assert supervisor.post("/queue/assign", form).status_code == 303
    # HTMX sends the token as a header instead.
    response = supervisor.request(
        "POST", "/queue/assign", data=form, headers={"X-CSRF-Token": supervisor.csrf}
    )
    assert response.status_code == 303
    # Logging out is state-changing too.
    assert supervisor.post("/logout", csrf=False).status_code == 403


def test_every_form_carries_the_session_token(site: Site) -> None:
    case_id = site.in_scope_cases()[0]
    for name, path in (("supervisor", f"/cases/{case_id}"), ("supervisor", "/queue"),
                       ("admin", "/admin/users"), ("supervisor", "/exports")):  # fmt: skip
        client = site.login(name)
        tokens = re.findall(r'name="csrf_token" value="([^"]*)"', client.get(path).text)
        assert len(tokens) >= 2, path  # the sign-out form and the page's own
        assert set(tokens) == {client.csrf}, path


def test_the_sign_in_form_needs_its_own_token(site: Site) -> None:
    client = site.client()
    credentials = {"username": "reviewer", "password": PASSWORD}
    assert client.post("/login", credentials, csrf=False).status_code == 403
    token = form_token(client.get("/login").text)
    stranger = site.client()  # a token without the matching nonce cookie
    assert stranger.post("/login", {**credentials, "csrf_token": token}).status_code == 403
    assert client.post("/login", {**credentials, "csrf_token": token}).status_code == 303


def test_lock_out_after_repeated_failed_sign_ins(site: Site) -> None:
    client = site.client()

    def attempt(password: str) -> int:
        token = form_token(client.get("/login").text)
        response = client.post(
            "/login", {"username": "reviewer", "password": password, "csrf_token": token}
        )
        return response.status_code

    for _ in range(MAX_FAILED_LOGINS):
        assert attempt("not the password") == 401
    assert attempt(PASSWORD) == 401  # locked, whatever the password
    with site.store.read() as connection:
        actions = list(
            connection.execute(
                select(audit_log.c.action).where(audit_log.c.object_id == "reviewer")
            ).scalars()
        )
    assert actions.count("login_failed") == MAX_FAILED_LOGINS + 1
    assert "account_locked" in actions
    # An administrator unlocks it.
    admin = site.login("admin")
    assert admin.post("/admin/users/reviewer/unlock").status_code == 303
    assert attempt(PASSWORD) == 303


def test_cookies_and_headers(site: Site) -> None:
    client = site.client()
    page = client.get("/login")
    token = form_token(page.text)
    response = client.post(
        "/login", {"username": "reviewer", "password": PASSWORD, "csrf_token": token}
    )
    cookie = next(
        v for k, v in response.headers.multi_items()
        if k == "set-cookie" and v.startswith("relook_session=")
    )  # fmt: skip
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    queue = client.get("/queue")
    assert "default-src 'self'" in queue.headers["content-security-policy"]
    assert queue.headers["cache-control"] == "no-store"
    assert queue.headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in queue.headers  # plain http on localhost


def test_secure_cookies_when_configured(world: object, tmp_path: Path, portal: object) -> None:
    from review_world import add_users, fresh_store, import_world
    from web_site import USERS

    with fresh_store("sqlite", tmp_path) as store:
        import_world(store, world)  # type: ignore[arg-type]
        users = add_users(store, USERS)
        secure = Site(store, world, users, portal, tmp_path, secure_cookies=True)  # type: ignore[arg-type]
        client = secure.client()
        client.http.base_url = "https://relook.test"  # Secure cookies travel over HTTPS only
        token = form_token(client.get("/login").text)
        response = client.post(
            "/login", {"username": "reviewer", "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 303
        assert "Secure" in response.headers["set-cookie"]
        # Behind TLS, browsers are told to keep to it (HSTS).
        assert response.headers["strict-transport-security"].startswith("max-age=")
        client.close()


def test_signed_out_visitors_are_sent_to_sign_in(site: Site) -> None:
    client = site.client()
    response = client.get("/cases/C000001?x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/cases/C000001%3Fx%3D1"
    htmx = client.get("/queue", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login")
    # After sign-in the visitor lands where they were going, never on another site.
    token = form_token(client.get("/login?next=//evil.example/").text)
    response = client.post(
        "/login",
        {"username": "analyst", "password": PASSWORD, "csrf_token": token,
         "next": "//evil.example/"},
    )  # fmt: skip
    assert response.headers["location"] == "/queue"


def test_errors_are_pages_without_tracebacks(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    analyst = site.login("analyst")
    missing = analyst.get("/no/such/page")
    assert missing.status_code == 404 and "Not found" in missing.text
    assert analyst.get("/cases/NOPE").status_code == 404

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(case_page, "build", broken)
    response = analyst.get(f"/cases/{site.in_scope_cases()[0]}")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret internal detail" not in response.text and "Traceback" not in response.text


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def test_pages_load_nothing_from_other_sites() -> None:
    for template in (WEB / "templates").glob("*.html"):
        assert not EXTERNAL.search(template.read_text(encoding="utf-8")), template.name
    for script in ("app.js", "app.css"):
        text = (WEB / "static" / script).read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, script
    vendor = WEB / "static" / "vendor"
    for name in ("htmx.min.js", "cytoscape.min.js"):
        assert (vendor / name).stat().st_size > 10_000
        assert (vendor / name.replace(".min.js", ".LICENSE.txt")).exists()


def test_vendored_assets_are_served(site: Site) -> None:
    client = site.client()
    for path in ("/static/vendor/htmx.min.js", "/static/vendor/cytoscape.min.js", "/static/app.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "javascript" in response.headers["content-type"]
