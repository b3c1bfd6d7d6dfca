"""The reviewer web application.

    create_app(settings) -> FastAPI

Server-rendered pages (Jinja2) with HTMX for the queue filters and the match
explanation, and Cytoscape.js for the network graph; both are vendored under
`static/vendor/`, so no page loads anything from another site (the Content Security
Policy forbids it too). Every response carries headers that keep pages out of caches and
frames.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from relook.review.match_explainer import MatchExplainer
from relook.security.audit import open_audited_store
from relook.security.csrf import LoginFormTokens
from relook.security.policy import ROUTE_POLICY
from relook.store.engine import Store
from relook.web import errors
from relook.web.concurrency import configure_worker
from relook.web.deps import declared_policy, request_scope
from relook.web.routes import (
    account,
    admin,
    audit_log,
    auth,
    cases,
    exports,
    persons,
    programme,
    queue,
    reports,
    runs,
    search,
)
from relook.web.settings import WebSettings
from relook.web.templating import STATIC
from relook.workspace import Workspace

log = logging.getLogger("relook.web")

ROUTERS: tuple[APIRouter, ...] = tuple(
    module.router
    for module in (
        auth,
        account,
        queue,
        search,
        cases,
        reports,
        persons,
        programme,
        audit_log,
        admin,
        exports,
        runs,
    )
)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
    " frame-ancestors 'none'; form-action 'self'"
)
_PAGE_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


HSTS = (b"strict-transport-security", b"max-age=31536000")
"""Sent when cookies are Secure (the server is behind HTTPS): browsers then refuse plain
http to this site for a year, so no one can strip TLS from a later visit."""


class SecurityHeaders:
    """Adds the headers above to every response (with `hsts`, HSTS too); pages (not
    static files) are never cached, since they hold case data."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.extra = [*_PAGE_HEADERS, *([HSTS] if hsts else [])]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(self.extra)
                if static:
                    headers.append((b"cache-control", b"public, max-age=3600"))
                else:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def check_policy_coverage() -> None:
    """Every route is in the policy table and declares the permission the table gives it."""
    names = set()
    for route in registered_routes():
        names.add(route.name)
        expected = ROUTE_POLICY.get(route.name)
        if expected is None:
            raise RuntimeError(f"route {route.name} is not in relook.security.policy.ROUTE_POLICY")
        if declared_policy(route) != expected:
            raise RuntimeError(
                f"route {route.name} declares {declared_policy(route)}; the policy says {expected}"
            )
    stale = set(ROUTE_POLICY) - names
    if stale:
        raise RuntimeError(f"ROUTE_POLICY names routes that do not exist: {sorted(stale)}")


def create_app(settings: WebSettings, *, store: Store | None = None) -> FastAPI:
    """The application for one workspace. Pass `store` to share an existing one (tests);
    otherwise the store at `settings.store_url` is opened and migrated."""
    check_policy_coverage()
    owned = store is None
    the_store = store or open_audited_store(settings.store_url, audit_key=settings.audit_key)
    explainer = MatchExplainer(Workspace(settings.workspace).analysis_path_of)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        configure_worker(settings.page_threads)
        yield
        explainer.close()
        if owned:
            the_store.dispose()

    app = FastAPI(
        title="relook",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        dependencies=[Depends(request_scope)],
    )
    app.state.settings = settings
    app.state.store = the_store
    app.state.explainer = explainer
    app.state.login_tokens = LoginFormTokens(settings.secret_key)

    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    return app


def registered_routes() -> list[APIRoute]:
    """Every route the application serves apart from static files (the permission-matrix
    test walks these, and checks that the app serves nothing else)."""
    return [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]
