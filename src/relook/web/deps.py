"""Request dependencies: the store, the signed-in user, the policy and CSRF checks.

Aliases for route signatures:

    DbDep           a read connection for this request (rolled back at the end)
    StoreDep        the store, for write transactions (`store.write()`)
    SessionDep      the login session, or None
    CurrentUser     the signed-in user (otherwise: redirect to sign-in)
    CurrentRun      the run the review shows (otherwise: a "no results yet" page)

Every route declares exactly one policy dependency: `require(Permission.X)` or `public()`.
The permission-matrix test reads the marker each one carries.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from pydantic import AfterValidator, Field
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from relook.review.runs import RunInfo, latest_run
from relook.security import refusals, sessions
from relook.security.accounts import User
from relook.security.csrf import FORM_FIELD, HEADER, LOGIN_NONCE_COOKIE, tokens_match
from relook.security.justification import checked_reason
from relook.security.policy import PUBLIC, Permission, allows
from relook.security.sessions import LoginSession
from relook.store.engine import Store
from relook.web.errors import (
    CsrfRejected,
    Forbidden,
    NoRunYet,
    NotSignedIn,
    PasswordChangeRequired,
)

SESSION_COOKIE = "relook_session"

ReasonText = Annotated[str, Field(max_length=2000), AfterValidator(checked_reason)]
"""A form field holding the reason for a disclosure, cleaned and checked
(`relook.security.justification`): blank or wordless reasons are a 400."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
POLICY_MARKER = "relook_policy"
"""Attribute on a policy dependency: the Permission it requires, or `PUBLIC`."""


# The graph is kept flat on purpose. FastAPI walks a dependency's whole sub-tree again
# every time another dependency names it, cached or not: with the session depending on
# the connection and the user on the session, a case page walked dozens. Now
# `request_scope` (applied to every route, first) opens the read connection, loads the
# session and checks CSRF once, and the aliases below only read what it left on
# `request.state`. All of them are `async def`, so FastAPI runs them on the event loop
# instead of handing each to the thread pool; request_scope's session lookup (one
# indexed query) runs there too, which costs less than the hop to a thread.


async def request_scope(request: Request) -> AsyncIterator[None]:
    """Per request: a read connection (rolled back at the end), the login session if the
    cookie names a live one, and the CSRF check for state-changing requests."""
    store: Store = request.app.state.store
    with store.read() as connection:
        state = request.state
        state.db = connection
        token = request.cookies.get(SESSION_COOKIE)
        session = sessions.load(connection, token) if token else None
        if session is not None and session.needs_touch:
            with store.write() as writer:
                sessions.touch(writer, session)
        state.login_session = session
        await csrf_protect(request, session)
        yield


def _scoped(request: Request) -> Any:
    state = request.state
    if not hasattr(state, "db"):
        raise RuntimeError("request_scope must run before the other dependencies")
    return state


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]


async def db_connection(request: Request) -> Connection:
    connection: Connection = _scoped(request).db
    return connection


DbDep = Annotated[Connection, Depends(db_connection)]


async def optional_session(request: Request) -> LoginSession | None:
    session: LoginSession | None = _scoped(request).login_session
    return session


SessionDep = Annotated[LoginSession | None, Depends(optional_session)]


async def current_session(request: Request) -> LoginSession:
    session: LoginSession | None = _scoped(request).login_session
    if session is None:
        raise NotSignedIn()
    return session


CurrentSession = Annotated[LoginSession, Depends(current_session)]


async def current_user(request: Request) -> User:
    return (await current_session(request)).user


CurrentUser = Annotated[User, Depends(current_user)]


RUN_CACHE_SECONDS = 1.0
"""How long a worker reuses its answer to "which run is current" (a new import shows
within a second; every page asks)."""

_run_cache: dict[int, tuple[float, RunInfo]] = {}


async def current_run(request: Request) -> RunInfo:
    now = time.monotonic()
    store = request.app.state.store
    cached = _run_cache.get(id(store))
    if cached and cached[0] > now:
        return cached[1]
    run = latest_run(_scoped(request).db)
    if run is None:
        raise NoRunYet()
    _run_cache[id(store)] = (now + RUN_CACHE_SECONDS, run)
    return run


CurrentRun = Annotated[RunInfo, Depends(current_run)]


def require(permission: Permission) -> Any:
    """The route needs a signed-in user whose role holds `permission`."""

    async def check(request: Request) -> User:
        user = await current_user(request)
        # An account made with a password someone else saw does nothing but set its own.
        if user.must_change_password and permission is not Permission.SIGNED_IN:
            raise PasswordChangeRequired()
        if not allows(user.role, permission):
            raise Forbidden(f"Your role ({user.role}) does not allow this.")
        return user

    setattr(check, POLICY_MARKER, permission)
    check.__name__ = f"require_{permission.value}"
    return Depends(check)


def public() -> Any:
    """The route is open to anyone (sign-in page, health check)."""

    async def open_to_all() -> None:
        return None

    setattr(open_to_all, POLICY_MARKER, PUBLIC)
    return Depends(open_to_all)


def policy_of(dependency: Callable[..., Any]) -> Permission | str | None:
    marker: Permission | str | None = getattr(dependency, POLICY_MARKER, None)
    return marker


def declared_policy(route: APIRoute) -> Permission | str:
    """The one policy dependency a route declares (an error if none or several)."""
    markers = [policy_of(d.dependency) for d in route.dependencies if d.dependency]
    found = [m for m in markers if m is not None]
    if len(found) != 1:
        raise RuntimeError(f"route {route.name} ({route.path}) declares {len(found)} policies")
    return found[0]


async def csrf_protect(request: Request, session: LoginSession | None) -> None:
    """Applied to every route: a state-changing request must carry the session's token
    (form field or HTMX header); the sign-in form carries its own signed nonce."""
    if request.method in SAFE_METHODS:
        return
    given = request.headers.get(HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(FORM_FIELD)
        given = value if isinstance(value, str) else None
    route = request.scope.get("route")
    if getattr(route, "name", None) == "login":
        tokens = request.app.state.login_tokens
        if tokens.check(request.cookies.get(LOGIN_NONCE_COOKIE), given):
            return
        raise CsrfRejected()
    if session is None or not tokens_match(session.csrf_token, given):
        raise CsrfRejected()


async def refuse(store: Store, user: User, object_type: str, object_id: str, message: str) -> None:
    """Record that `user` was refused the object (rate-limited, `relook.security.refusals`),
    then refuse: raises Forbidden. The write runs off the event loop."""

    def record() -> None:
        with store.write() as connection:
            refusals.record_refusal(
                connection, user.actor, object_type=object_type, object_id=object_id
            )

    await run_in_threadpool(record)
    raise Forbidden(message)
