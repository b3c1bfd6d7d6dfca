"""Sign-in, sign-out, the home page and the health check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from relook.security import audit, sessions
from relook.security.accounts import LoginOutcome, authenticate
from relook.security.audit import AuditAction
from relook.security.csrf import LOGIN_FORM_MAX_AGE, LOGIN_NONCE_COOKIE
from relook.security.policy import HOME_PAGE, Permission
from relook.web.concurrency import slow_work
from relook.web.deps import (
    SESSION_COOKIE,
    CurrentSession,
    CurrentUser,
    SessionDep,
    StoreDep,
    public,
    require,
)
from relook.web.errors import PASSWORD_PAGE
from relook.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (never `//host` or a full URL) may follow sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _login_page(
    request: Request, *, message: str = "", next_url: str = "", status: int = 200
) -> Response:
    nonce, token = request.app.state.login_tokens.issue()
    response = render(
        request,
        "login.html",
        status=status,
        title="Sign in",
        csrf_token=token,
        message=message,
        next_url=_safe_next(next_url) or "",
    )
    response.set_cookie(
        LOGIN_NONCE_COOKIE,
        nonce,
        max_age=LOGIN_FORM_MAX_AGE,
        path="/login",
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


@router.get("/healthz", name="healthz", dependencies=[public()])
async def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok")


@router.get("/login", name="login_form", dependencies=[public()])
def login_form(request: Request, session: SessionDep, next: str = "") -> Response:
    if session is not None:
        return RedirectResponse(_safe_next(next) or HOME_PAGE[session.user.role], status_code=303)
    return _login_page(request, next_url=next)


@router.post("/login", name="login", dependencies=[public()])
@slow_work  # argon2 takes tens of milliseconds by design
def login(
    request: Request,
    store: StoreDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    client = request.client.host if request.client else None
    result = authenticate(store, username, password, client=client)
    if result.outcome is not LoginOutcome.OK or result.user is None:
        return _login_page(request, message=result.message, next_url=next, status=401)
    with store.write() as connection:
        token, _session = sessions.start(connection, result.user)
    target = _safe_next(next) or HOME_PAGE[result.user.role]
    if result.user.must_change_password:
        target = PASSWORD_PAGE
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=sessions.MAX_SECONDS,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
    )
    response.delete_cookie(LOGIN_NONCE_COOKIE, path="/login")
    return response


@router.post("/logout", name="logout", dependencies=[require(Permission.SIGNED_IN)])
def logout(request: Request, store: StoreDep, session: CurrentSession) -> Response:
    with store.write() as connection:
        sessions.end(connection, session)
        audit.append(
            connection,
            session.user.actor,
            AuditAction.LOGOUT,
            object_type="user",
            object_id=session.user.username,
        )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/", name="home", dependencies=[require(Permission.SIGNED_IN)])
async def home(user: CurrentUser) -> Response:
    return RedirectResponse(HOME_PAGE[user.role], status_code=303)
