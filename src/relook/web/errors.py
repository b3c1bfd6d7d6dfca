"""Errors as pages: a user never sees a traceback.

Each known error becomes a short page (or, for HTMX requests, a fragment) with the right
status; anything unexpected is logged in full on the server and shown as a plain 500.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from relook.review.errors import Conflict, InvalidInput, NotAllowed, NotFound
from relook.security.accounts import AccountError
from relook.security.passwords import WeakPasswordError
from relook.web.templating import render

log = logging.getLogger("relook.web")

PASSWORD_PAGE = "/account/password"


class NotSignedIn(Exception):
    """The request needs a signed-in user."""


class Forbidden(Exception):
    """The policy refuses this user (HTTP 403)."""

    def __init__(self, message: str = "Your role does not allow this.") -> None:
        super().__init__(message)
        self.message = message


class CsrfRejected(Forbidden):
    def __init__(self) -> None:
        super().__init__(
            "The form has expired or did not come from this application. Reload the page"
            " and try again."
        )


class PasswordChangeRequired(Exception):
    """The account must set its own password before anything else."""


class NoRunYet(Exception):
    """No run has been imported into the store."""


def _page(request: Request, status: int, title: str, message: str) -> Response:
    return render(request, "error.html", status=status, title=title, message=message)


# Errors a user's request can cause, as (status, page title); the page says the error's
# own message. A subclass (CsrfRejected) is answered as its parent.
_USER_ERRORS: dict[type[Exception], tuple[int, str]] = {
    InvalidInput: (400, "Please check the form"),
    AccountError: (400, "Please check the form"),
    WeakPasswordError: (400, "Please check the form"),
    Forbidden: (403, "Not allowed"),
    NotAllowed: (403, "Not allowed"),
    NotFound: (404, "Not found"),
    Conflict: (409, "Not possible now"),
}


async def _user_error(request: Request, exc: Exception) -> Response:
    status, title = next(v for kind, v in _USER_ERRORS.items() if isinstance(exc, kind))
    return _page(request, status, title, str(exc))


def install(app: FastAPI) -> None:
    for kind in _USER_ERRORS:
        app.add_exception_handler(kind, _user_error)

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _exc: NotSignedIn) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        login = f"/login?next={quote(target)}"
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": login})
        if request.method in ("GET", "HEAD"):
            return RedirectResponse(login, status_code=303)
        return _page(request, 401, "Please sign in", "Your session has ended. Sign in again.")

    @app.exception_handler(PasswordChangeRequired)
    async def password_change(request: Request, _exc: PasswordChangeRequired) -> Response:
        if request.headers.get("HX-Request"):
            return Response(status_code=403, headers={"HX-Redirect": PASSWORD_PAGE})
        if request.method in ("GET", "HEAD"):
            return RedirectResponse(PASSWORD_PAGE, status_code=303)
        return _page(
            request,
            403,
            "Set your password first",
            "Your account was created for you: choose your own password before anything else.",
        )

    @app.exception_handler(IntegrityError)
    async def integrity(request: Request, exc: IntegrityError) -> Response:
        log.warning("integrity error on %s: %s", request.url.path, exc.orig)
        return _page(
            request,
            409,
            "Not possible now",
            "Someone else changed this at the same moment. Reload the page and try again.",
        )

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'input'}: {e.get('msg')}"
            for e in exc.errors()
        )
        return _page(request, 400, "Please check the form", problems or "The input is invalid.")

    @app.exception_handler(NoRunYet)
    async def no_run(request: Request, _exc: NoRunYet) -> Response:
        return _page(
            request,
            503,
            "No results yet",
            "No run has been imported into this workspace yet. Run `relook run` (or"
            " `relook demo`) first.",
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {404: "Not found", 405: "Not allowed"}
        detail = exc.detail if isinstance(exc.detail, str) else "The request failed."
        return _page(request, exc.status_code, titles.get(exc.status_code, "Error"), detail)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _page(
            request,
            500,
            "Something went wrong",
            "The error has been logged. Please try again, and tell your administrator if it"
            " happens again.",
        )
