"""Accounts (issue 14): an administrator cannot reach case data through an account they
create; passwords are changed by their owners; admins cannot lock everyone out."""

from __future__ import annotations

import re

import pytest
from review_world import PASSWORD
from sqlalchemy import select
from web_site import Site

from relook.errors import RelookError
from relook.security import accounts
from relook.security.audit import SYSTEM
from relook.store.tables import audit_log, users

NEW_PASSWORD = "my own passphrase, not the admin's"


def _entries(site: Site, action: str) -> list[dict[str, object]]:
    with site.store.read() as connection:
        rows = connection.execute(select(audit_log).where(audit_log.c.action == action))
        return [dict(r._mapping) for r in rows]


def _create(site: Site, username: str, role: str) -> str:
    admin = site.login("admin")
    page = admin.post("/admin/users", {"username": username, "role": role})
    assert page.status_code == 200, page.text[:300]
    match = re.search(r'<code class="secret">([^<]+)</code>', page.text)
    assert match
    return match.group(1)


def test_an_account_an_admin_creates_must_set_its_own_password_first(site: Site) -> None:
    shown = _create(site, "newsup", "supervisor")
    case_id = site.in_scope_cases()[0]
    client = site.client()
    signed_in = client.login("newsup", shown)
    assert signed_in.headers["location"] == "/account/password"
    # Until the password is its own, the account reaches nothing else.
    for url in ("/queue", f"/cases/{case_id}", "/exports", "/runs"):
        refused = client.get(url)
        assert refused.status_code == 303 and refused.headers["location"] == "/account/password"
    assert (
        client.post("/queue/assign", {"case_ids": case_id, "assignee": "none"}).status_code == 403
    )
    form = client.get("/account/password")
    assert form.status_code == 200 and 'data-testid="first-password"' in form.text
    changed = client.post(
        "/account/password",
        {"current_password": shown, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )
    assert changed.status_code == 303
    assert client.get(f"/cases/{case_id}").status_code == 200
    # The administrator's copy no longer signs in.
    assert site.client().login("newsup", shown).status_code == 401
    (created,) = [e for e in _entries(site, "user_created") if e["object_id"] == "newsup"]
    assert created["actor"] == "admin" and '"created_by":"admin"' in str(created["detail"])
    assert [e["object_id"] for e in _entries(site, "password_changed")] == ["newsup"]
    assert "admin" in site.login("admin").get("/admin/users").text.split("newsup", 1)[1][:300]


def test_a_user_changes_their_own_password_and_other_sessions_end(site: Site) -> None:
    reviewer = site.login("reviewer")
    elsewhere = site.login("reviewer")
    wrong = reviewer.post(
        "/account/password",
        {"current_password": "not it", "new_password": NEW_PASSWORD,
         "confirm_password": NEW_PASSWORD},
    )  # fmt: skip
    assert wrong.status_code == 400 and "current password" in wrong.text
    short = reviewer.post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
    )
    assert short.status_code == 400
    changed = reviewer.post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
         "confirm_password": NEW_PASSWORD},
    )  # fmt: skip
    assert changed.status_code == 303
    assert reviewer.get("/queue").status_code == 200
    assert elsewhere.get("/queue").status_code == 303  # signed out
    assert site.client().login("reviewer", NEW_PASSWORD).status_code == 303


def test_admins_cannot_deactivate_themselves_or_the_last_admin(site: Site) -> None:
    admin = site.login("admin")
    refused = admin.post("/admin/users/admin/deactivate")
    assert refused.status_code == 400 and "your own account" in refused.text
    with pytest.raises(RelookError, match="last active administrator"), site.store.write() as c:
        accounts.deactivate(c, "admin", by=SYSTEM)
    # Deactivated, then reactivated: it signs in again.
    assert admin.post("/admin/users/reviewer/deactivate").status_code == 303
    assert site.client().login("reviewer", PASSWORD).status_code == 401
    page = admin.get("/admin/users").text
    assert "/admin/users/reviewer/reactivate" in page
    assert admin.post("/admin/users/reviewer/reactivate").status_code == 303
    assert site.client().login("reviewer", PASSWORD).status_code == 303
    assert [e["object_id"] for e in _entries(site, "user_reactivated")] == ["reviewer"]


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/admin/users", {"username": "reviewer", "role": "reviewer"}),  # duplicate
        ("/admin/users", {"username": "-bad name!", "role": "reviewer"}),  # invalid
        ("/admin/users/ghost/unlock", {}),
        ("/admin/users/ghost/reactivate", {}),
        ("/admin/users/ghost/deactivate", {}),
    ],
)
def test_account_mistakes_are_a_clear_4xx_not_a_500(
    site: Site, url: str, form: dict[str, str]
) -> None:
    response = site.login("admin").post(url, form)
    assert 400 <= response.status_code < 500, response.status_code
    assert "Something went wrong" not in response.text


def test_a_must_change_flag_survives_in_the_store(site: Site) -> None:
    _create(site, "flagged", "analyst")
    with site.store.read() as connection:
        row = connection.execute(
            select(users.c.must_change_password, users.c.created_by).where(
                users.c.username == "flagged"
            )
        ).one()
    assert row.must_change_password and row.created_by == "admin"
