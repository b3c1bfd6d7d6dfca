"""Account administration: list, create (with a generated password the new user must
replace), unlock, deactivate, reactivate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from relook.security import accounts
from relook.security.passwords import generate_password
from relook.security.policy import Permission, Role
from relook.store.clock import now_epoch
from relook.web.deps import CurrentUser, DbDep, StoreDep, require
from relook.web.templating import render

router = APIRouter()


class NewUserForm(BaseModel):
    username: str = Field(min_length=2, max_length=64)
    role: Role
    csrf_token: str = ""


class AccountForm(BaseModel):
    csrf_token: str = ""


def _users_page(request: Request, db: DbDep, **context: Any) -> Response:
    return render(
        request,
        "users.html",
        title="Users",
        users=accounts.list_users(db),
        roles=[r.value for r in Role],
        now=now_epoch(),
        **context,
    )


@router.get("/admin/users", name="list_users", dependencies=[require(Permission.MANAGE_USERS)])
def list_users(request: Request, db: DbDep) -> Response:
    return _users_page(request, db)


@router.post("/admin/users", name="create_user", dependencies=[require(Permission.MANAGE_USERS)])
def create_user(
    request: Request,
    db: DbDep,
    store: StoreDep,
    user: CurrentUser,
    form: Annotated[NewUserForm, Form()],
) -> Response:
    password = generate_password()
    with store.write() as connection:
        # The administrator sees this password, so its owner must replace it first.
        created = accounts.create_user(
            connection, form.username, form.role, password, by=user.actor,
            must_change_password=True,
        )  # fmt: skip
    # The password is shown once, on this response only; it is stored only as a hash.
    with store.read() as fresh:
        return _users_page(request, fresh, created=created, password=password)


@router.post(
    "/admin/users/{username}/unlock",
    name="unlock_user",
    dependencies=[require(Permission.MANAGE_USERS)],
)
def unlock_user(
    username: str, store: StoreDep, user: CurrentUser, _form: Annotated[AccountForm, Form()]
) -> Response:
    with store.write() as connection:
        accounts.unlock(connection, username, by=user.actor)
    return RedirectResponse("/admin/users", status_code=303)


@router.post(
    "/admin/users/{username}/deactivate",
    name="deactivate_user",
    dependencies=[require(Permission.MANAGE_USERS)],
)
def deactivate_user(
    username: str, store: StoreDep, user: CurrentUser, _form: Annotated[AccountForm, Form()]
) -> Response:
    with store.write() as connection:
        accounts.deactivate(connection, username, by=user.actor)
    return RedirectResponse("/admin/users", status_code=303)


@router.post(
    "/admin/users/{username}/reactivate",
    name="reactivate_user",
    dependencies=[require(Permission.MANAGE_USERS)],
)
def reactivate_user(
    username: str, store: StoreDep, user: CurrentUser, _form: Annotated[AccountForm, Form()]
) -> Response:
    with store.write() as connection:
        accounts.reactivate(connection, username, by=user.actor)
    return RedirectResponse("/admin/users", status_code=303)
