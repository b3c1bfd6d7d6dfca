"""A user's own account: changing their password (and setting the first one)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from relook.security import accounts, sessions
from relook.security.accounts import AccountError
from relook.security.passwords import WeakPasswordError
from relook.security.policy import HOME_PAGE, Permission
from relook.web.concurrency import slow_work
from relook.web.deps import CurrentSession, CurrentUser, StoreDep, require
from relook.web.templating import render

router = APIRouter()


class PasswordForm(BaseModel):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(max_length=1000)
    confirm_password: str = Field(max_length=1000)
    csrf_token: str = ""


def _password_page(request: Request, user: accounts.User, *, message: str = "",
                   status: int = 200) -> Response:  # fmt: skip
    return render(
        request,
        "password.html",
        status=status,
        title="Your password",
        first=user.must_change_password,
        message=message,
    )


@router.get("/account/password", name="password_form", dependencies=[require(Permission.SIGNED_IN)])
def password_form(request: Request, user: CurrentUser) -> Response:
    return _password_page(request, user)


@router.post(
    "/account/password", name="change_password", dependencies=[require(Permission.SIGNED_IN)]
)
@slow_work  # argon2 twice: the current password, then the new one
def change_password(
    request: Request,
    store: StoreDep,
    session: CurrentSession,
    form: Annotated[PasswordForm, Form()],
) -> Response:
    user = session.user
    if form.new_password != form.confirm_password:
        return _password_page(request, user, message="The new passwords differ.", status=400)
    try:
        with store.write() as connection:
            accounts.change_own_password(connection, user, form.current_password, form.new_password)
            sessions.end_others(connection, session)
    except (AccountError, WeakPasswordError) as exc:
        return _password_page(request, user, message=f"Not changed: {exc}.", status=400)
    return RedirectResponse(HOME_PAGE[user.role], status_code=303)
